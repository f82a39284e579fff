// atomic-lab doctor: check each configured target and say what is missing and how to fix it.
import { NotImplementedError } from '../../core/errors.ts';
import type { CommandSpec } from '../spec.ts';

export const doctorCommand: CommandSpec = {
  name: 'doctor',
  summary: 'Check the lab targets and print what is missing, with the command that fixes it',
  options: [{ name: 'config', type: 'string', argument: 'FILE', description: 'lab config file (YAML)' }],
  async run() {
    throw new NotImplementedError('doctor');
  },
};
