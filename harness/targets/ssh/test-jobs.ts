// From an atomic test to a job for a lab machine's runner: argument substitution with the lab's
// inputs (the run marker, the listener URL) and the machine's PathToAtomicsFolder, the ART
// dependencies as prerequisite steps, and the proof files the lab data names. Shared by the qemu,
// ssh and vagrant targets.
import path from 'node:path';
import { dependencyExecutor, type AtomicTest, type ExecutorName } from '../../atomics/model.ts';
import { substitute } from '../../atomics/substitute.ts';
import { LabError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { expand } from '../../run/lab-spec.ts';
import { harnessInputs } from '../lab-target.ts';
import { LISTENER_PORT } from '../lab-session.ts';
import type { ExecResult } from '../exec-result.ts';
import type { DependencyResult, PreparedTest, RunContext, TargetName } from '../types.ts';
import { stepResult, type DescribeCommand, type RunnerOutput } from './runner-output.ts';
import type { LinuxDependency, LinuxJob } from './linux-job.ts';
import type { WindowsDependency, WindowsJob } from './windows-job.ts';

/** The lab's convention for payloads that log their own execution (test 2's setup.py hook appends to $ATOMIC_HOOK_LOG). */
export const LINUX_HOOK_LOG = '/tmp/atomic-lab-hook.log';
export const WINDOWS_HOOK_LOG = 'C:\\Windows\\Temp\\atomic-lab-hook.log';
export const LINUX_WATCH_DIRS = ['/tmp', '/root'];

export function substituted(test: AtomicTest, text: string, shell: ExecutorName, atomicsFolder: string, inputs: Record<string, string>): string {
  const r = substitute(text, test, { shell, atomicsFolder, overrides: inputs });
  if (r.unresolved.length) logger.warn(`${test.id}: placeholders left unresolved: ${r.unresolved.map((n) => `#{${n}}`).join(', ')}`);
  return r.text;
}

const isPosix = (e: ExecutorName): e is 'sh' | 'bash' => e === 'sh' || e === 'bash';
const isWindows = (e: ExecutorName): e is 'command_prompt' | 'powershell' => e === 'command_prompt' || e === 'powershell';

/** Whether the test's dependencies run on the machine (same OS family as its executor) or must run on the host. */
export function dependenciesOnMachine(test: AtomicTest): boolean {
  const d = dependencyExecutor(test);
  return isPosix(test.executor.name) ? isPosix(d) : isWindows(d);
}

/** The test's ART dependencies as runner steps, substituted for a machine of the executor family `family`. */
function machineDependencies<E extends ExecutorName>(test: AtomicTest, atomicsFolder: string, inputs: Record<string, string>, idPrefix: string,
  family: string, accepts: (e: ExecutorName) => e is E): { id: string; check: string; get: string | null; executor: E }[] {
  const shell = dependencyExecutor(test);
  if (!accepts(shell)) throw new LabError('E_DEPENDENCY_EXECUTOR', `${test.id}: ${shell} prerequisites cannot run on a ${family} machine`);
  return test.dependencies.map((d, i) => ({
    id: `${idPrefix}${i + 1}`,
    check: substituted(test, d.prereqCommand, shell, atomicsFolder, inputs),
    get: d.getPrereqCommand ? substituted(test, d.getPrereqCommand, shell, atomicsFolder, inputs) : null,
    executor: shell,
  }));
}

export function linuxDependencies(test: AtomicTest, atomicsFolder: string, inputs: Record<string, string>, idPrefix = ''): LinuxDependency[] {
  return machineDependencies(test, atomicsFolder, inputs, idPrefix, 'Linux', isPosix);
}

export function windowsDependencies(test: AtomicTest, atomicsFolder: string, inputs: Record<string, string>, idPrefix = ''): WindowsDependency[] {
  return machineDependencies(test, atomicsFolder, inputs, idPrefix, 'Windows', isWindows);
}

/**
 * The DependencyResults of a prerequisite-only job: each dependency's check, get and recheck steps
 * as the runner recorded them (ids as given to the job), met when the runner found it met or fetched.
 */
export function dependencyResults(test: AtomicTest, list: readonly { id: string; check: string; get: string | null }[], output: RunnerOutput,
  describe: DescribeCommand, atomicsFolder: string): DependencyResult[] {
  return test.dependencies.map((d, i) => {
    const dep = list[i]!;
    const step = (kind: string, script: string) => stepResult(output.dir, output.status, `prereq-${dep.id}-${kind}`, describe(script));
    const check = step('check', dep.check);
    if (!check) throw new LabError('E_MACHINE_PREREQ', `the lab machine did not check ${test.id}'s prerequisite ${i + 1} (see ${output.dir}/runner.log)`);
    const fetch = dep.get ? step('get', dep.get) : undefined;
    const recheck = step('recheck', dep.check);
    const state = output.prereqs.get(dep.id);
    return {
      description: substituted(test, d.description, dependencyExecutor(test), atomicsFolder, {}),
      met: state === 'met' || state === 'fetched',
      check, ...(fetch ? { fetch } : {}), ...(recheck ? { recheck } : {}),
      getPrereqCommand: dep.get,
    };
  });
}

/** The result of a test command the machine did not run because a prerequisite failed there. */
export function notRun(p: PreparedTest, output: RunnerOutput, where: string): ExecResult {
  const missing = [...output.prereqs].filter(([, s]) => s === 'missing').map(([id]) => id);
  const now = new Date().toISOString();
  return {
    command: p.command, argv: [p.command], exitCode: null, signal: null, timedOut: false, interrupted: false, failed: true,
    started: now, finished: now, durationMs: 0,
    stdoutFile: path.join(output.dir, 'test.stdout'), stderrFile: path.join(output.dir, 'test.stderr'), stdout: '', stderr: '',
    error: `not run: prerequisite(s) ${missing.join(', ') || '?'} not met ${where} (see prereq-*.stderr in the capture)`,
  };
}

/** Paths of the `file` proofs that apply to `target`, expanded, that look like paths of the machine's OS. */
export function proofFiles(ctx: RunContext, target: TargetName, windows: boolean): string[] {
  const vars = { marker: ctx.marker, callback: ctx.callbackBase };
  const pattern = windows ? /^[A-Za-z]:\\/ : /^\//;
  return (ctx.spec?.proof ?? [])
    .flatMap((p) => ('file' in p && (!p.targets || p.targets.includes(target)) ? [expand(p.file.path, vars)] : []))
    .filter((f) => pattern.test(f));
}

export interface LinuxMachine {
  target: TargetName;
  /** PathToAtomicsFolder on the machine */
  atomicsFolder: string;
  audit: boolean;
  auditExport: LinuxJob['auditExport'];
  getPrereqs: boolean;
  payloadsDir?: string;
  changedFilesIn?: string[];
}

export interface PreparedJob<J> {
  job: J;
  command: string;
  cleanup: string | null;
}

/** The test's command and cleanup substituted for a machine of `family`, with the harness's inputs. */
function commands<E extends ExecutorName>(test: AtomicTest, ctx: RunContext, atomicsFolder: string, family: string, accepts: (e: ExecutorName) => e is E) {
  const ex = test.executor;
  if (ex.name === 'manual' || !accepts(ex.name)) throw new LabError('E_EXECUTOR', `${test.id}: the ${ex.name} executor does not run on a ${family} machine`);
  const shell: E = ex.name;
  const inputs = harnessInputs(test, ctx);
  const command = substituted(test, ex.command, shell, atomicsFolder, inputs);
  const cleanup = ex.cleanupCommand?.trim() ? substituted(test, ex.cleanupCommand, shell, atomicsFolder, inputs) : null;
  return { shell, inputs, command, cleanup };
}

export function linuxTestJob(test: AtomicTest, ctx: RunContext, m: LinuxMachine): PreparedJob<LinuxJob> {
  const { shell, inputs, command, cleanup } = commands(test, ctx, m.atomicsFolder, 'Linux', isPosix);
  const job: LinuxJob = {
    runId: ctx.marker, executor: shell, command, cleanup,
    dependencies: dependenciesOnMachine(test) ? linuxDependencies(test, m.atomicsFolder, inputs) : [],
    getPrereqs: m.getPrereqs,
    env: { ATOMIC_LAB_MARKER: ctx.marker, ATOMIC_HOOK_LOG: LINUX_HOOK_LOG },
    collect: [...new Set([...proofFiles(ctx, m.target, false), LINUX_HOOK_LOG])],
    timeoutSec: 120,
    listener: { port: LISTENER_PORT, serve: path.posix.join(m.atomicsFolder, '..', 'ExternalPayloads') },
    watchDirs: LINUX_WATCH_DIRS,
    audit: m.audit,
    auditKey: `al_${ctx.marker.replace(/-/g, '').slice(0, 12)}`,
    auditExport: m.auditExport,
    techniqueDirs: [path.dirname(test.source.file)],
    ...(m.payloadsDir ? { payloadsDir: m.payloadsDir } : {}),
    ...(m.changedFilesIn ? { changedFilesIn: m.changedFilesIn } : {}),
  };
  return { job, command, cleanup };
}

export interface WindowsMachine {
  target: TargetName;
  atomicsFolder: string;
  getPrereqs: boolean;
  channels: string[];
  /** host folders whose files the test needs as ExternalPayloads\<name> (built on the host) */
  payloadDirs: string[];
}

export function windowsTestJob(test: AtomicTest, ctx: RunContext, m: WindowsMachine): PreparedJob<WindowsJob> {
  const { shell, inputs, command, cleanup } = commands(test, ctx, m.atomicsFolder, 'Windows', isWindows);
  const job: WindowsJob = {
    runId: ctx.marker, executor: shell, command, cleanup, timeoutSec: 120,
    dependencies: dependenciesOnMachine(test) ? windowsDependencies(test, m.atomicsFolder, inputs) : [],
    getPrereqs: m.getPrereqs,
    collect: [...new Set([...proofFiles(ctx, m.target, true), WINDOWS_HOOK_LOG])],
    env: { ATOMIC_LAB_MARKER: ctx.marker, ATOMIC_HOOK_LOG: WINDOWS_HOOK_LOG },
    listenerPort: LISTENER_PORT,
    channels: m.channels,
    techniqueDirs: [path.dirname(test.source.file)],
    payloadDirs: m.payloadDirs,
  };
  return { job, command, cleanup };
}
