// One result shape for every command a target runs, on success and on failure alike (execa's
// shape: command, exitCode, signal, timedOut, failed, stdout/stderr), plus the times and the
// files the full output went to.

export interface ExecResult {
  /** the command for people (argv joined, quoted where needed) */
  command: string;
  argv: string[];
  /** null when killed by a signal or never started */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** killed because the harness was interrupted (SIGINT/SIGTERM) */
  interrupted: boolean;
  /** true when exitCode is not 0, or it timed out, was killed or could not start */
  failed: boolean;
  started: string;
  finished: string;
  durationMs: number;
  /** host paths of the complete output */
  stdoutFile: string;
  stderrFile: string;
  /** the last 64 KiB of each, for messages */
  stdout: string;
  stderr: string;
  /** why it could not start, or other harness-side failure */
  error?: string;
}

/** `a 'b c'`: argv as a POSIX shell would need it typed, for messages and bundles. */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((a) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}

export function describeResult(r: ExecResult): string {
  if (r.error) return r.error;
  if (r.timedOut) return `timed out after ${(r.durationMs / 1000).toFixed(1)} s`;
  if (r.interrupted) return 'interrupted';
  if (r.signal) return `killed by ${r.signal}`;
  return `exit code ${r.exitCode}`;
}
