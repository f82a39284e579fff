// Running a host command for a remote target (ssh, scp, vagrant): one seam, so a target's exact
// command sequence can be replayed from a recorded transcript in tests where the real machine
// cannot run (a Windows VM).
import { execa } from 'execa';

export interface CommandOutput {
  argv: string[];
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  started: string;
  finished: string;
}

export interface RunOptions {
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** a file fed to the command's stdin */
  inputFile?: string;
}

export type CommandRunner = (argv: string[], options: RunOptions) => Promise<CommandOutput>;

/** Runs commands for real (execa: no shell, output captured, killed on timeout or abort). */
export const execaRunner: CommandRunner = async (argv, o) => {
  const started = new Date().toISOString();
  const r = await execa(argv[0]!, argv.slice(1), {
    reject: false, timeout: o.timeoutMs, forceKillAfterDelay: 10_000, maxBuffer: 512 * 1024 * 1024,
    ...(o.cwd ? { cwd: o.cwd } : {}),
    ...(o.inputFile ? { inputFile: o.inputFile } : { stdin: 'ignore' as const }),
    ...(o.signal ? { cancelSignal: o.signal } : {}),
  });
  return {
    argv, exitCode: r.exitCode ?? null, stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''),
    timedOut: Boolean(r.timedOut), started, finished: new Date().toISOString(),
  };
};

