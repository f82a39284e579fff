// Executing atomic tests for real: prerequisites, then per test prepare → execute → collect →
// cleanup → dispose on its target, and one capture bundle per test (harness/capture/bundle.ts).
//
// - Prerequisites first, for all selected tests: the targets' system requirements (Debian
//   packages, the Wine prefix) and each test's ART dependencies (prereq_command, in a sandbox
//   session). With getPrereqs the missing ones are installed (apt-get, wineboot,
//   get_prereq_command) and checked again; without it, anything missing stops the run with a
//   LabError listing each item and the command that installs it (exit 3), before any test runs.
// - Each test gets a fresh run marker (GUID), passed as the `run_marker` input and in every
//   command's own command line and environment (lab-session.ts), and its own sandbox session.
// - Per-test timeout (default 120 s, Invoke-AtomicRedTeam's). The cleanup command and the
//   session's disposal always run: after success, failure, timeout, and when the harness gets
//   SIGINT or SIGTERM (the running command's process tree is killed first, then cleanup runs,
//   then the bundle is written and executeTests rejects with InterruptedError).
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LabError } from '../core/errors.ts';
import { logger } from '../core/logger.ts';
import { Progress } from '../core/progress.ts';
import type { AtomicTest } from '../atomics/model.ts';
import { addRawFile, bundleDir, RAW_DIR, writeBundle, type CaptureBundle, type CommandRecord, type RawFileRef } from '../capture/bundle.ts';
import { assignTargets, createTarget, LOCAL_TARGETS, type TargetChoice } from '../targets/index.ts';
import { CALLBACK_BASE, type LinuxSensor } from '../targets/lab-session.ts';
import type { ExecResult } from '../targets/exec-result.ts';
import { describeResult } from '../targets/exec-result.ts';
import type { Collected, DependencyResult, PreparedTest, Requirement, Target } from '../targets/types.ts';
import { applyMarker } from '../telemetry/normalize/marker.ts';
import type { ExecutionStep, TestStatus } from '../verdicts/results.ts';
import { applicableProofs, checkProof, checkSignal, statusOf } from './checks.ts';
import { expandAll, loadLabSpecs, type LabTestSpec } from './lab-spec.ts';
import { EventIndex } from './match.ts';

export const DEFAULT_TIMEOUT_MS = 120_000;
const CLEANUP_TIMEOUT_MS = 60_000;

export interface ExecuteOptions {
  /** auto (default): wine for Windows command_prompt atomics, sandbox for Linux sh/bash atomics */
  target?: TargetChoice;
  /** captures go to <reportDir>/captures/<test-slug>/ */
  reportDir: string;
  /** install missing prerequisites (apt packages, Wine prefix, get_prereq_command) */
  getPrereqs?: boolean;
  /**
   * Allow commands on the host outside a sandbox or Wine prefix. The wine and sandbox targets
   * never need it (every test and dependency command runs in a sandbox session); recorded only.
   */
  allowHost?: boolean;
  /** per test command (default 120 s) */
  timeoutMs?: number;
  /** sensor for Linux atomics: auto (default: auditd where usable, else strace), auditd, strace */
  linuxSensor?: LinuxSensor;
  /** lab config file (YAML) for the qemu, vagrant and ssh targets */
  configFile?: string;
  progress?: Progress;
  /** where per-test work folders are made (default: the OS temp folder) */
  workRoot?: string;
}

/** The harness was interrupted; cleanup ran and the bundles written so far are attached. */
export class InterruptedError extends LabError {
  constructor(readonly signal: NodeJS.Signals, readonly bundles: CaptureBundle[]) {
    super('E_INTERRUPTED', `interrupted by ${signal}: the running test was stopped and its cleanup ran; ${bundles.length} capture bundle(s) written`);
  }
}

/** Phase durations of one test, in ms (bench/lab-phases.ts prints them). */
export type PhaseTimes = {
  prepare: number;
  execute: number;
  capture: number;
  parse: number;
  cleanup: number;
};

export interface ExecutedBundle extends CaptureBundle {
  /** where the bundle was written */
  dir: string;
  phases: PhaseTimes;
}

function step(phase: ExecutionStep['phase'], r: ExecResult, executor?: string): ExecutionStep {
  return {
    phase, command: r.command, ...(executor ? { executor } : {}), started: r.started, finished: r.finished,
    ...(r.exitCode !== null ? { exitCode: r.exitCode } : {}), ...(r.timedOut ? { timedOut: true } : {}),
  };
}

