// auditd as the sandbox's sensor (lab-recipes §4.2; telemetry.md §5). The kernel's audit rules
// and its one audit daemon are global to the machine, so the sensor
// - runs only when the harness is root and no other audit daemon is registered (`auditctl -s`
//   pid 0): it then starts its own `auditd -n` with a private configuration writing to the run
//   folder, and stops it afterwards, restoring the kernel's `enabled` flag;
// - records only the test's processes: the test command sets its loginuid (audit uid) to a value
//   drawn for this run before it execs, loginuid is inherited by every child, and each rule
//   carries `-F auid=<that value>` (auditctl(8)), so other users' processes and the sandbox's own
//   machinery never appear;
// - removes exactly the rules it added (`auditctl -d` with the same fields), never `auditctl -D`.
// Measured on the lab host: the daemon registers within ~0.3 s; rules filtered by auid recorded
// sh → curl and nothing of a concurrent shell.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { LabError } from '../core/errors.ts';
import { logger } from '../core/logger.ts';

const run = promisify(execFile);

/** The rules, without the auid filter and key appended per run (x86_64 syscall names). */
const RULES: readonly string[][] = [
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'execve,execveat'],
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'clone,clone3,fork,vfork'],
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'connect'],
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'openat', '-F', 'a2&0100'], // O_CREAT
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'creat'],
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'exit_group'],
];

async function status(): Promise<Record<string, string>> {
  const { stdout } = await run('auditctl', ['-s'], { timeout: 10_000 });
  return Object.fromEntries(stdout.trim().split('\n').map((l) => l.split(' ') as [string, string]));
}

/** Why auditd cannot be the sensor here, or undefined when it can. */
export async function auditdUnavailable(): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return 'auditd needs root';
  try {
    await run('auditd', ['-v'], { timeout: 10_000 }).catch((e: { code?: string }) => {
      if (e.code === 'ENOENT') throw e;
    });
    const s = await status();
    if (s.pid && s.pid !== '0') return `another audit daemon is registered (pid ${s.pid}); auditd is kernel-global`;
    return undefined;
  } catch (e) {
    return `auditd/auditctl not usable: ${(e as Error).message.split('\n')[0]}`;
  }
}

let active: AuditdSensor | undefined;
let exitHook = false;

/** Last resort when the harness exits without stopping the sensor: its rules and daemon go too. */
function installExitHook(): void {
  if (exitHook) return;
  exitHook = true;
  process.on('exit', () => {
    const s = active;
    if (!s) return;
    for (const r of s.pendingRules()) {
      try {
        execFileSync('auditctl', ['-d', ...r.slice(1)], { stdio: 'ignore', timeout: 5000 });
      } catch {
        // best effort
      }
    }
    s.killDaemon();
  });
}

export class AuditdSensor {
  private constructor(
    readonly logFile: string,
    readonly auid: number,
    private readonly daemon: ChildProcess,
    private readonly rules: string[][],
    private readonly wasEnabled: string,
    private readonly wasBacklog: string,
    private readonly lostBefore: number,
  ) {}

  /** The command prefix that puts a process (and its children) under this sensor's auid. */
  wrap(argv: string[]): string[] {
    return ['sh', '-c', `echo ${this.auid} > /proc/self/loginuid && exec "$@"`, 'atomic-lab-audit', ...argv];
  }

