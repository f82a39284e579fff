// atomic-lab detect: evaluate one rule over event files (CONTRACTS.md `atomic-lab detect`).
import { NotImplementedError } from '../../core/errors.ts';
import type { CommandSpec } from '../spec.ts';

export const detectCommand: CommandSpec = {
  name: 'detect',
  summary: 'Evaluate one SPL, LogScale (CQL) or Sigma rule over event files and print the result rows',
  options: [
    { name: 'rule', type: 'string', argument: 'FILE', description: 'the rule file (.spl, .cql/.logscale, .yml/.yaml)' },
    { name: 'events', type: 'string', argument: 'FILE', multiple: true, description: 'event file: JSON Lines/array, Windows Event XML, .evtx, auditd log, Splunk export JSON' },
    { name: 'language', type: 'string', argument: 'LANG', choices: ['spl', 'cql', 'sigma'], description: 'rule language (default: from the extension)' },
    { name: 'macros', type: 'string', argument: 'FILE', description: 'SPL macro definitions (macros.conf stanzas or YAML name: definition)' },
    { name: 'profile', type: 'string', argument: 'NAME', description: 'field-mapping profile for non-flat events (splunk, splunk-legacy, falcon, falcon-fdr, sigma)' },
    { name: 'format', type: 'string', argument: 'FMT', choices: ['json', 'table'], default: 'table', description: 'output format' },
  ],
  async run() {
    throw new NotImplementedError('detect');
  },
};