function prereqMessage(missing: { what: string; install: string }[]): string {
  return `missing prerequisites (run again with --get-prereqs to install them):\n${missing.map((m) => `  - ${m.what}\n      install: ${m.install}`).join('\n')}`;
}

export async function executeTests(selection: readonly AtomicTest[], options: ExecuteOptions): Promise<ExecutedBundle[]> {
  const progress = options.progress ?? new Progress();
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = options.workRoot ?? tmpdir();
  mkdirSync(base, { recursive: true });
  const workRoot = mkdtempSync(path.join(base, 'atomic-lab-'));
  const ac = new AbortController();
  let interrupted: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) {
      logger.warn(`${sig} again: still cleaning up, please wait`);
      return;
    }
    interrupted = sig;
    logger.warn(`${sig} received: stopping the running test; its cleanup runs before exiting`);
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const bundles: ExecutedBundle[] = [];
  try {
    const specs = new Map<string, LabTestSpec>();
    for (const dir of new Set(selection.map((t) => t.source.atomicsDir))) for (const [k, v] of loadLabSpecs(dir)) specs.set(k, v);
    const assignments = assignTargets(selection, options.target ?? 'auto', {
      ...(options.linuxSensor ? { linuxSensor: options.linuxSensor } : {}),
      ...(options.configFile ? { configFile: options.configFile } : {}),
    });
    const byTarget = new Map<Target, AtomicTest[]>();
    for (const a of assignments) if (a.target) byTarget.set(a.target, [...(byTarget.get(a.target) ?? []), a.test]);

    // ---- prerequisites
    const pre = progress.step(`prerequisites for ${selection.length} test(s)`);
    const deps = new Map<AtomicTest, DependencyResult[]>();
    const versions: Record<string, string> = {};
    try {
      const missing: { what: string; install: string }[] = [];
      for (const [target, tests] of byTarget) {
        let reqs = await target.requirements(tests, specs);
        if (options.getPrereqs && reqs.some((r) => !r.met)) {
          const installers = new Set(reqs.filter((r) => !r.met && r.installer).map((r) => r.installer!));
          for (const install of installers) await install();
          reqs = await target.requirements(tests, specs);
        }
        for (const r of reqs.filter((x: Requirement) => !x.met)) missing.push({ what: `${target.name}: ${r.description}${r.detail ? ` (${r.detail})` : ''}`, install: r.install });
      }
      if (missing.length) throw new LabError('E_PREREQS', prereqMessage(missing));
      // every bundle names the versions of the whole local toolchain (wine, wixl, python, pip, kernel...)
      for (const local of LOCAL_TARGETS) if (![...byTarget.keys()].some((t) => t.name === local)) Object.assign(versions, await createTarget(local).versions());
      for (const [target, tests] of byTarget) {
        Object.assign(versions, await target.versions());
        const res = await target.dependencies(tests, { getPrereqs: Boolean(options.getPrereqs), workDir: workRoot, marker: randomUUID(), timeoutMs, signal: ac.signal });
        for (const [t, r] of res) deps.set(t, r);
      }
      if (interrupted) throw new InterruptedError(interrupted, bundles);
      if (!options.getPrereqs) {
        const unmet = [...deps].flatMap(([t, list]) => list.filter((d) => !d.met).map((d) => ({
          what: `${t.id} ${t.name}: ${d.description}`,
          install: d.getPrereqCommand ?? '(the test has no get_prereq_command)',
        })));
        if (unmet.length) throw new LabError('E_PREREQS', prereqMessage(unmet));
      }
      pre.end('ok');
    } catch (e) {
      pre.end('failed', (e as Error).message.split('\n')[0]);
      throw e;
    }
    versions['atomic-lab'] = packageVersion();

    // ---- tests
    for (const a of assignments) {
      if (interrupted) break;
      const s = progress.step(`${a.test.id} ${a.test.name}${a.target ? ` (${a.target.name})` : ''}`);
      const b = await runOne(a.test, a.target, a.reason, deps.get(a.test) ?? [], specs, versions, { ...options, timeoutMs }, workRoot, ac.signal, () => interrupted);
      bundles.push(b);
      const detail = `${b.status}${b.error ? `: ${b.error}` : ''}`;
      s.end(b.status === 'prereq_failed' || b.status === 'execution_failed' ? 'failed' : 'ok', detail);
    }
    if (interrupted) throw new InterruptedError(interrupted, bundles);
    return bundles;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    rmSync(workRoot, { recursive: true, force: true });
  }
}

