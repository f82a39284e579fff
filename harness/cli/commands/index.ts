// The command registry: name → spec. Adding a command is one file and one entry here.
import type { CommandSpec } from '../spec.ts';
import { checkRulesCommand } from './check-rules.ts';
import { detectCommand } from './detect.ts';
import { doctorCommand } from './doctor.ts';
import { eventsCommand } from './events.ts';
import { explainCommand } from './explain.ts';
import { listCommand } from './list.ts';
import { replayCommand } from './replay.ts';
import { reportCommand } from './report.ts';
import { runCommand } from './run.ts';

export const COMMANDS: readonly CommandSpec[] = [
  runCommand,
  replayCommand,
  detectCommand,
  explainCommand,
  checkRulesCommand,
  listCommand,
  eventsCommand,
  doctorCommand,
  reportCommand,
];
