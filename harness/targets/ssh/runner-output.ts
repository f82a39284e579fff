// Reads what lab/linux/run-atomic.sh left in its output folder: the `status` key=value lines, the
// command's output files, the audit log, the listener's callbacks and the collected proof files.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import type { ExecResult } from '../exec-result.ts';

export type PrereqState = 'met' | 'fetched' | 'missing';

export interface RunnerOutput {
  dir: string;
  /** every key=value line; repeated keys (collected=) keep all values */
  status: Map<string, string[]>;
  /** prerequisites in dependency order */
  prereqs: PrereqState[];
  ran: boolean;
  exec: ExecResult | undefined;
  cleanupExitCode: number | null;
  auditLoaded: boolean;
  /** host files; undefined when absent */
  auditLog?: string;
  callbacks?: string;
  /** guest path → host file */
  collected: Map<string, string>;
}

export function parseStatus(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const k = line.slice(0, eq);
    out.set(k, [...(out.get(k) ?? []), line.slice(eq + 1)]);
  }
  return out;
}

/** `1795440796.564957520` (date +%s.%N) → ISO-8601 with milliseconds. */
export function epochToIso(epoch: string): string {
  const ms = Math.round(Number(epoch) * 1000);
  if (!Number.isFinite(ms)) throw new LabError('E_RUNNER_STATUS', `bad time in the runner's status: ${JSON.stringify(epoch)}`);
  return new Date(ms).toISOString();
}

const TAIL = 64 * 1024;
function tail(file: string): string {
  if (!existsSync(file)) return '';
  const text = readFileSync(file, 'utf8');
  return text.length > TAIL ? text.slice(-TAIL) : text;
}

export function readRunnerOutput(dir: string, command: { argv: string[]; display: string }): RunnerOutput {
  const statusFile = path.join(dir, 'status');
  if (!existsSync(statusFile)) throw new LabError('E_RUNNER_STATUS', `the lab runner wrote no status file in ${dir}`);
  const status = parseStatus(readFileSync(statusFile, 'utf8'));
  const one = (k: string) => status.get(k)?.at(-1);
  const prereqs: PrereqState[] = [];
  for (let n = 1; status.has(`prereq_${n}`); n++) prereqs.push(one(`prereq_${n}`) as PrereqState);
  const started = one('started');
  const finished = one('finished');
  let exec: ExecResult | undefined;
  if (started !== undefined) {
    const code = one('exit_code');
    const timedOut = one('timed_out') === 'true';
    const startIso = epochToIso(started);
    const endIso = finished !== undefined ? epochToIso(finished) : startIso;
    const exitCode = code === undefined || timedOut ? null : Number(code);
    exec = {
      command: command.display,
      argv: command.argv,
      exitCode,
      signal: timedOut ? 'SIGKILL' : null,
      timedOut,
      interrupted: false,
      failed: timedOut || exitCode !== 0,
      started: startIso,
      finished: endIso,
      durationMs: Date.parse(endIso) - Date.parse(startIso),
      stdoutFile: path.join(dir, 'test.stdout'),
      stderrFile: path.join(dir, 'test.stderr'),
      stdout: tail(path.join(dir, 'test.stdout')),
      stderr: tail(path.join(dir, 'test.stderr')),
    };
  }
  const collected = new Map<string, string>();
  const cdir = path.join(dir, 'collected');
  if (existsSync(cdir)) {
    for (const f of readdirSync(cdir)) collected.set(f.replace(/%2F/g, '/'), path.join(cdir, f));
  }
  const cleanup = one('cleanup_exit_code');
  const fileIf = (name: string) => (existsSync(path.join(dir, name)) ? path.join(dir, name) : undefined);
  const auditLog = fileIf('audit.log');
  const callbacks = fileIf('callbacks.jsonl');
  return {
    dir,
    status,
    prereqs,
    ran: exec !== undefined,
    exec,
    cleanupExitCode: cleanup === undefined ? null : Number(cleanup),
    auditLoaded: one('audit') === 'loaded',
    ...(auditLog ? { auditLog } : {}),
    ...(callbacks ? { callbacks } : {}),
    collected,
  };
}
