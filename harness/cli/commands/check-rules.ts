// atomic-lab check-rules: compile every rule under a folder and report those that do not.
import { NotImplementedError } from '../../core/errors.ts';
import type { CommandSpec } from '../spec.ts';

export const checkRulesCommand: CommandSpec = {
  name: 'check-rules',
  summary: 'Compile every rule under a folder; print the ones that fail and the total',
  positionals: [{ name: 'DIR', required: true, description: 'folder of rules (.spl, .cql, .logscale, .yml, .yaml)' }],
  options: [{ name: 'format', type: 'string', argument: 'FMT', choices: ['json', 'text'], default: 'text', description: 'output format' }],
  async run() {
    throw new NotImplementedError('check-rules');
  },
};
