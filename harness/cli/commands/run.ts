// atomic-lab run: execute atomics for real, capture telemetry, evaluate every rule, report.
import { NotImplementedError } from '../../core/errors.ts';
import type { CommandSpec } from '../spec.ts';

export const runCommand: CommandSpec = {
  name: 'run',
  summary: 'Run atomic tests for real, capture their telemetry and check every detection',
  positionals: [{ name: 'ID', variadic: true, description: 'more test ids, as for --tests' }],
  options: [
    { name: 'target', type: 'string', argument: 'NAME', choices: ['auto', 'wine', 'sandbox', 'qemu', 'vagrant', 'ssh'], default: 'auto', description: 'where the atomics run' },
    { name: 'tests', type: 'string', argument: 'ID', multiple: true, description: 'T1546.016-1, an auto_generated_guid, or a test name' },
    { name: 'rules', type: 'string', argument: 'GLOB', description: 'rules to evaluate (default: every rule under detections/)' },
    { name: 'report-dir', type: 'string', argument: 'DIR', description: 'where reports go (default: reports/<run-id>/ and reports/latest/)' },
    { name: 'baseline', type: 'string', argument: 'FILE', description: 'results.json of an earlier run to diff against' },
    { name: 'get-prereqs', type: 'boolean', description: 'install what the selected targets and tests need, then run' },
    { name: 'allow-host', type: 'boolean', description: 'allow commands to run on the host outside a sandbox, Wine prefix or VM' },
    { name: 'config', type: 'string', argument: 'FILE', description: 'lab config file (YAML)' },
  ],
  async run() {
    throw new NotImplementedError('run');
  },
};
