// atomic-lab list: the atomic tests found in an ART-layout folder.
import { NotImplementedError } from '../../core/errors.ts';
import type { CommandSpec } from '../spec.ts';

export const listCommand: CommandSpec = {
  name: 'list',
  summary: 'List the atomic tests in atomics/ or any Atomic Red Team folder',
  options: [
    { name: 'atomics', type: 'string', argument: 'DIR', default: 'atomics', description: 'folder in Atomic Red Team layout' },
    { name: 'format', type: 'string', argument: 'FMT', choices: ['json', 'table'], default: 'table', description: 'output format' },
  ],
  async run() {
    throw new NotImplementedError('list');
  },
};
