// CLI entry: picks the command, parses its option table, runs it, maps errors to exit codes.
import { readFileSync } from 'node:fs';
import { isAtomicLabError } from '../core/errors.ts';
import { logger, setLogLevel } from '../core/logger.ts';
import { COMMANDS } from './commands/index.ts';
import { commandHelp, mainHelp } from './help.ts';
import { parseCommandArgs } from './parse.ts';

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** `atomic-lab list | head`: a reader that stops early is not an error. */
function quietOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp(COMMANDS, version()));
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(version() + '\n');
    return 0;
  }
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) {
    process.stderr.write(`atomic-lab: unknown command '${name}'. Commands: ${COMMANDS.map((c) => c.name).join(', ')}\n`);
    return 2;
  }
  try {
    const args = parseCommandArgs(spec, rest);
    if (args.options.help) {
      process.stdout.write(commandHelp(spec));
      return 0;
    }
    if (args.options.verbose) setLogLevel('debug');
    else if (args.options.quiet) setLogLevel('warn');
    return await spec.run(args);
  } catch (e) {
    if (isAtomicLabError(e)) {
      process.stderr.write(`atomic-lab ${name}: ${e.describe()}\n`);
      logger.debug(e.stack ?? '');
      return e.exitCode;
    }
    process.stderr.write(`atomic-lab ${name}: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    return 70;
  }
}
