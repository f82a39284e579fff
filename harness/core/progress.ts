// Progress for long work: on a TTY one live line per step (rewritten in place), elsewhere
// (CI, pipes) plain lines through the logger. Always on stderr.
import { logger } from './logger.ts';

export type StepStatus = 'ok' | 'failed' | 'skipped';

export interface Step {
  /** replaces the detail shown after the step label */
  update(detail: string): void;
  end(status: StepStatus, detail?: string): void;
}

export interface ProgressOptions {
  /** write live lines (default: stderr is a TTY and CI is not set) */
  live?: boolean;
  quiet?: boolean;
  stream?: NodeJS.WriteStream;
}

const MARK: Record<StepStatus, string> = { ok: 'ok', failed: 'FAILED', skipped: 'skipped' };

export class Progress {
  private readonly live: boolean;
  private readonly quiet: boolean;
  private readonly stream: NodeJS.WriteStream;

  constructor(options: ProgressOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.quiet = options.quiet ?? false;
    this.live = options.live ?? (Boolean(this.stream.isTTY) && !process.env.CI);
  }

  step(label: string): Step {
    const started = Date.now();
    const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
    if (this.live && !this.quiet) this.stream.write(`\r\x1b[2K… ${label}`);
    else if (!this.quiet) logger.info(`… ${label}`);
    return {
      update: (detail) => {
        if (this.live && !this.quiet) this.stream.write(`\r\x1b[2K… ${label}: ${detail}`);
        else logger.debug(`  ${label}: ${detail}`);
      },
      end: (status, detail) => {
        const line = `${MARK[status]} ${label}${detail ? `: ${detail}` : ''} (${elapsed()})`;
        if (this.live && !this.quiet) this.stream.write(`\r\x1b[2K${line}\n`);
        else if (status === 'failed') logger.warn(line);
        else if (!this.quiet) logger.info(line);
      },
    };
  }
}
