// Reads what lab/linux/run-atomic.sh left in its output folder: the `status` key=value lines, one
// ExecResult per command it ran (test, cleanup, each prerequisite check/get/recheck), the audit
// log, the listener's callbacks and the collected proof files.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../../core/errors.ts';
import type { CallbackRecord } from '../../run/checks.ts';
import { displayCommand, type ExecResult } from '../exec-result.ts';

export type PrereqState = 'met' | 'fetched' | 'missing';

export interface RunnerOutput {
  dir: string;
  /** every key=value line; repeated keys (collected=) keep all values in order */
  status: Map<string, string[]>;
  /** dependency id → state, in the order the runner checked them */
  prereqs: Map<string, PrereqState>;
  /** the test command's result; undefined when it did not run (prerequisites missing) */
  test: ExecResult | undefined;
  cleanup: ExecResult | undefined;
  auditLoaded: boolean;
  /** host files; undefined when absent */
  auditLog?: string;
  callbacks?: string;
  /** guest path → host file */
  collected: Map<string, string>;
  /** files the test created or changed, when the job asked for the list */
  changedFiles: string[];
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

/**
 * The ExecResult of step `name`, or undefined when the runner did not run it. The runner kills a
 * step with `timeout -s KILL`, which exits 137 (128 + SIGKILL); a 137 that came at or after the
 * step's time limit is read as a timeout.
 */
export function stepResult(dir: string, status: Map<string, string[]>, name: string, command: { argv: string[]; display: string }): ExecResult | undefined {
  const one = (k: string) => status.get(`step.${name}.${k}`)?.at(-1);
  const started = one('started');
  if (started === undefined) return undefined;
  const finished = one('finished') ?? started;
  const rc = one('rc');
  const startIso = epochToIso(started);
  const endIso = epochToIso(finished);
  const durationMs = Date.parse(endIso) - Date.parse(startIso);
  const limit = Number(status.get('timeout')?.at(-1) ?? Infinity) * 1000;
  const timedOut = rc === '137' && durationMs >= limit - 1000;
  const exitCode = rc === undefined || timedOut ? null : Number(rc);
  return {
    command: command.display,
    argv: command.argv,
    exitCode,
    signal: timedOut ? 'SIGKILL' : null,
    timedOut,
    interrupted: false,
    failed: exitCode !== 0,
    started: startIso,
    finished: endIso,
    durationMs,
    stdoutFile: path.join(dir, `${name}.stdout`),
    stderrFile: path.join(dir, `${name}.stderr`),
    stdout: tail(path.join(dir, `${name}.stdout`)),
    stderr: tail(path.join(dir, `${name}.stderr`)),
    ...(rc === undefined ? { error: `the lab machine started '${name}' but recorded no exit code` } : {}),
  };
}

/** argv and display form of `<executor> -c <script> atomic-lab-<run id>`, as the runner runs each step. */
export function shellCommand(executor: string, script: string, runId: string): { argv: string[]; display: string } {
  return { argv: [executor, '-c', script, `atomic-lab-${runId}`], display: displayCommand([executor, '-c', script.trim(), `atomic-lab-${runId}`]) };
}

/** The runners name a collected file after its path with '/' → %2F (Linux), '\\' → %5C and ':' → %3A (Windows). */
export function decodeCollectedName(name: string): string {
  return name.replace(/%2F/g, '/').replace(/%5C/g, '\\').replace(/%3A/g, ':');
}

export type DescribeCommand = (script: string) => { argv: string[]; display: string };

/** `test`: the job's command and cleanup, and how the runner invoked a script (for ExecResult.command). */
export function readRunnerOutput(dir: string, test?: { command: string | null; cleanup?: string | null; describe: DescribeCommand }): RunnerOutput {
  const statusFile = path.join(dir, 'status');
  if (!existsSync(statusFile)) throw new LabError('E_RUNNER_STATUS', `the lab runner wrote no status file in ${dir}`);
  const status = parseStatus(readFileSync(statusFile, 'utf8'));
  const prereqs = new Map<string, PrereqState>();
  for (const [k, v] of status) if (k.startsWith('prereq.')) prereqs.set(k.slice('prereq.'.length), v.at(-1) as PrereqState);
  const collected = new Map<string, string>();
  const cdir = path.join(dir, 'collected');
  if (existsSync(cdir)) for (const f of readdirSync(cdir)) collected.set(decodeCollectedName(f), path.join(cdir, f));
  const fileIf = (name: string) => (existsSync(path.join(dir, name)) ? path.join(dir, name) : undefined);
  const auditLog = fileIf('audit.log');
  const callbacks = fileIf('callbacks.jsonl');
  const testRes = test?.command ? stepResult(dir, status, 'test', test.describe(test.command)) : undefined;
  const cleanupRes = test?.cleanup ? stepResult(dir, status, 'cleanup', test.describe(test.cleanup)) : undefined;
  const changed = fileIf('changed-files.txt');
  return {
    dir,
    status,
    changedFiles: changed ? readFileSync(changed, 'utf8').split('\n').filter(Boolean) : [],
    prereqs,
    test: testRes,
    cleanup: cleanupRes,
    auditLoaded: status.get('audit')?.at(-1) === 'loaded',
    ...(auditLog ? { auditLog } : {}),
    ...(callbacks ? { callbacks } : {}),
    collected,
  };
}

/** The listener's JSON lines (harness/targets/listener.py, lab/windows/listener.ps1). */
export function readCallbacks(file: string | undefined): CallbackRecord[] {
  if (!file || !existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as CallbackRecord);
}
