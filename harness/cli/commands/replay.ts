// atomic-lab replay: re-evaluate rules over capture bundles or recorded telemetry files.
import { NotImplementedError } from '../../core/errors.ts';
import type { CommandSpec } from '../spec.ts';

export const replayCommand: CommandSpec = {
  name: 'replay',
  summary: 'Evaluate rules over capture bundles or recorded telemetry and check expectations',
  positionals: [{ name: 'CAPTURE_OR_FILE', required: true, variadic: true, description: 'capture bundle folder or telemetry file' }],
  options: [
    { name: 'rules', type: 'string', argument: 'GLOB', description: 'rules to evaluate (default: every rule under detections/)' },
    { name: 'report-dir', type: 'string', argument: 'DIR', description: 'where reports go' },
    { name: 'baseline', type: 'string', argument: 'FILE', description: 'results.json of an earlier run to diff against' },
  ],
  async run() {
    throw new NotImplementedError('replay');
  },
};
