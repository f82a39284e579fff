// atomic-lab explain: a rule's stages, predicates, indicators, bare terms and lint findings.
import { NotImplementedError } from '../../core/errors.ts';
import type { CommandSpec } from '../spec.ts';

export const explainCommand: CommandSpec = {
  name: 'explain',
  summary: "Show a rule's stages, predicates, indicators, search terms and lint findings",
  positionals: [{ name: 'RULE_FILE', required: true, description: 'the rule file' }],
  options: [
    { name: 'format', type: 'string', argument: 'FMT', choices: ['json', 'text'], default: 'text', description: 'output format' },
    { name: 'language', type: 'string', argument: 'LANG', choices: ['spl', 'cql', 'sigma'], description: 'rule language (default: from the extension)' },
  ],
  async run() {
    throw new NotImplementedError('explain');
  },
};
