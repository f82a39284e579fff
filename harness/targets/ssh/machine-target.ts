// What the ssh and vagrant targets share: a lab machine (Linux or Windows) reached through a
// Transport, the runner scripts of lab/ doing the work on it, and the Target seam (types.ts) on top.
//
// The whole test runs in one runner job during execute(): its prerequisites that run on the
// machine, the command (audited on Linux), the proof files, the event-log export of the run window
// (Windows) and the cleanup command. collect() parses what came back; cleanup() reports the cleanup
// the machine already ran. Prerequisites written for a POSIX shell of a Windows test (the lab's MSI
// builds with wixl) run on the host, in the sandbox target's prerequisite session, which puts what
// they build into the host's payload cache; the job uploads those files to the machine.
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dependencyExecutor, type AtomicTest } from '../../atomics/model.ts';
import { LabError } from '../../core/errors.ts';
import type { LabTestSpec } from '../../run/lab-spec.ts';
import { payloadCacheDir } from '../cache.ts';
import type { ExecResult } from '../exec-result.ts';
import { harnessInputs } from '../lab-target.ts';
import { CALLBACK_BASE } from '../lab-session.ts';
import { SandboxTarget } from '../sandbox.ts';
import type { Collected, DependencyResult, PreparedTest, Requirement, RunContext, Target } from '../types.ts';
import { collectLinuxRun } from './linux-collect.ts';
import { linuxDescribe, type LinuxJob } from './linux-job.ts';
import { runLinuxJob, runWindowsJob, type RemoteRun, type Transport } from './remote.ts';
import type { DescribeCommand, RunnerOutput } from './runner-output.ts';
import { dependenciesOnMachine, dependencyResults, linuxDependencies, linuxTestJob, LINUX_WATCH_DIRS, notRun, windowsDependencies, windowsTestJob } from './test-jobs.ts';
import { collectWindowsRun } from './windows-collect.ts';
import { CHANNELS, windowsDescribe, type WindowsJob } from './windows-job.ts';

export interface MachineSettings {
  platform: 'linux' | 'windows';
  sensors: string[];
  /** Linux: the machine's lab folder (runs land in <base>/runs/<id>/) */
  linuxBase: string;
  /** Linux: a persistent ExternalPayloads folder, or undefined (per run) */
  payloadsDir?: string;
  /** Linux: run the runner with `sudo -n` */
  sudo: boolean;
  testTimeoutSec: number;
}

interface Live {
  job: { linux?: LinuxJob; windows?: WindowsJob };
  resultsDir: string;
  run?: RemoteRun;
}

export abstract class MachineTarget implements Target {
  abstract readonly name: 'ssh' | 'vagrant';
  protected abstract readonly settings: MachineSettings;
  protected abstract transport(): Transport;
  /** before each job on the machine (vagrant: up, snapshot restore, licence check) */
  protected async beforeJob(_signal?: AbortSignal): Promise<void> {}
  /** after each job (vagrant: is the machine still running?) */
  protected async afterJob(): Promise<void> {}
  /** after each test, success or not (vagrant: snapshot restore) */
  protected async afterTest(): Promise<void> {}

  private readonly live = new Map<PreparedTest, Live>();
  private getPrereqs = false;

  abstract requirements(tests: readonly AtomicTest[], specs: ReadonlyMap<string, LabTestSpec>): Promise<Requirement[]>;
  abstract versions(): Promise<Record<string, string>>;

  unsupported(test: AtomicTest): string | undefined {
    const { platform } = this.settings;
    if (!test.platforms.includes(platform)) return `this ${this.name} machine is ${platform}; the test supports ${test.platforms.join(', ')}`;
    const ok = platform === 'linux' ? ['sh', 'bash'] : ['command_prompt', 'powershell'];
    return ok.includes(test.executor.name) ? undefined : `the ${test.executor.name} executor does not run on a ${platform} machine`;
  }

