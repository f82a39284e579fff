// A sandbox session set up for atomics: the ART folders mounted where the executors expect them,
// and one `run(executor, script)` that builds the executor's invocation the way
// Invoke-AtomicRedTeam does (Private/Invoke-ExecuteCommand.ps1; reference/atomics.md §3.2), with
// the run marker in the invocation's own command line:
//
//   sh / bash       <shell> -c <script> atomic-lab-<marker>       ($0 carries the marker); traced
//                   by auditd where usable (sensors/auditd.ts: root, no other audit daemon; only
//                   this command's processes, by their audit uid), else by strace -f
//   command_prompt  Wine: cmd.exe /c C:\AtomicRedTeam\run\atomic.cmd <marker>, a runner batch that
//                   starts `cmd.exe /c "<lines joined with ' & '>"` (prerequisites: ' && ') from
//                   the environment with delayed expansion. Wine's `wine` launcher re-quotes argv
//                   (a `"` becomes `\"`, measured), so the exact command line can only reach
//                   cmd.exe through the environment. Wine 8's cmd also expands `!` inside that
//                   value (measured), so a command line containing `!` is refused.
//   powershell      not runnable here: Wine's powershell.exe is a stub (lab-recipes §2.5)
//   manual          never run (as Invoke-AtomicRedTeam)
//
// Inside every session: PathToAtomicsFolder is /opt/AtomicRedTeam/atomics for POSIX shells and
// C:\AtomicRedTeam\atomics under Wine (Invoke-AtomicRedTeam's Windows default), both the lab's
// atomics folder seen copy-on-write; ../ExternalPayloads is the per-user payload cache, writable
// in a prerequisite session and copy-on-write in a test session.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LabError } from '../core/errors.ts';
import type { ExecutorName } from '../atomics/model.ts';
import { displayCommand, type ExecResult } from './exec-result.ts';
import { payloadCacheDir } from './cache.ts';
import { SandboxFsView } from './sandbox/fs-view.ts';
import { RUN_INSIDE, SandboxSession, type Bind } from './sandbox/session.ts';
import { AuditdSensor, auditdUnavailable } from '../sensors/auditd.ts';
import type { RawOutput } from './types.ts';

export const ATOMICS_INSIDE = '/opt/AtomicRedTeam/atomics';
export const PAYLOADS_INSIDE = '/opt/AtomicRedTeam/ExternalPayloads';
export const WIN_ATOMICS = 'C:\\AtomicRedTeam\\atomics';
export const LISTENER_PORT = 8765;
export const CALLBACK_BASE = `http://127.0.0.1:${LISTENER_PORT}`;
const RUNNER_BAT = ['@echo off', 'setlocal enabledelayedexpansion', 'cmd.exe /c !ATOMIC_CMDLINE!', 'exit /b !errorlevel!', ''].join('\r\n');
export const WINE_TRACE_CHANNELS = '+pid,+timestamp,+process,+msi,+file';

export interface WineConfig {
  prefix: string;
}

export interface LabSessionOptions {
  workDir: string;
  atomicsDir: string;
  marker: string;
  /** payload cache writable (prerequisite session) or copy-on-write (test session) */
  payloads: 'rw' | 'cow';
  listener: boolean;
  hostname: string;
  wine?: WineConfig;
  /** extra host folders writable through (e.g. the Wine cache while building the prefix) */
  writable?: string[];
  /** telemetry of traced POSIX-shell commands: auditd where usable (auto), else strace */
  linuxSensor?: LinuxSensor;
}

export type LinuxSensor = 'auto' | 'auditd' | 'strace';

export interface RunScriptOptions {
  name: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** capture telemetry: strace for POSIX shells, the Wine trace for Windows executors */
  traced?: boolean;
  /** how lines of a command_prompt script are joined (Invoke-AtomicRedTeam: ' & ' commands, ' && ' prerequisites) */
  join?: ' & ' | ' && ';
  env?: Record<string, string>;
}

export interface ScriptRun {
  result: ExecResult;
  raw: RawOutput[];
  /** e.g. why the preferred sensor could not be used */
  warnings?: string[];
}

/** PathToAtomicsFolder as an executor sees it inside a session. */
export function atomicsFolderFor(shell: ExecutorName): string {
  return shell === 'command_prompt' || shell === 'powershell' ? WIN_ATOMICS : ATOMICS_INSIDE;
}

export function wineEnv(prefix: string): Record<string, string> {
  return { WINEPREFIX: prefix, WINEDLLOVERRIDES: 'mscoree,mshtml=', WINEDEBUG: '-all', USER: 'root', WINEARCH: 'win64' };
}

