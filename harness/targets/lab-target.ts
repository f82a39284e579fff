// What the wine and sandbox targets share: a lab session per test (listener on, payloads
// copy-on-write), one prerequisite session for the ART dependencies (payloads writable), argument
// substitution with the lab's inputs, and reading back what the run left (raw sensor files,
// canonical events, callbacks, files in the overlay).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { logger } from '../core/logger.ts';
import { dependencyExecutor, type AtomicTest, type ExecutorName } from '../atomics/model.ts';
import { substitute } from '../atomics/substitute.ts';
import { expand } from '../run/lab-spec.ts';
import type { CallbackRecord } from '../run/checks.ts';
import type { CanonicalEvent } from '../telemetry/model.ts';
import { parseStrace } from '../telemetry/readers/strace/parse.ts';
import { parseWineTrace, type CustomActionRecord, type StubRecord } from '../telemetry/readers/wine-trace/parse.ts';
import type { ExecResult } from './exec-result.ts';
import { readEvents } from '../telemetry/readers/index.ts';
import { atomicsFolderFor, CALLBACK_BASE, LabSession, type LabSessionOptions, type LinuxSensor } from './lab-session.ts';
import type { Collected, DependencyResult, PreparedTest, Requirement, RunContext, Target, TargetName } from './types.ts';

const runFile = promisify(execFile);

interface Live {
  lab: LabSession;
  exec?: { raw: Collected['raw']; warnings: string[] };
}

export interface TargetOptions {
  /** sensor for traced Linux commands (default auto: auditd where usable, else strace) */
  linuxSensor?: LinuxSensor;
  /** lab config file for the qemu, vagrant and ssh targets (default ./atomic-lab.yaml or built-ins) */
  configFile?: string;
}

/** Input values the harness passes: the lab data's inputs, plus run_marker for any test that declares it. */
export function harnessInputs(test: AtomicTest, ctx: Pick<RunContext, 'marker' | 'spec' | 'callbackBase'>): Record<string, string> {
  const vars = { marker: ctx.marker, callback: ctx.callbackBase };
  const out: Record<string, string> = {};
  if (test.inputArguments.some((a) => a.name === 'run_marker')) out.run_marker = ctx.marker;
  for (const [k, v] of Object.entries(ctx.spec?.inputs ?? {})) out[k] = expand(v, vars);
  return out;
}

/**
 * A test marked elevation_required needs the harness to run as root: without it the sandbox is an
 * unprivileged user namespace, whose "root" cannot write the host's root-owned files even in an
 * overlay (dpkg's database, /etc). Invoke-AtomicRedTeam only reports elevation; here it decides.
 */
export function elevationProblem(test: AtomicTest): string | undefined {
  if (!test.executor.elevationRequired || process.getuid?.() === 0) return undefined;
  return 'the test needs elevation (elevation_required: true) and atomic-lab is not running as root; run it as root (e.g. with sudo)';
}

export abstract class LabTarget implements Target {
  abstract readonly name: TargetName;
  abstract unsupported(test: AtomicTest): string | undefined;
  abstract requirements(tests: readonly AtomicTest[], specs: ReadonlyMap<string, import('../run/lab-spec.ts').LabTestSpec>): Promise<Requirement[]>;
  abstract versions(): Promise<Record<string, string>>;
  /** session options specific to the target (Wine prefix, host name) */
  protected abstract sessionOptions(): Promise<Pick<LabSessionOptions, 'hostname' | 'wine'>>;

  private readonly live = new Map<PreparedTest, Live>();

  constructor(protected readonly targetOptions: TargetOptions = {}) {}

  private async fullSessionOptions(): Promise<Pick<LabSessionOptions, 'hostname' | 'wine' | 'linuxSensor'>> {
    return { ...(await this.sessionOptions()), ...(this.targetOptions.linuxSensor ? { linuxSensor: this.targetOptions.linuxSensor } : {}) };
  }

