// Wall time of a full lab run and of each phase: prerequisite check, then per test prepare
// (sandbox session + Wine view), execution, capture (raw files into the bundle), parse (raw →
// canonical events, proofs, signals) and cleanup; with a same-run baseline: the bare cost of a
// sandbox session and of one trivial command under Wine in it.
//
//   npx tsx bench/lab-phases.ts [--tests ID ...] [--runs N] [--get-prereqs]
//
// Prints figures only; nothing is asserted. Needs the lab's system packages (.ci/apt-packages.txt).
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAtomicsStrict } from '../harness/atomics/load.ts';
import { selectTests } from '../harness/atomics/select.ts';
import { Progress, type Step } from '../harness/core/progress.ts';
import { setLogLevel } from '../harness/core/logger.ts';
import { executeTests, type ExecutedBundle } from '../harness/run/execute.ts';
import { LabSession } from '../harness/targets/lab-session.ts';
import { prefixDir, wineVersion } from '../harness/targets/wine-prefix.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const ids: string[] = [];
let runs = 1;
let getPrereqs = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--tests') while (args[i + 1] && !args[i + 1]!.startsWith('--')) ids.push(args[++i]!);
  else if (args[i] === '--runs') runs = Number(args[++i]);
  else if (args[i] === '--get-prereqs') getPrereqs = true;
}

class TimingProgress extends Progress {
  readonly times = new Map<string, number>();
  override step(label: string): Step {
    const inner = super.step(label);
    const t0 = performance.now();
    return { update: inner.update, end: (status, detail) => { this.times.set(label, performance.now() - t0); inner.end(status, detail); } };
  }
}

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function baseline(): Promise<{ session: number; wine: number }> {
  const version = await wineVersion();
  const work = mkdtempSync(path.join(tmpdir(), 'atomic-lab-bench-'));
  try {
    let t = performance.now();
    const lab = await LabSession.start({ workDir: path.join(work, 's'), atomicsDir: path.join(ROOT, 'atomics'), marker: randomUUID(), payloads: 'cow', listener: true, hostname: 'bench', ...(version ? { wine: { prefix: prefixDir(version) } } : {}) });
    await lab.run('sh', 'true', { name: 'noop', timeoutMs: 30_000 });
    await lab.dispose();
    const session = performance.now() - t;
    const lab2 = await LabSession.start({ workDir: path.join(work, 'w'), atomicsDir: path.join(ROOT, 'atomics'), marker: randomUUID(), payloads: 'cow', listener: false, hostname: 'bench', ...(version ? { wine: { prefix: prefixDir(version) } } : {}) });
    t = performance.now();
    await lab2.run('command_prompt', 'exit /b 0', { name: 'noop', timeoutMs: 60_000, traced: true });
    const wine = performance.now() - t;
    await lab2.dispose();
    return { session, wine };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

setLogLevel('warn');
const tests = selectTests(loadAtomicsStrict(path.join(ROOT, 'atomics')), ids);
console.log(`lab-phases: ${tests.length} test(s), ${runs} run(s)`);
for (let run = 1; run <= runs; run++) {
  const work = mkdtempSync(path.join(tmpdir(), 'atomic-lab-bench-'));
  const progress = new TimingProgress({ quiet: true });
  const t0 = performance.now();
  let bundles: ExecutedBundle[] = [];
  try {
    bundles = await executeTests(tests, { reportDir: path.join(work, 'report'), workRoot: path.join(work, 'work'), getPrereqs, progress });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const total = performance.now() - t0;
  const prereq = [...progress.times].find(([k]) => k.startsWith('prerequisites'))?.[1] ?? 0;
  const sum = { prepare: 0, execute: 0, capture: 0, parse: 0, cleanup: 0 };
  console.log(`\nrun ${run}: full run ${s(total)}; prerequisite check ${s(prereq)}`);
  console.log('  test                   target   status             prepare  execute  capture  parse    cleanup  events');
  for (const b of bundles) {
    for (const k of Object.keys(sum) as (keyof typeof sum)[]) sum[k] += b.phases[k];
    const id = `${b.test.technique}-${b.test.kind === 'benign' ? 'benign-' : ''}${b.test.number}`;
    console.log(`  ${id.padEnd(22)} ${b.target.padEnd(8)} ${b.status.padEnd(18)} ${[b.phases.prepare, b.phases.execute, b.phases.capture, b.phases.parse, b.phases.cleanup].map((m) => s(m).padEnd(8)).join(' ')} ${b.eventCount}`);
  }
  console.log(`  phases summed: prepare ${s(sum.prepare)}, execution ${s(sum.execute)}, capture ${s(sum.capture)}, parse ${s(sum.parse)}, cleanup ${s(sum.cleanup)}`);
}
const base = await baseline();
clearInterval(sampler);
console.log(`\nbaseline (same run): sandbox session up + one command + down ${s(base.session)}; one traced 'exit /b 0' under Wine ${s(base.wine)}`);
console.log(`peak RSS of the harness ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
