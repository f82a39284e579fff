// The qemu target: Linux atomics (sh, bash) inside a real VM built from Debian packages, one boot
// per test on a fresh qcow2 overlay of the cached image, auditd inside the guest (DESIGN.md).
//
// Lifecycle against the Target seam (types.ts): the whole test runs in one boot during execute()
// (prerequisite check, audited command, proof files copied, cleanup command, audit log), because
// the overlay and everything in it vanish at power-off; collect() parses what came back and
// cleanup() reports the cleanup command the guest already ran. dependencies() checks every selected
// test's prerequisites in one boot of its own; what get_prereq_command installs there is lost with
// that boot's overlay, so each test boot runs the same check (and, with --get-prereqs, the fetch)
// again before its command: heavy preparation belongs in the image recipe (the venv of test 2).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dependencyExecutor, type AtomicTest } from '../../atomics/model.ts';
import { LabError } from '../../core/errors.ts';
import { logger } from '../../core/logger.ts';
import { defaultTarget } from '../../lab-config/load.ts';
import type { QemuTargetConfig } from '../../lab-config/types.ts';
import type { LabTestSpec } from '../../run/lab-spec.ts';
import { describeResult, type ExecResult } from '../exec-result.ts';
import { harnessInputs } from '../lab-target.ts';
import { CALLBACK_BASE } from '../lab-session.ts';
import { packageRequirements } from '../packages.ts';
import { collectLinuxRun } from '../ssh/linux-collect.ts';
import { linuxDescribe, type LinuxJob } from '../ssh/linux-job.ts';
import type { RunnerOutput } from '../ssh/runner-output.ts';
import { dependencyResults, LINUX_WATCH_DIRS, linuxDependencies, linuxTestJob, notRun } from '../ssh/test-jobs.ts';
import type { Collected, DependencyResult, PreparedTest, Requirement, RunContext, Target } from '../types.ts';
import { chooseAccel, qemuVersion, type AccelChoice } from './accel.ts';
import { buildPrerequisites, cachedImage, buildImage, qemuCacheDir, type LabImage } from './image.ts';
import { loadRecipe, type ImageRecipe } from './recipe.ts';
import { GUEST_ATOMICS, runJobInVm, type VmJobResult } from './run-job.ts';

/** Host packages the target needs to boot the image (and to build it). */
export const QEMU_PACKAGES = ['qemu-system-x86', 'qemu-utils'];
export const IMAGE_BUILD_PACKAGES = ['debootstrap', 'e2fsprogs'];

interface Live {
  job: LinuxJob;
  resultsDir: string;
  run?: VmJobResult;
}

export class QemuTarget implements Target {
  readonly name = 'qemu' as const;
  private readonly live = new Map<PreparedTest, Live>();
  private recipeCache: ImageRecipe | undefined;
  private accelCache: Promise<AccelChoice> | undefined;
  /** whether the run may fetch prerequisites (set by dependencies(), which runs first) */
  private getPrereqs = false;

  constructor(readonly config: QemuTargetConfig = defaultTarget('qemu') as QemuTargetConfig) {}

  get recipe(): ImageRecipe {
    return (this.recipeCache ??= loadRecipe(this.config.recipe));
  }

  unsupported(test: AtomicTest): string | undefined {
    if (!test.platforms.includes('linux')) return `the qemu target runs Linux atomics in a Debian VM; this one supports ${test.platforms.join(', ')}`;
    if (test.executor.name === 'sh' || test.executor.name === 'bash') return undefined;
    return `the ${test.executor.name} executor does not run in the Linux VM`;
  }

  async requirements(tests: readonly AtomicTest[], specs: ReadonlyMap<string, LabTestSpec>): Promise<Requirement[]> {
    const recipe = this.recipe;
    const image = cachedImage(recipe);
    const out = await packageRequirements(image ? QEMU_PACKAGES : [...QEMU_PACKAGES, ...IMAGE_BUILD_PACKAGES]);
    // the tests' packages must be in the guest, i.e. in the image recipe
    const inImage = new Set([recipe.kernel, ...recipe.packages]);
    for (const pkg of new Set(tests.flatMap((t) => (t.guid ? specs.get(t.guid)?.packages ?? [] : [])))) {
      out.push({
        id: `guest-package:${pkg}`,
        description: `Debian package ${pkg} in the lab VM image`,
        met: inImage.has(pkg),
        install: `add ${pkg} to packages: in ${recipe.file}, then: atomic-lab run --target qemu --get-prereqs (rebuilds the image)`,
      });
    }
    const build = image ? [] : await buildPrerequisites();
    out.push({
      id: 'qemu-image',
      description: `QEMU lab image ${recipe.key} (Debian ${recipe.suite}, ${recipe.kernel})`,
      met: image !== undefined,
      install: build.length ? build.map((b) => b.fix).join('; then ') : 'atomic-lab run --target qemu --get-prereqs (debootstrap, about 1-3 minutes, once per recipe)',
      detail: image ? image.dir : `not built yet; cache: ${qemuCacheDir()}`,
      installer: async () => {
        await buildImage(recipe);
      },
    });
    return out;
  }

  /** The cached image; a LabError saying how to build it when it is missing. */
  private image(): LabImage {
    const image = cachedImage(this.recipe);
    if (!image) {
      throw new LabError('E_QEMU_NO_IMAGE', `the QEMU lab image ${this.recipe.key} is not built: run atomic-lab run --target qemu --get-prereqs (or atomic-lab doctor --build-image)`);
    }
    return image;
  }