/** `cmd.exe /c "<line>"` lines joined as Invoke-AtomicRedTeam joins them. */
export function cmdLine(script: string, join: ' & ' | ' && '): string {
  return script.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).join(join);
}

export class LabSession {
  readonly session: SandboxSession;
  readonly fs: SandboxFsView;
  readonly binds: Bind[];
  private wineReady = false;
  private counter = 0;

  private constructor(session: SandboxSession, binds: Bind[], readonly options: LabSessionOptions) {
    this.session = session;
    this.binds = binds;
    this.fs = new SandboxFsView(session.upperDir, session.binds);
  }

  static async start(options: LabSessionOptions): Promise<LabSession> {
    const payloads = payloadCacheDir();
    mkdirSync(payloads, { recursive: true });
    const binds: Bind[] = [
      { mode: 'cow', source: path.resolve(options.atomicsDir), target: ATOMICS_INSIDE },
      { mode: options.payloads, source: payloads, target: PAYLOADS_INSIDE },
      // the cached Wine prefix, copy-on-write at its own path (explicitly: the cache may live where
      // the sandbox has fresh folders, such as /tmp)
      ...(options.wine ? [{ mode: 'cow' as const, source: options.wine.prefix, target: options.wine.prefix }] : []),
      ...(options.writable ?? []).map((p) => ({ mode: 'rw' as const, source: p, target: p })),
    ];
    const session = await SandboxSession.start({
      workDir: options.workDir,
      binds,
      hostname: options.hostname,
      ...(options.listener ? { listener: { port: LISTENER_PORT, serve: PAYLOADS_INSIDE } } : {}),
    });
    return new LabSession(session, binds, options);
  }

  get runDir(): string {
    return this.session.runDir;
  }

  /** Links C:\AtomicRedTeam\{atomics,ExternalPayloads,run} in the (copy-on-write) prefix and writes the runner batch. */
  private async ensureWine(timeoutMs: number): Promise<void> {
    if (this.wineReady) return;
    const wine = this.options.wine;
    if (!wine) throw new LabError('E_TARGET', 'command_prompt commands need the wine target');
    writeFileSync(path.join(this.runDir, 'atomic.cmd'), RUNNER_BAT);
    const r = await this.session.run(['sh', '-c', [
      'set -e',
      'C="$WINEPREFIX/drive_c/AtomicRedTeam"',
      'mkdir -p "$C"',
      `ln -sfn ${ATOMICS_INSIDE} "$C/atomics"`,
      `ln -sfn ${PAYLOADS_INSIDE} "$C/ExternalPayloads"`,
      `ln -sfn ${RUN_INSIDE} "$C/run"`,
    ].join('\n')], { name: 'wine-setup', timeoutMs, env: wineEnv(wine.prefix) });
    if (r.failed) throw new LabError('E_WINE_SETUP', `could not prepare the Wine prefix view: ${r.error ?? r.stderr.trim()}`);
    this.wineReady = true;
  }

