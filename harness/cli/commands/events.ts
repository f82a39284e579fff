// atomic-lab events: print events as a product would see them (JSON lines), so a user can check
// the lab's reading of their own data. Readers run in 'normalize' mode: dataset shapes (OTRF,
// Falcon FDR, Splunk results with XML `_raw`) are parsed, other flat objects stay as given.
// `--view canonical` prints the canonical events themselves (record included).
import { UsageError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import type { CanonicalEvent } from '../../telemetry/model.ts';
import { readAll } from '../../telemetry/readers/index.ts';
import { getView, viewOfProfile, type ViewName } from '../../telemetry/views/index.ts';
import { str } from '../parse.ts';
import type { CommandSpec } from '../spec.ts';

/** Buffered stdout writer honouring backpressure; a closed pipe (`| head`) ends output quietly. */
function stdoutWriter(): { write(line: string): Promise<void>; end(): Promise<void>; closed(): boolean } {
  let buf = '';
  let closed = false;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') closed = true;
    else throw e;
  });
  const flush = async (): Promise<void> => {
    if (closed || buf === '') return;
    const chunk = buf;
    buf = '';
    if (!process.stdout.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          process.stdout.off('drain', done);
          process.stdout.off('error', done);
          resolve();
        };
        process.stdout.once('drain', done);
        process.stdout.once('error', done);
      });
    }
  };
  return {
    async write(line) {
      buf += line;
      if (buf.length >= 1 << 16) await flush();
    },
    end: flush,
    closed: () => closed,
  };
}

export const eventsCommand: CommandSpec = {
  name: 'events',
  summary: 'Print the events of telemetry files as Splunk, Falcon or Sigma would see them',
  positionals: [{ name: 'FILE', required: true, variadic: true, description: 'telemetry file (format detected from content)' }],
  options: [
    { name: 'view', type: 'string', argument: 'VIEW', choices: ['canonical', 'splunk', 'falcon', 'sigma'], default: 'canonical', description: 'which product view' },
    { name: 'profile', type: 'string', argument: 'NAME', description: 'named field-mapping profile of the view' },
  ],
  async run(args) {
    const files = args.positionals;
    if (files.length === 0) throw new UsageError('missing FILE');
    const profile = str(args, 'profile');
    let view = str(args, 'view') ?? 'canonical';
    if (profile !== undefined) {
      const owner = viewOfProfile(profile);
      if (!owner) throw new UsageError(`unknown profile '${profile}'`);
      if (view === 'canonical') view = owner;
      else if (owner !== view) throw new UsageError(`profile '${profile}' belongs to the ${owner} view, not ${view}`);
    }
    let render: (e: CanonicalEvent) => unknown;
    if (view === 'canonical') render = (e) => e;
    else {
      const v = getView(view as ViewName, profile);
      render = (e) => v.render(e);
    }

    const out = stdoutWriter();
    try {
      for await (const event of readAll(files, { flatJson: 'normalize', onWarning: (m) => logger.warn(m) })) {
        const shown = render(event);
        if (shown === null) continue;
        await out.write(JSON.stringify(shown) + '\n');
        if (out.closed()) break;
      }
    } finally {
      // a bad file still shows every event read before the error
      await out.end();
    }
    return 0;
  },
};