  protected atomicsFolder(runId: string): string {
    return this.settings.platform === 'windows' ? `C:\\atomic-lab\\runs\\${runId}\\atomics` : `${this.settings.linuxBase}/runs/${runId}/atomics`;
  }

  private channels(): string[] {
    return this.settings.sensors.flatMap((s) => (CHANNELS[s] ? [CHANNELS[s]!] : []));
  }

  private jobTimeoutMs(deps: number): number {
    return (this.settings.testTimeoutSec * (3 + deps * 3) + 300) * 1000;
  }

  private async runJob(job: { linux?: LinuxJob; windows?: WindowsJob }, resultsDir: string, signal?: AbortSignal): Promise<RemoteRun> {
    mkdirSync(resultsDir, { recursive: true });
    await this.beforeJob(signal);
    const t = this.transport();
    const sig = signal ? { signal } : {};
    let run: RemoteRun;
    try {
      run = job.windows
        ? await runWindowsJob(t, job.windows, { resultsDir, timeoutMs: this.jobTimeoutMs(job.windows.dependencies.length), ...sig })
        : await runLinuxJob(t, job.linux!, { base: this.settings.linuxBase, sudo: this.settings.sudo, resultsDir, timeoutMs: this.jobTimeoutMs(job.linux!.dependencies?.length ?? 0), ...sig });
    } catch (e) {
      // a machine that went away explains the failure better than the failed command does
      await this.afterJob();
      throw e;
    }
    await this.afterJob();
    return run;
  }

  async dependencies(tests: readonly AtomicTest[], o: { getPrereqs: boolean; workDir: string; marker: string; timeoutMs: number; signal?: AbortSignal }): Promise<Map<AtomicTest, DependencyResult[]>> {
    this.getPrereqs = o.getPrereqs;
    const results = new Map<AtomicTest, DependencyResult[]>(tests.map((t) => [t, []]));
    const withDeps = tests.filter((t) => t.dependencies.length > 0);
    // POSIX prerequisites of Windows tests: on the host, where the payloads are built
    const onHost = withDeps.filter((t) => !dependenciesOnMachine(t));
    if (onHost.length) for (const [t, r] of await new SandboxTarget().dependencies(onHost, o)) results.set(t, r);
    const onMachine = withDeps.filter((t) => dependenciesOnMachine(t));
    if (onMachine.length === 0) return results;

    const windows = this.settings.platform === 'windows';
    const lists = onMachine.map((t, ti) => {
      const inputs = harnessInputs(t, { marker: o.marker, spec: undefined, callbackBase: CALLBACK_BASE });
      const folder = this.atomicsFolder(o.marker);
      return { test: t, list: windows ? windowsDependencies(t, folder, inputs, `${ti + 1}-`) : linuxDependencies(t, folder, inputs, `${ti + 1}-`) };
    });
    const techniqueDirs = [...new Set(onMachine.map((t) => path.dirname(t.source.file)))];
    const timeoutSec = Math.ceil(o.timeoutMs / 1000);
    const job = windows
      ? { windows: {
        runId: o.marker, executor: 'powershell' as const, command: null, cleanup: null, timeoutSec,
        dependencies: lists.flatMap((l) => l.list as ReturnType<typeof windowsDependencies>), getPrereqs: o.getPrereqs,
        collect: [], env: {}, listenerPort: 0, channels: [], techniqueDirs, payloadDirs: [],
      } }
      : { linux: {
        runId: o.marker, executor: 'sh' as const, command: null, dependencies: lists.flatMap((l) => l.list as ReturnType<typeof linuxDependencies>),
        getPrereqs: o.getPrereqs, timeoutSec, watchDirs: LINUX_WATCH_DIRS, audit: false, auditKey: 'al_prereq', auditExport: 'none' as const,
        techniqueDirs, ...(this.settings.payloadsDir ? { payloadsDir: this.settings.payloadsDir } : {}),
      } };
    const resultsDir = path.join(o.workDir, `${this.name}-prereqs`);
    let run: RemoteRun;
    try {
      run = await this.runJob(job, resultsDir, o.signal);
    } finally {
      await this.afterTest();
    }
    for (const { test, list } of lists) {
      const describe: DescribeCommand = windows
        ? windowsDescribe(dependencyExecutor(test) as 'powershell' | 'command_prompt', ' && ')
        : linuxDescribe({ executor: dependencyExecutor(test) as 'sh' | 'bash', runId: o.marker });
      results.set(test, dependencyResults(test, list, run.output, describe, this.atomicsFolder(o.marker)));
    }
    return results;
  }