  async run(shell: ExecutorName, script: string, o: RunScriptOptions): Promise<ScriptRun> {
    const name = `${String(++this.counter).padStart(2, '0')}-${o.name}`;
    const marker = this.options.marker;
    if (shell === 'sh' || shell === 'bash') {
      const argv = [shell, '-c', script, `atomic-lab-${marker}`];
      const env = { ATOMIC_LAB_MARKER: marker, ...o.env };
      const runOpts = { name, timeoutMs: o.timeoutMs, ...(o.signal ? { signal: o.signal } : {}), env };
      const display = (r: ExecResult): ExecResult => ({ ...r, argv, command: displayCommand(argv) });
      if (!o.traced) return { result: display(await this.session.run(argv, runOpts)), raw: [] };
      const warnings: string[] = [];
      const sensor = await this.startAuditd(name, warnings);
      if (sensor) {
        try {
          const result = await this.session.run(sensor.wrap(argv), runOpts);
          const { argv: sentinel, token } = sensor.sentinel();
          await this.session.run(sentinel, { name: `${name}-sentinel`, timeoutMs: 10_000 });
          if (!(await sensor.drain(token))) warnings.push('auditd: the end-of-test sentinel never reached the log; the last records may be missing');
          const lost = await sensor.lost();
          if (lost > 0) warnings.push(`auditd: the kernel dropped ${lost} audit record(s) during the test (auditctl -s: lost); the telemetry may be incomplete`);
          return { result: display(result), raw: [{ path: sensor.logFile, format: 'auditd', sensor: 'auditd' }], warnings };
        } finally {
          await sensor.stop();
        }
      }
      const full = ['strace', '-f', '-ttt', '-s', '65535', '-e', 'trace=execve,execveat,clone,clone3,fork,vfork,connect,open,openat,creat,chdir',
        '-o', path.posix.join(RUN_INSIDE, `${name}.strace`), ...argv];
      const result = await this.session.run(full, runOpts);
      return { result: display(result), raw: [{ path: path.join(this.runDir, `${name}.strace`), format: 'strace', sensor: 'strace' }], warnings };
    }
    if (shell === 'command_prompt') {
      await this.ensureWine(o.timeoutMs);
      const line = cmdLine(script, o.join ?? ' & ');
      const argv = ['wine', 'cmd.exe', '/c', 'C:\\AtomicRedTeam\\run\\atomic.cmd', marker];
      if (line.includes('!')) return { result: refused(argv, `the command line contains '!', which Wine 8's cmd.exe expands even where Windows would not (delayed-expansion rescan): ${line}`, this.runDir, name), raw: [] };
      const env: Record<string, string> = { ...wineEnv(this.options.wine!.prefix), ATOMIC_CMDLINE: `"${line}"`, ATOMIC_LAB_MARKER: marker, ...o.env };
      const raw: RawOutput[] = [];
      if (o.traced) {
        env.WINEDEBUG = WINE_TRACE_CHANNELS;
        const anchor = await this.anchor(`${name}-anchor`);
        const result = await this.session.run(argv, { name, timeoutMs: o.timeoutMs, ...(o.signal ? { signal: o.signal } : {}), env });
        raw.push({ path: result.stderrFile, format: 'wine-trace', sensor: 'wine-trace', ...(anchor ? { anchor } : {}) });
        return { result: { ...result, command: `cmd.exe /c "${line}"` }, raw };
      }
      const result = await this.session.run(argv, { name, timeoutMs: o.timeoutMs, ...(o.signal ? { signal: o.signal } : {}), env });
      return { result: { ...result, command: `cmd.exe /c "${line}"` }, raw };
    }
    const why = shell === 'powershell'
      ? "Wine's powershell.exe is a stub that runs nothing (lab-recipes §2.5), and no other PowerShell is available here"
      : 'manual tests are never run (as Invoke-AtomicRedTeam)';
    return { result: refused([shell, script], `cannot run a ${shell} command here: ${why}`, this.runDir, name), raw: [] };
  }

  /** The auditd sensor when chosen and usable; otherwise undefined (strace is used) with the reason in `warnings` when auditd was asked for. */
  private async startAuditd(name: string, warnings: string[]): Promise<AuditdSensor | undefined> {
    const choice = this.options.linuxSensor ?? 'auto';
    if (choice === 'strace') return undefined;
    const why = await auditdUnavailable();
    if (why) {
      if (choice === 'auditd') warnings.push(`auditd not used, strace instead: ${why}`);
      return undefined;
    }
    const dir = path.join(this.runDir, `${name}-auditd`);
    mkdirSync(dir, { recursive: true });
    const auid = 1_000_000 + Math.floor(Math.random() * 2_000_000_000);
    try {
      return await AuditdSensor.start(dir, auid, `atomic-lab-${this.options.marker.slice(0, 8)}`);
    } catch (e) {
      warnings.push(`auditd could not start, strace instead: ${(e as Error).message}`);
      return undefined;
    }
  }

  /** (wall clock, CLOCK_MONOTONIC_RAW) read inside the session just before Wine starts: Wine's trace times are MONOTONIC_RAW. */
  private async anchor(name: string): Promise<{ wall: number; monoRaw: number } | undefined> {
    const r = await this.session.run(['python3', '-c', 'import time; print(repr(time.time()), repr(time.clock_gettime(time.CLOCK_MONOTONIC_RAW)))'], { name, timeoutMs: 10_000 });
    const [wall, monoRaw] = r.stdout.trim().split(/\s+/).map(Number);
    return r.exitCode === 0 && Number.isFinite(wall) && Number.isFinite(monoRaw) ? { wall: wall!, monoRaw: monoRaw! } : undefined;
  }

  async dispose(): Promise<void> {
    await this.session.dispose();
  }

  removeWorkDir(): void {
    this.session.removeWorkDir();
  }
}

function refused(argv: string[], error: string, runDir: string, name: string): ExecResult {
  const now = new Date().toISOString();
  return {
    command: displayCommand(argv), argv, exitCode: null, signal: null, timedOut: false, interrupted: false, failed: true,
    started: now, finished: now, durationMs: 0,
    stdoutFile: path.join(runDir, `${name}.stdout`), stderrFile: path.join(runDir, `${name}.stderr`), stdout: '', stderr: '', error,
  };
}
