// Benchmark: the qemu target. Prints the lab image's build time (cold: debootstrap into an empty
// temporary cache; cached: the lookup a run does), the accelerator chosen, and per boot of
// T1546.016-2 through the target: time to the guest's init, the job inside the guest, the whole
// boot, and execute() end to end (overlay, disks, results). Baseline of the same run: one boot of
// an empty job (`true`), i.e. what any test costs before it does anything.
//
//   npx tsx bench/qemu-target.ts [--runs N] [--skip-cold]
//
// The cold build needs root and the Debian mirror (1-3 minutes); --skip-cold reports the build
// time recorded in the cached image's manifest instead. The cached image is built first if missing.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadAtomicsStrict } from '../harness/atomics/load.ts';
import { defaultTarget } from '../harness/lab-config/load.ts';
import type { QemuTargetConfig } from '../harness/lab-config/types.ts';
import { loadLabSpecs } from '../harness/run/lab-spec.ts';
import { CALLBACK_BASE } from '../harness/targets/lab-session.ts';
import { buildImage, cachedImage, ensureImage } from '../harness/targets/qemu/image.ts';
import { QemuTarget } from '../harness/targets/qemu/index.ts';
import { loadRecipe } from '../harness/targets/qemu/recipe.ts';
import { runJobInVm } from '../harness/targets/qemu/run-job.ts';

const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 2) || 2;
const skipCold = args.includes('--skip-cold');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const config = defaultTarget('qemu') as QemuTargetConfig;
const recipe = loadRecipe(config.recipe);
const work = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-bench-qemu-'));

try {
  console.log(`recipe ${recipe.key}: Debian ${recipe.suite}, ${recipe.kernel}, ${recipe.packages.length} packages`);
  if (!skipCold) {
    // a cold build into an empty cache, so the user's cached image is neither used nor replaced
    const saved = process.env.ATOMIC_LAB_CACHE;
    process.env.ATOMIC_LAB_CACHE = path.join(work, 'cold-cache');
    const t0 = performance.now();
    const cold = await buildImage(recipe);
    const ms = performance.now() - t0;
    if (saved === undefined) delete process.env.ATOMIC_LAB_CACHE;
    else process.env.ATOMIC_LAB_CACHE = saved;
    const steps = Object.entries(cold.manifest.steps).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ');
    console.log(`image build, cold:    ${s(ms)} (${steps})`);
  }
  await ensureImage(recipe);
  const t1 = performance.now();
  const cached = cachedImage(loadRecipe(config.recipe))!;
  console.log(`image lookup, cached: ${(performance.now() - t1).toFixed(2)} ms (recipe hash + manifest)${skipCold ? `; recorded cold build ${cached.manifest.buildSeconds.toFixed(1)} s` : ''}`);

  const target = new QemuTarget(config);
  const t2 = performance.now();
  const accel = await target.accel();
  console.log(`accelerator: ${accel.accel} (${accel.reason}; decided in ${s(performance.now() - t2)}, cached afterwards)`);

  const base = await runJobInVm(
    { runId: '00000000-0000-4000-8000-000000000000', executor: 'sh', command: 'true', timeoutSec: 60, watchDirs: ['/tmp'], audit: true, auditKey: 'al_bench', auditExport: 'none', techniqueDirs: [] },
    { image: cached, accel: accel.accel, memoryMb: config.memory, cpus: config.cpus, network: config.network, bootTimeoutSec: config.bootTimeout, resultsDir: path.join(work, 'baseline') },
  );
  console.log(`baseline (empty job): boot to init ${base.boot.times.boot.toFixed(1)} s, job ${base.boot.times.job.toFixed(1)} s, VM ${base.boot.times.total.toFixed(1)} s`);

  const atomics = path.resolve(import.meta.dirname, '..', 'atomics');
  const test = loadAtomicsStrict(atomics)[0]!.tests.find((t) => t.number === 2)!;
  const spec = loadLabSpecs(atomics).get(test.guid!);
  const totals: number[] = [];
  for (let i = 0; i < runs; i++) {
    const marker = `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`;
    const p = await target.prepare(test, { marker, callbackBase: CALLBACK_BASE, spec, workDir: path.join(work, `t2-${i}`) });
    const t = performance.now();
    const exec = await target.execute(p, { timeoutMs: 300_000 });
    const ms = performance.now() - t;
    const collected = await target.collect(p);
    const boot = target.bootTimes(p);
    await target.dispose(p);
    totals.push(ms);
    console.log(`T1546.016-2 run ${i + 1}: exit ${exec.exitCode}, ${collected.events.length} audit events, ${collected.callbacks.length} callback(s); ` +
      `boot to init ${boot?.boot.toFixed(1)} s, job ${boot?.job.toFixed(1)} s (pip ${s(exec.durationMs)}), VM ${boot?.total.toFixed(1)} s, execute() ${s(ms)}`);
  }
  const mean = totals.reduce((a, b) => a + b, 0) / totals.length;
  console.log(`per test: ${s(mean)} mean over ${runs} run(s), ${(mean / 1000 / base.boot.times.total).toFixed(2)}× the empty-job boot; peak RSS of the harness ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