  async prepare(test: AtomicTest, ctx: RunContext): Promise<PreparedTest> {
    const { platform } = this.settings;
    const folder = this.atomicsFolder(ctx.marker);
    let prepared: { job: { linux?: LinuxJob; windows?: WindowsJob }; command: string; cleanup: string | null };
    if (platform === 'windows') {
      const technique = path.basename(path.dirname(test.source.file));
      const w = windowsTestJob(test, ctx, {
        target: this.name, atomicsFolder: folder, getPrereqs: this.getPrereqs, channels: this.channels(),
        payloadDirs: [path.join(payloadCacheDir(), technique)],
      });
      w.job.timeoutSec = this.settings.testTimeoutSec;
      prepared = { job: { windows: w.job }, command: w.command, cleanup: w.cleanup };
    } else {
      const l = linuxTestJob(test, ctx, {
        target: this.name, atomicsFolder: folder, audit: this.settings.sensors.includes('auditd'), auditExport: 'ausearch',
        getPrereqs: this.getPrereqs, ...(this.settings.payloadsDir ? { payloadsDir: this.settings.payloadsDir } : {}),
      });
      l.job.timeoutSec = this.settings.testTimeoutSec;
      prepared = { job: { linux: l.job }, command: l.command, cleanup: l.cleanup };
    }
    mkdirSync(ctx.workDir, { recursive: true });
    const p: PreparedTest = { target: this.name, test, ctx, command: prepared.command, cleanupCommand: prepared.cleanup };
    this.live.set(p, { job: prepared.job, resultsDir: path.join(ctx.workDir, 'machine') });
    return p;
  }

  private liveOf(p: PreparedTest): Live {
    const l = this.live.get(p);
    if (!l) throw new Error(`${p.test.id}: not prepared, or already disposed`);
    return l;
  }

  async execute(p: PreparedTest, o: { timeoutMs: number; signal?: AbortSignal }): Promise<ExecResult> {
    const live = this.liveOf(p);
    const secs = Math.max(1, Math.ceil(o.timeoutMs / 1000));
    if (live.job.linux) live.job.linux.timeoutSec = secs;
    if (live.job.windows) live.job.windows.timeoutSec = secs;
    live.run = await this.runJob(live.job, live.resultsDir, o.signal);
    return live.run.output.test ?? notRun(p, live.run.output, `on the ${this.name} machine`);
  }

  async collect(p: PreparedTest): Promise<Collected> {
    const run = this.liveOf(p).run;
    if (!run) throw new LabError('E_MACHINE_NOT_RUN', `${p.test.id}: collect before execute`);
    const output: RunnerOutput = run.output;
    if (this.settings.platform === 'windows') return collectWindowsRun(output);
    return collectLinuxRun(output, { host: output.status.get('hostname')?.at(-1) ?? this.name });
  }

  async cleanup(p: PreparedTest): Promise<ExecResult | null> {
    return this.liveOf(p).run?.output.cleanup ?? null;
  }

  async dispose(p: PreparedTest): Promise<void> {
    const live = this.live.get(p);
    if (!live) return;
    this.live.delete(p);
    try {
      await this.afterTest();
    } finally {
      rmSync(live.resultsDir, { recursive: true, force: true });
    }
  }
}