  protected substituteFor(test: AtomicTest, text: string, shell: ExecutorName, overrides: Record<string, string>): string {
    const r = substitute(text, test, { shell, atomicsFolder: atomicsFolderFor(shell), overrides });
    if (r.unresolved.length) logger.warn(`${test.id}: placeholders left unresolved: ${r.unresolved.map((n) => `#{${n}}`).join(', ')}`);
    return r.text;
  }

  async dependencies(tests: readonly AtomicTest[], o: { getPrereqs: boolean; workDir: string; marker: string; timeoutMs: number; signal?: AbortSignal }): Promise<Map<AtomicTest, DependencyResult[]>> {
    const results = new Map<AtomicTest, DependencyResult[]>();
    const withDeps = tests.filter((t) => t.dependencies.length > 0);
    for (const t of tests) results.set(t, []);
    if (withDeps.length === 0) return results;
    // one prerequisite session per atomics folder
    const byDir = new Map<string, AtomicTest[]>();
    for (const t of withDeps) byDir.set(t.source.atomicsDir, [...(byDir.get(t.source.atomicsDir) ?? []), t]);
    let n = 0;
    for (const [atomicsDir, group] of byDir) {
      const lab = await LabSession.start({
        workDir: path.join(o.workDir, `prereq-${this.name}-${n++}`), atomicsDir, marker: o.marker, payloads: 'rw', listener: false,
        ...(await this.fullSessionOptions()),
      });
      try {
        for (const test of group) {
          const shell = dependencyExecutor(test);
          const inputs = harnessInputs(test, { marker: o.marker, spec: undefined, callbackBase: CALLBACK_BASE });
          const list: DependencyResult[] = [];
          for (const dep of test.dependencies) {
            const check = async (what: string) =>
              (await lab.run(shell, this.substituteFor(test, dep.prereqCommand, shell, inputs), { name: `${test.id}-${what}`, timeoutMs: o.timeoutMs, join: ' && ', ...(o.signal ? { signal: o.signal } : {}) })).result;
            const first = await check('prereq');
            const getCmd = dep.getPrereqCommand ? this.substituteFor(test, dep.getPrereqCommand, shell, inputs) : null;
            const r: DependencyResult = { description: this.substituteFor(test, dep.description, shell, inputs), met: !first.failed, check: first, getPrereqCommand: getCmd };
            if (first.failed && o.getPrereqs && getCmd) {
              r.fetch = (await lab.run(shell, getCmd, { name: `${test.id}-get-prereq`, timeoutMs: o.timeoutMs * 5, join: ' && ', ...(o.signal ? { signal: o.signal } : {}) })).result;
              r.recheck = await check('recheck');
              r.met = !r.recheck.failed;
            }
            list.push(r);
          }
          results.set(test, list);
        }
      } finally {
        await lab.dispose();
        lab.removeWorkDir();
      }
    }
    return results;
  }

  async prepare(test: AtomicTest, ctx: RunContext): Promise<PreparedTest> {
    mkdirSync(ctx.workDir, { recursive: true });
    const lab = await LabSession.start({
      workDir: ctx.workDir, atomicsDir: test.source.atomicsDir, marker: ctx.marker, payloads: 'cow', listener: true,
      ...(await this.fullSessionOptions()),
    });
    const inputs = harnessInputs(test, ctx);
    const shell = test.executor.name;
    const command = test.executor.name === 'manual' ? test.executor.steps : this.substituteFor(test, test.executor.command, shell, inputs);
    const cleanup = test.executor.name !== 'manual' && test.executor.cleanupCommand?.trim()
      ? this.substituteFor(test, test.executor.cleanupCommand, shell, inputs) : null;
    const p: PreparedTest = { target: this.name, test, ctx, command, cleanupCommand: cleanup };
    this.live.set(p, { lab });
    return p;
  }

  private lab(p: PreparedTest): Live {
    const l = this.live.get(p);
    if (!l) throw new Error(`${p.test.id}: not prepared, or already disposed`);
    return l;
  }

  async execute(p: PreparedTest, o: { timeoutMs: number; signal?: AbortSignal }): Promise<ExecResult> {
    const live = this.lab(p);
    const { result, raw, warnings } = await live.lab.run(p.test.executor.name, p.command, { name: 'test', timeoutMs: o.timeoutMs, traced: true, ...(o.signal ? { signal: o.signal } : {}) });
    live.exec = { raw, warnings: warnings ?? [] };
    return result;
  }

  async collect(p: PreparedTest): Promise<Collected> {
    const live = this.lab(p);
    const { lab } = live;
    const warnings: string[] = [...(live.exec?.warnings ?? [])];
    const warn = (m: string) => warnings.push(m);
    const raw = [...(live.exec?.raw ?? [])];
    const events: CanonicalEvent[] = [];
    let customActions: CustomActionRecord[] = [];
    let stubs: StubRecord[] = [];
    for (const r of raw) {
      if (!existsSync(r.path)) {
        warn(`${r.sensor} produced no output (${path.basename(r.path)})`);
        continue;
      }
      const text = readFileSync(r.path, 'utf8');
      if (r.format === 'wine-trace') {
        if (!r.anchor) warn('no wall-clock anchor for the Wine trace: event times are approximate');
        const parsed = parseWineTrace(text, {
          file: r.path, anchor: r.anchor ?? { wall: Date.now() / 1000, monoRaw: 0 }, host: lab.options.hostname, user: 'root', onWarning: warn,
        });
        events.push(...parsed.events);
        customActions = customActions.concat(parsed.customActions);
        stubs = stubs.concat(parsed.stubs);
      } else if (r.format === 'strace') {
        events.push(...parseStrace(text, { file: r.path, host: lab.options.hostname, cwd: '/', user: 'root', onWarning: warn, resolveExec: (x) => lab.fs.resolveExec(x) }));
      } else if (r.format === 'auditd') {
        // the auditd reader (readers/auditd) turns the records into Sysmon-for-Linux-shaped events
        for await (const e of readEvents(r.path, { onWarning: warn })) {
          if (e.process?.commandLine?.includes('atomic-lab-sentinel-')) continue; // the sensor's own end marker
          if (e.kind === 'raw') continue; // clone/exit_group and daemon records: kept in raw/audit.log, not events
          events.push({ ...e, host: e.host ?? lab.options.hostname });
        }
      }
    }
    const callbacksFile = path.join(lab.runDir, 'callbacks.jsonl');
    const callbacks: CallbackRecord[] = existsSync(callbacksFile)
      ? readFileSync(callbacksFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CallbackRecord)
      : [];
    if (existsSync(callbacksFile)) raw.push({ path: callbacksFile, format: 'callbacks-jsonl', sensor: 'listener' });
    const prefix = lab.options.wine?.prefix;
    const readFile = (file: string): string | undefined => {
      const inside = /^[a-z]:\\/i.test(file) && prefix
        ? path.posix.join(prefix, 'drive_c', file.slice(3).replace(/\\/g, '/'))
        : file;
      const host = lab.fs.hostPath(inside);
      if (!host) return undefined;
      try {
        return readFileSync(host, 'utf8');
      } catch {
        return undefined;
      }
    };
    return { raw, events, callbacks, customActions, stubs, readFile, changedFiles: lab.fs.changedFiles(), warnings };
  }

  async cleanup(p: PreparedTest, o: { timeoutMs: number }): Promise<ExecResult | null> {
    if (!p.cleanupCommand) return null;
    const { lab } = this.lab(p);
    return (await lab.run(p.test.executor.name, p.cleanupCommand, { name: 'cleanup', timeoutMs: o.timeoutMs })).result;
  }

  async dispose(p: PreparedTest): Promise<void> {
    const live = this.live.get(p);
    if (!live) return;
    this.live.delete(p);
    try {
      await live.lab.dispose();
    } finally {
      live.lab.removeWorkDir();
    }
  }

  /** Host facts every bundle records. */
  protected static kernel(): string {
    return `${os.type()} ${os.release()}`;
  }
}

/** The first line a tool prints for its version (stdout, else stderr), or 'not installed'. */
export async function firstLine(cmd: string, args: string[]): Promise<string> {
  try {
    const r = await runFile(cmd, args, { timeout: 20_000 });
    return (r.stdout || r.stderr).trim().split('\n')[0] ?? '';
  } catch {
    return 'not installed';
  }
}