let versionCache: string | undefined;
function packageVersion(): string {
  if (versionCache) return versionCache;
  try {
    versionCache = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    versionCache = 'unknown';
  }
  return versionCache;
}

async function runOne(
  test: AtomicTest, target: Target | undefined, reason: string | undefined, deps: DependencyResult[],
  specs: ReadonlyMap<string, LabTestSpec>, versions: Record<string, string>,
  options: ExecuteOptions & { timeoutMs: number }, workRoot: string, signal: AbortSignal, interrupted: () => NodeJS.Signals | undefined,
): Promise<ExecutedBundle> {
  const marker = randomUUID();
  const dir = bundleDir(options.reportDir, test.id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = new Date().toISOString();
  const phases: PhaseTimes = { prepare: 0, execute: 0, capture: 0, parse: 0, cleanup: 0 };
  const spec = test.guid ? specs.get(test.guid) : undefined;
  const execution: ExecutionStep[] = deps.flatMap((d) => [d.check, d.fetch, d.recheck].filter((r): r is ExecResult => Boolean(r)).map((r) => step('prereq', r)));
  const bundle: ExecutedBundle = {
    schema: 'atomic-lab/capture@1',
    test: { technique: test.technique, number: test.number, guid: test.guid ?? '', name: test.name, kind: test.kind },
    target: target?.name ?? 'none',
    marker,
    started,
    finished: started,
    versions,
    executor: test.executor.name,
    exitCode: null,
    status: 'prereq_failed',
    proof: [],
    signals: [],
    raw: [],
    eventCount: 0,
    prerequisites: deps.map((d) => ({ description: d.description, met: d.met, ...(d.met ? {} : { install: d.getPrereqCommand ?? '(none)' }), ...(d.met ? {} : { detail: describeResult(d.recheck ?? d.check) }) })),
    execution,
    events: [],
    dir,
    phases,
  };
  const finish = (status: TestStatus, error?: string): ExecutedBundle => {
    bundle.status = status;
    if (error) bundle.error = error;
    bundle.finished = new Date().toISOString();
    return write(bundle);
  };
  if (!target) return finish('prereq_failed', reason);
  if (deps.some((d) => !d.met)) return finish('prereq_failed', `prerequisites not met: ${deps.filter((d) => !d.met).map((d) => d.description).join('; ')}`);

  const ctx = { marker, callbackBase: CALLBACK_BASE, spec, workDir: path.join(workRoot, `${test.id}-${marker.slice(0, 8)}`) };
  let prepared: PreparedTest | undefined;
  let exec: ExecResult | undefined;
  let collected: Collected | undefined;
  let error: string | undefined;
  const warnings: string[] = [];
  let t = Date.now();
  try {
    prepared = await target.prepare(test, ctx);
    phases.prepare = Date.now() - t;
    bundle.command = prepared.command;
    t = Date.now();
    exec = await target.execute(prepared, { timeoutMs: options.timeoutMs, signal });
    phases.execute = Date.now() - t;
    bundle.exitCode = exec.exitCode;
    if (exec.timedOut) bundle.timedOut = true;
    execution.push(step('test', exec, test.executor.name));
    t = Date.now();
    collected = await target.collect(prepared);
    phases.parse = Date.now() - t;
    t = Date.now();
    const copied = copyRaw(dir, collected.raw);
    bundle.raw = copied.refs;
    // events name the bundle's copy of their raw file, so a replayed bundle points into itself
    const relOf = copied.relOf;
    for (const e of collected.events) {
      const rel = e.origin.file ? relOf.get(e.origin.file) : undefined;
      if (rel) e.origin.file = rel;
    }
    bundle.stdout = addRawFile(dir, exec.stdoutFile, 'test.stdout');
    // under Wine the command's stderr is the trace itself: point at the raw copy instead of a second one
    bundle.stderr = relOf.get(exec.stderrFile) ?? addRawFile(dir, exec.stderrFile, 'test.stderr');
    phases.capture = Date.now() - t;
    warnings.push(...collected.warnings);
    // proofs read files the cleanup command deletes: checked now, before cleanup
    checkRun(bundle, collected, spec, target.name, exec.exitCode);
    if (exec.error) error = exec.error;
    else if (exec.interrupted) error = `interrupted by ${interrupted() ?? 'a signal'}`;
  } catch (e) {
    error = (e as Error).message;
    logger.debug((e as Error).stack ?? '');
  } finally {
    if (prepared) {
      t = Date.now();
      try {
        const c = await target.cleanup(prepared, { timeoutMs: Math.min(options.timeoutMs, CLEANUP_TIMEOUT_MS) });
        bundle.cleanup = c ? record(dir, c, 'cleanup') : null;
        if (c) execution.push(step('cleanup', c, test.executor.name));
        if (c?.failed) warnings.push(`cleanup command failed: ${describeResult(c)}`);
      } catch (e) {
        warnings.push(`cleanup could not run: ${(e as Error).message}`);
      }
      try {
        await target.dispose(prepared);
      } catch (e) {
        warnings.push(`dispose failed: ${(e as Error).message}`);
      }
      phases.cleanup = Date.now() - t;
    }
  }

  if (warnings.length) bundle.warnings = warnings;
  const executionOk = Boolean(exec) && !exec!.failed && !error;
  if (exec && exec.failed && !error) error = `the test command failed: ${describeResult(exec)}`;
  const status = statusOf({ prereqsMet: true, executionOk, proofs: bundle.proof, signals: bundle.signals });
  return finish(status, error);
}

/** Marks the events, checks proofs and signals, and lists the files the test changed. */
function checkRun(bundle: ExecutedBundle, collected: Collected, spec: LabTestSpec | undefined, target: Target['name'], exitCode: number | null): void {
  const { marker, dir } = bundle;
  for (const e of collected.events) applyMarker(e, marker);
  bundle.events = collected.events;
  bundle.eventCount = collected.events.length;
  if (spec) {
    const vars = { marker, callback: CALLBACK_BASE };
    const ctx = {
      target, marker, index: new EventIndex(collected.events), callbacks: collected.callbacks, readFile: collected.readFile,
      customActions: collected.customActions, stubs: collected.stubs, exitCode,
    };
    bundle.proof = applicableProofs(expandAll(spec.proof, vars), target).map((p) => checkProof(p, ctx));
    bundle.signals = expandAll(spec.signals, vars).map((s) => checkSignal(s, ctx));
  }
  bundle.changedFiles = collected.changedFiles.slice(0, 500);
  if (collected.changedFiles.length) {
    mkdirSync(path.join(dir, RAW_DIR), { recursive: true });
    writeFileSync(path.join(dir, RAW_DIR, 'changed-files.txt'), collected.changedFiles.join('\n') + '\n');
    bundle.raw.push({ path: `${RAW_DIR}/changed-files.txt`, format: 'text', sensor: 'overlay' });
  }
}

function record(dir: string, r: ExecResult, name: string): CommandRecord {
  const stdout = addRawFile(dir, r.stdoutFile, `${name}.stdout`);
  const stderr = addRawFile(dir, r.stderrFile, `${name}.stderr`);
  return {
    command: r.command, exitCode: r.exitCode, timedOut: r.timedOut, ...(r.interrupted ? { interrupted: true } : {}),
    started: r.started, finished: r.finished, ...(stdout ? { stdout } : {}), ...(stderr ? { stderr } : {}), ...(r.error ? { error: r.error } : {}),
  };
}

function copyRaw(dir: string, raw: Collected['raw']): { refs: RawFileRef[]; relOf: Map<string, string> } {
  const out: RawFileRef[] = [];
  const relOf = new Map<string, string>();
  for (const r of raw) {
    const name = r.format === 'wine-trace' ? 'wine-trace.txt' : r.format === 'strace' ? 'strace.txt' : r.format === 'callbacks-jsonl' ? 'callbacks.jsonl' : path.basename(r.path);
    const rel = addRawFile(dir, r.path, name);
    if (!rel) continue;
    if (r.anchor) writeFileSync(path.join(dir, `${rel}.anchor.json`), JSON.stringify(r.anchor) + '\n');
    out.push({ path: rel, format: r.format, sensor: r.sensor, ...(r.anchor ? { anchor: r.anchor } : {}) });
    relOf.set(r.path, rel);
  }
  return { refs: out, relOf };
}

function write(b: ExecutedBundle): ExecutedBundle {
  const { dir, ...bundle } = b;
  writeBundle(dir, bundle);
  return b;
}
