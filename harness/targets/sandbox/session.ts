// A sandbox session: fresh PID, mount, network, UTS and IPC namespaces (util-linux `unshare`)
// whose root is an overlay of the host's root (init.sh), with a callback listener on its own
// loopback (inner.sh). Commands run inside it through `nsenter`, each with a timeout; on timeout or
// interruption the command's whole process tree is killed. Disposing the session ends its PID 1,
// which makes the kernel kill every process left in the namespace; the mounts vanish with the
// mount namespace. What the commands wrote is in `upperDir` (and a cow bind's upper folder) until
// the caller removes the work dir.
//
// Measured on the lab host (lab-recipes §5): a bare unshare costs about 0.06 s; the overlay,
// /dev, listener start and READY handshake add about 0.1 s.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LabError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { displayCommand, type ExecResult } from '../exec-result.ts';
import { isAlive, killTree, waitGone } from '../process-tree.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const INIT = path.join(HERE, 'init.sh');
const INNER = path.join(HERE, 'inner.sh');
/** harness/targets: inner.sh and listener.py live under it */
const TARGETS_DIR = path.dirname(HERE);
const LISTENER = path.join(TARGETS_DIR, 'listener.py');

/** Where the run folder appears inside every sandbox. */
export const RUN_INSIDE = '/opt/atomic-lab/run';
/** The PATH commands get inside (Debian's root PATH: the system python3, not a user's pyenv). */
export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const TAIL = 64 * 1024;
const START_TIMEOUT_MS = 20_000;

export type BindMode = 'rw' | 'ro' | 'cow';

export interface Bind {
  mode: BindMode;
  /** host path */
  source: string;
  /** path inside the sandbox */
  target: string;
  /** cow binds: the host folder holding what the sandbox wrote there (set by the session) */
  upper?: string;
}

export interface SandboxOptions {
  /** host folder the session owns: upper/, ovlwork/, root/ (mount point), run/ */
  workDir: string;
  binds?: Bind[];
  hostname?: string;
  /** start the callback listener on 127.0.0.1:<port> inside, serving files from `serve` (inside path) */
  listener?: { port: number; serve?: string };
}

export interface RunOptions {
  env?: Record<string, string>;
  /** working directory inside (default /) */
  cwd?: string;
  timeoutMs: number;
  /** host files for the full output (default: <run>/<name>.stdout/.stderr) */
  name: string;
  signal?: AbortSignal;
}

/** Sessions not yet disposed: killed synchronously if the harness exits without disposing them. */
const LIVE = new Set<SandboxSession>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const s of LIVE) s.killNow();
  });
}

export class SandboxSession {
  readonly workDir: string;
  readonly runDir: string;
  readonly upperDir: string;
  readonly userns: boolean;
  /** every bind of the session (the run folder first), cow binds with their upper folder */
  readonly binds: readonly Bind[];
  private readonly unshare: ChildProcess;
  private readonly initPid: number;
  private disposed = false;

  private constructor(workDir: string, unshare: ChildProcess, initPid: number, userns: boolean, binds: Bind[]) {
    this.workDir = workDir;
    this.binds = binds;
    this.runDir = path.join(workDir, 'run');
    this.upperDir = path.join(workDir, 'upper');
    this.unshare = unshare;
    this.initPid = initPid;
    this.userns = userns;
  }