  accel(): Promise<AccelChoice> {
    this.accelCache ??= chooseAccel(this.config.accel, this.image().kernel, qemuCacheDir()).then((c) => {
      logger.info(`qemu: ${c.accel.toUpperCase()} (${c.reason})`);
      return c;
    });
    return this.accelCache;
  }

  private vmOptions(accel: AccelChoice, resultsDir: string, signal?: AbortSignal) {
    return {
      image: this.image(), accel: accel.accel, memoryMb: this.config.memory, cpus: this.config.cpus, network: this.config.network,
      bootTimeoutSec: this.config.bootTimeout, resultsDir, ...(signal ? { signal } : {}),
      onLine: (l: string) => logger.debug(`guest: ${l}`),
    };
  }

  async dependencies(tests: readonly AtomicTest[], o: { getPrereqs: boolean; workDir: string; marker: string; timeoutMs: number; signal?: AbortSignal }): Promise<Map<AtomicTest, DependencyResult[]>> {
    const results = new Map<AtomicTest, DependencyResult[]>(tests.map((t) => [t, []]));
    const withDeps = tests.filter((t) => t.dependencies.length > 0);
    if (withDeps.length === 0) return results;
    this.getPrereqs = o.getPrereqs;
    const deps = withDeps.map((t, ti) => ({
      test: t,
      list: linuxDependencies(t, GUEST_ATOMICS, harnessInputs(t, { marker: o.marker, spec: undefined, callbackBase: CALLBACK_BASE }), `${ti + 1}-`),
    }));
    const resultsDir = path.join(o.workDir, 'qemu-prereqs');
    const job: LinuxJob = {
      runId: o.marker, executor: 'sh', command: null, dependencies: deps.flatMap((d) => d.list), getPrereqs: o.getPrereqs,
      timeoutSec: Math.ceil(o.timeoutMs / 1000), watchDirs: LINUX_WATCH_DIRS, audit: false, auditKey: 'al_prereq', auditExport: 'none',
      techniqueDirs: [...new Set(withDeps.map((t) => path.dirname(t.source.file)))],
    };
    const run = await runJobInVm(job, this.vmOptions(await this.accel(), resultsDir, o.signal));
    for (const { test, list } of deps) {
      results.set(test, dependencyResults(test, list, run.output, linuxDescribe({ executor: dependencyExecutor(test) as 'sh' | 'bash', runId: o.marker }), GUEST_ATOMICS));
    }
    return results;
  }

  async prepare(test: AtomicTest, ctx: RunContext): Promise<PreparedTest> {
    // the whole test runs in one boot: prerequisites (fetched again when --get-prereqs fetched them
    // in the prerequisite boot), the audited command, the proof files, the cleanup command
    const { job, command, cleanup } = linuxTestJob(test, ctx, {
      target: this.name, atomicsFolder: GUEST_ATOMICS, audit: true, auditExport: 'none', getPrereqs: this.getPrereqs,
      changedFilesIn: ['/', '/tmp', '/root'],
    });
    mkdirSync(ctx.workDir, { recursive: true });
    const p: PreparedTest = { target: this.name, test, ctx, command, cleanupCommand: cleanup };
    this.live.set(p, { job, resultsDir: path.join(ctx.workDir, 'vm') });
    return p;
  }

  /** Timings of the test's boot (after execute, before dispose): to init, the job, the whole VM, in seconds. */
  bootTimes(p: PreparedTest): VmJobResult['boot']['times'] | undefined {
    return this.live.get(p)?.run?.boot.times;
  }

  private liveOf(p: PreparedTest): Live {
    const l = this.live.get(p);
    if (!l) throw new Error(`${p.test.id}: not prepared, or already disposed`);
    return l;
  }

  async execute(p: PreparedTest, o: { timeoutMs: number; signal?: AbortSignal }): Promise<ExecResult> {
    const live = this.liveOf(p);
    live.job.timeoutSec = Math.max(1, Math.ceil(o.timeoutMs / 1000));
    live.run = await runJobInVm(live.job, this.vmOptions(await this.accel(), live.resultsDir, o.signal));
    return live.run.output.test ?? notRun(p, live.run.output, 'inside the lab VM');
  }

  async collect(p: PreparedTest): Promise<Collected> {
    const live = this.liveOf(p);
    const run = live.run;
    if (!run) throw new LabError('E_QEMU_NOT_RUN', `${p.test.id}: collect before execute`);
    const serial = { path: run.boot.serialLog, format: 'text' as const, sensor: 'serial-console' };
    return collectLinuxRun(run.output, {
      host: this.recipe.hostname,
      extraRaw: existsSync(serial.path) ? [serial] : [],
      warnings: run.guestErrors.map((e) => `lab VM: ${e}`),
    });
  }

  async cleanup(p: PreparedTest): Promise<ExecResult | null> {
    const out: RunnerOutput | undefined = this.liveOf(p).run?.output;
    const c = out?.cleanup ?? null;
    if (c?.failed) logger.debug(`${p.test.id}: cleanup in the VM: ${describeResult(c)}`);
    return c;
  }

  async dispose(p: PreparedTest): Promise<void> {
    const live = this.live.get(p);
    if (!live) return;
    this.live.delete(p);
    rmSync(live.resultsDir, { recursive: true, force: true });
  }

  async versions(): Promise<Record<string, string>> {
    const image = cachedImage(this.recipe);
    return {
      qemu: (await qemuVersion()) ?? 'not installed',
      'qemu-image': image ? `${image.manifest.key} (${this.recipe.suite}, kernel ${image.manifest.kernelVersion}, built ${image.manifest.built})` : 'not built',
      'qemu-accel': image ? (await this.accel()).accel : 'unknown',
    };
  }
}