  static async start(dir: string, auid: number, key: string): Promise<AuditdSensor> {
    if (active) throw new LabError('E_AUDITD', 'an auditd sensor is already running in this harness');
    const reason = await auditdUnavailable();
    if (reason) throw new LabError('E_AUDITD', reason);
    installExitHook();
    try {
      const confDir = path.join(dir, 'auditd-conf');
      mkdirSync(path.join(confDir, 'plugins.d'), { recursive: true });
      const logFile = path.join(dir, 'audit.log');
      writeFileSync(path.join(confDir, 'auditd.conf'), [
        'local_events = yes', 'write_logs = yes', `log_file = ${logFile}`, 'log_format = ENRICHED', 'flush = DATA',
        'freq = 0', 'max_log_file = 0', 'max_log_file_action = IGNORE', 'num_logs = 0', 'name_format = NONE',
        'space_left = 2', 'space_left_action = IGNORE', 'admin_space_left = 1', 'admin_space_left_action = IGNORE',
        'disk_full_action = IGNORE', 'disk_error_action = IGNORE', `plugin_dir = ${path.join(confDir, 'plugins.d')}`,
        'q_depth = 2000', 'overflow_action = IGNORE', 'end_of_event_timeout = 2', '',
      ].join('\n'));
      const before = await status();
      // setpriv --pdeathsig: the daemon stops if the harness is killed outright (no exit hook runs then)
      const daemon = spawn('setpriv', ['--pdeathsig', 'SIGTERM', 'auditd', '-n', '-s', 'enable', '-c', confDir], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
      let stderr = '';
      daemon.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4096); });
      const until = Date.now() + 10_000;
      for (;;) {
        if (daemon.exitCode !== null) throw new LabError('E_AUDITD', `auditd exited (${daemon.exitCode}): ${stderr.trim()}`);
        if ((await status()).pid === String(daemon.pid)) break;
        if (Date.now() > until) {
          daemon.kill('SIGKILL');
          throw new LabError('E_AUDITD', `auditd did not register with the kernel within 10 s: ${stderr.trim()}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      // the kernel's default backlog (64 records) overflows during a dpkg install and drops records
      // (measured: the postinst's parent missing in some runs); raised for the run, restored after
      await run('auditctl', ['-b', '8192'], { timeout: 10_000 });
      const rules = RULES.map((r) => [...r, '-F', `auid=${auid}`, '-k', key]);
      const added: string[][] = [];
      const sensor = new AuditdSensor(logFile, auid, daemon, added, before.enabled ?? '0', before.backlog_limit ?? '64', Number(before.lost ?? 0));
      active = sensor;
      try {
        for (const r of rules) {
          await run('auditctl', r, { timeout: 10_000 });
          added.push(r);
        }
      } catch (e) {
        await sensor.stop();
        throw new LabError('E_AUDITD', `auditctl refused a rule: ${(e as Error).message.split('\n')[0]}`, { cause: e });
      }
      return sensor;
    } catch (e) {
      active = undefined;
      throw e;
    }
  }

  pendingRules(): string[][] {
    return this.rules;
  }

  killDaemon(): void {
    if (this.daemon.exitCode === null && this.daemon.signalCode === null) this.daemon.kill('SIGKILL');
  }

  /** The argv of a sentinel: run (wrapped) after the test, its EXECVE record marks the end of the test's records. */
  sentinel(): { argv: string[]; token: string } {
    const token = `atomic-lab-sentinel-${this.auid}`;
    return { argv: this.wrap(['/bin/true', token]), token };
  }

  /**
   * Waits until the sentinel's record is in the log: the kernel hands records to the daemon
   * asynchronously and in order, so the test's last records (measured: the final curl of test 2
   * was missing when the daemon was stopped right away) are written before it. Falls back to
   * waiting for the log to stop growing.
   */
  async drain(token: string, maxMs = 5000): Promise<boolean> {
    const until = Date.now() + maxMs;
    while (Date.now() < until) {
      try {
        if (readFileSync(this.logFile, 'utf8').includes(token)) return true;
      } catch {
        // not written yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await this.settle();
    return false;
  }

  /** Waits until the log stops growing. */
  async settle(quietMs = 400, maxMs = 4000): Promise<void> {
    const size = () => {
      try {
        return statSync(this.logFile).size;
      } catch {
        return -1;
      }
    };
    const until = Date.now() + maxMs;
    let last = size();
    let quietSince = Date.now();
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      const now = size();
      if (now !== last) {
        last = now;
        quietSince = Date.now();
      } else if (Date.now() - quietSince >= quietMs) return;
    }
  }

  /** Records the kernel dropped since the sensor started (auditctl -s `lost`), machine-wide. */
  async lost(): Promise<number> {
    try {
      return Number((await status()).lost ?? 0) - this.lostBefore;
    } catch {
      return 0;
    }
  }

  /** Removes this sensor's rules, stops its daemon (by pid), restores the kernel's enabled flag and backlog limit. */
  async stop(): Promise<void> {
    for (const r of this.rules.splice(0)) {
      await run('auditctl', ['-d', ...r.slice(1)], { timeout: 10_000 }).catch((e: Error) => logger.warn(`auditctl -d failed: ${e.message}`));
    }
    if (this.daemon.exitCode === null) {
      this.daemon.kill('SIGTERM');
      const until = Date.now() + 5000;
      while (this.daemon.exitCode === null && this.daemon.signalCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      if (this.daemon.exitCode === null && this.daemon.signalCode === null) this.daemon.kill('SIGKILL');
    }
    await run('auditctl', ['-b', this.wasBacklog], { timeout: 10_000 }).catch(() => undefined);
    if (this.wasEnabled !== '1') await run('auditctl', ['-e', this.wasEnabled], { timeout: 10_000 }).catch(() => undefined);
    active = undefined;
  }
}
