// atomic-lab events: print events as a product would see them (JSON lines).
import { NotImplementedError } from '../../core/errors.ts';
import type { CommandSpec } from '../spec.ts';

export const eventsCommand: CommandSpec = {
  name: 'events',
  summary: 'Print the events of telemetry files as Splunk, Falcon or Sigma would see them',
  positionals: [{ name: 'FILE', required: true, variadic: true, description: 'telemetry file (format detected from content)' }],
  options: [
    { name: 'view', type: 'string', argument: 'VIEW', choices: ['canonical', 'splunk', 'falcon', 'sigma'], default: 'canonical', description: 'which product view' },
    { name: 'profile', type: 'string', argument: 'NAME', description: 'named field-mapping profile of the view' },
  ],
  async run() {
    throw new NotImplementedError('events');
  },
};