  static async start(options: SandboxOptions): Promise<SandboxSession> {
    const workDir = path.resolve(options.workDir);
    const runDir = path.join(workDir, 'run');
    mkdirSync(runDir, { recursive: true });
    // init.sh numbers the binds from 1 in this order; a cow bind's writes go to binds/<n>/upper
    // the harness's own scripts (inner.sh, listener.py) are read inside the sandbox: bound read-only
    // at their own path, since a checkout under /tmp or /run would be hidden by the sandbox's tmpfs
    const harnessFiles: Bind = { mode: 'ro', source: TARGETS_DIR, target: TARGETS_DIR };
    const binds: Bind[] = [{ mode: 'rw' as const, source: runDir, target: RUN_INSIDE }, harnessFiles, ...(options.binds ?? [])]
      .map((b, i): Bind => (b.mode === 'cow' ? { ...b, upper: path.join(workDir, 'binds', String(i + 1), 'upper') } : b));
    const userns = typeof process.getuid === 'function' && process.getuid() !== 0;
    const args = ['--fork', '--pid', '--mount', '--net', '--uts', '--ipc', '--kill-child=SIGKILL'];
    if (userns) args.push('--map-root-user');
    const env: Record<string, string> = {
      PATH: SANDBOX_PATH,
      AL_WORK: workDir,
      AL_INNER: INNER,
      AL_RUN: RUN_INSIDE,
      AL_HOSTNAME: options.hostname ?? 'atomic-lab',
      AL_BINDS: binds.map((b) => `${b.mode}\t${b.source}\t${b.target}`).join('\n'),
      // an unprivileged overlay keeps its metadata in user.* xattrs (overlayfs docs, "userxattr")
      ...(userns ? { AL_OVERLAY_OPTS: ',userxattr' } : {}),
      ...(options.listener
        ? { AL_LISTENER: LISTENER, AL_PORT: String(options.listener.port), AL_SERVE: options.listener.serve ?? '' }
        : {}),
    };
    installExitHook();
    const child = spawn('unshare', [...args, '/bin/sh', INIT], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-8192); });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no READY within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS);
        child.once('error', (e) => { clearTimeout(timer); reject(e); });
        child.once('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`exited (${sig ?? `code ${code}`})`)); });
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('READY\n')) { clearTimeout(timer); resolve(); }
        });
      });
    } catch (e) {
      if (child.pid) killTree(child.pid);
      throw new LabError('E_SANDBOX_START',
        `the sandbox did not start (unshare + overlay): ${(e as Error).message}${stderr.trim() ? `: ${stderr.trim()}` : ''}`, { cause: e });
    }
    child.stdout!.removeAllListeners('data');
    child.stdout!.resume();
    const initPid = firstChild(child.pid!);
    if (initPid === undefined) {
      killTree(child.pid!);
      throw new LabError('E_SANDBOX_START', 'the sandbox started but its PID 1 could not be found in /proc');
    }
    const session = new SandboxSession(workDir, child, initPid, userns, binds);
    LIVE.add(session);
    logger.debug(`sandbox up: unshare pid ${child.pid}, init pid ${initPid}, work ${workDir}`);
    return session;
  }

  /** Runs argv inside the sandbox with a clean environment. Never throws for the command's own failure. */
  async run(argv: string[], options: RunOptions): Promise<ExecResult> {
    if (this.disposed) throw new LabError('E_SANDBOX_GONE', 'the sandbox session was already disposed');
    const stdoutFile = path.join(this.runDir, `${options.name}.stdout`);
    const stderrFile = path.join(this.runDir, `${options.name}.stderr`);
    const env = { PATH: SANDBOX_PATH, HOME: '/root', LANG: 'C.UTF-8', ...options.env };
    const nsenter = [
      'nsenter', `--target=${this.initPid}`, '--mount', '--uts', '--ipc', '--net', '--pid',
      ...(this.userns ? ['--user', '--preserve-credentials'] : []),
      '--root', '--wd',
      '--', 'env', '-i', `--chdir=${options.cwd ?? '/'}`, ...Object.entries(env).map(([k, v]) => `${k}=${v}`), ...argv,
    ];
    const outFd = openSync(stdoutFile, 'w');
    const errFd = openSync(stderrFile, 'w');
    const started = new Date();
    let timedOut = false;
    let interrupted = false;
    let spawnError: string | undefined;
    const result = await new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      const child = spawn(nsenter[0]!, nsenter.slice(1), { stdio: ['ignore', outFd, errFd], detached: true });
      const kill = () => { if (child.pid) killTree(child.pid); };
      const timer = setTimeout(() => { timedOut = true; kill(); }, options.timeoutMs);
      const onAbort = () => { interrupted = true; kill(); };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      child.once('error', (e) => { spawnError = `could not start nsenter: ${e.message}`; });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        // anything the command left running in the background is killed with it
        if (child.pid) killTree(child.pid);
        resolve({ code, signal });
      });
    });
    closeSync(outFd);
    closeSync(errFd);
    const finished = new Date();
    const stdout = tail(stdoutFile);
    const stderr = tail(stderrFile);
    // nsenter reports its own failures (exit 1 + message) before the command starts
    if (!spawnError && result.code !== 0 && /^nsenter: /m.test(stderr)) spawnError = stderr.trim().split('\n')[0];
    return {
      command: displayCommand(argv),
      argv,
      exitCode: timedOut || interrupted ? null : result.code,
      signal: result.signal ?? (timedOut || interrupted ? 'SIGKILL' : null),
      timedOut,
      interrupted,
      failed: Boolean(spawnError) || timedOut || interrupted || result.code !== 0,
      started: started.toISOString(),
      finished: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      stdoutFile,
      stderrFile,
      stdout,
      stderr,
      ...(spawnError ? { error: spawnError } : {}),
    };
  }

  /** Ends the namespace: PID 1 exits when its pipe closes; forced after a grace period. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.unshare.stdin?.end();
    const pid = this.unshare.pid!;
    if (!(await waitGone(this.initPid, 3000))) killTree(this.initPid);
    if (!(await waitGone(pid, 2000))) killTree(pid);
    await waitGone(pid, 2000);
    LIVE.delete(this);
    if (isAlive(this.initPid)) logger.warn(`sandbox PID 1 (${this.initPid}) still alive after dispose`);
  }

  /** Synchronous last resort (process exit): kill everything of this session. */
  killNow(): void {
    if (this.disposed) return;
    this.disposed = true;
    killTree(this.initPid);
    if (this.unshare.pid) killTree(this.unshare.pid);
    LIVE.delete(this);
  }

  /** Removes the session's work dir (upper layer, run folder). Call after dispose. */
  removeWorkDir(): void {
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

function firstChild(pid: number): number | undefined {
  try {
    const list = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
    if (list[0]) return Number(list[0]);
  } catch {
    // fall through
  }
  return undefined;
}

function tail(file: string): string {
  try {
    const fd = openSync(file, 'r');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(size, TAIL));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf.toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** Number of sandbox sessions alive in this process (tests assert it returns to 0). */
export function liveSessions(): number {
  return LIVE.size;
}
