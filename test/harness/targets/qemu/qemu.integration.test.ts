// The qemu target for real: builds the lab image from Debian packages when it is not cached
// (debootstrap, about 1-3 minutes once per recipe), then runs T1546.016-2 inside the VM (KVM when
// a probe boot proves it, else TCG) through the whole Target seam, with auditd inside the guest,
// and evaluates the rules on what came back with the same parsers, views and verdicts as every
// target. Then: the VM never outlives a boot timeout, an abort, or a harness killed with SIGKILL.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtomicsStrict } from '../../../../harness/atomics/load.ts';
import { defaultTarget } from '../../../../harness/lab-config/load.ts';
import type { QemuTargetConfig } from '../../../../harness/lab-config/types.ts';
import { applicableProofs, checkProof, checkSignal } from '../../../../harness/run/checks.ts';
import { evaluateTest } from '../../../../harness/run/evaluate.ts';
import { expandAll, loadLabSpecs } from '../../../../harness/run/lab-spec.ts';
import { EventIndex } from '../../../../harness/run/match.ts';
import { loadRuleSet } from '../../../../harness/run/rule-set.ts';
import { CALLBACK_BASE } from '../../../../harness/targets/lab-session.ts';
import { cachedImage, qemuCacheDir } from '../../../../harness/targets/qemu/image.ts';
import { QemuTarget } from '../../../../harness/targets/qemu/index.ts';
import { removeStaleRuns, runJobInVm } from '../../../../harness/targets/qemu/run-job.ts';
import { liveVms } from '../../../../harness/targets/qemu/vm.ts';
import { collectLinuxRun } from '../../../../harness/targets/ssh/linux-collect.ts';
import { applyMarker } from '../../../../harness/telemetry/normalize/marker.ts';
import { runCli } from '../../../support/cli.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';

const ATOMICS = path.join(REPO_ROOT, 'atomics');
const MARKER = '3c9e0f7a-2b1d-4c5e-9f8a-7b6c5d4e3f21';

/** pids of QEMU processes whose command line names `needle` (a run folder). */
function qemuPids(needle: string): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (cmd.startsWith('qemu-system-x86_64') && cmd.includes(needle)) out.push(Number(d));
    } catch {
      // gone
    }
  }
  return out;
}

describe('qemu target: T1546.016-2 in a Debian VM built from Debian packages, auditd inside', () => {
  const target = new QemuTarget({ ...(defaultTarget('qemu') as QemuTargetConfig), bootTimeout: 600 });
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'atomic-lab-qemu-test-'));
    // what `run --get-prereqs` does: install every unmet requirement that has an installer
    const reqs = await target.requirements([], new Map());
    for (const r of reqs.filter((x) => !x.met)) {
      if (!r.installer) throw new Error(`cannot install ${r.description}: ${r.install}`);
      await r.installer();
    }
    expect((await target.requirements([], new Map())).filter((r) => !r.met)).toEqual([]);
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('runs the test in the VM with proof of execution and guest auditd telemetry, and the rules fire on it', async () => {
    const test = loadAtomicsStrict(ATOMICS)[0]!.tests.find((t) => t.number === 2)!;
    const spec = loadLabSpecs(ATOMICS).get(test.guid!)!;
    expect(target.unsupported(test)).toBeUndefined();
    // the image recipe holds the packages the lab data asks for
    expect((await target.requirements([test], new Map([[test.guid!, spec]]))).filter((r) => !r.met)).toEqual([]);

    // prerequisites, checked in a boot of their own: curl, and the venv baked into the image
    const deps = (await target.dependencies([test], { getPrereqs: false, workDir: work, marker: MARKER, timeoutMs: 120_000 })).get(test)!;
    expect(deps.map((d) => [d.description, d.met])).toEqual([
      ['curl must be installed (the hook calls back with it)', true],
      [expect.stringMatching(/^A virtual environment must exist at/), true],
    ]);
    expect(deps[1]!.check.command).toContain('test -x "/opt/atomic-lab/atomics/../ExternalPayloads/T1546.016/venv/bin/pip"');

    const ctx = { marker: MARKER, callbackBase: CALLBACK_BASE, spec, workDir: path.join(work, 't2') };
    const p = await target.prepare(test, ctx);
    expect(p.command).toBe(`ATOMIC_CALLBACK_URL="${CALLBACK_BASE}/t2?marker=${MARKER}" "/opt/atomic-lab/atomics/../ExternalPayloads/T1546.016/venv/bin/pip" install --no-index --no-build-isolation --no-cache-dir "/opt/atomic-lab/atomics/T1546.016/src/pip_hook_pkg"\n`);
    const exec = await target.execute(p, { timeoutMs: 300_000 });
    expect(exec).toMatchObject({ exitCode: 0, failed: false, timedOut: false });
    expect(exec.stdout).toMatch(/Successfully installed atomic-t1546-pkg-0\.1\.0/);
    expect(liveVms()).toBe(0);

    const collected = await target.collect(p);
    expect(collected.warnings).toEqual([]);
    // proof: the guest's listener got the hook's callback with the marker; the hook left its log line
    expect(collected.callbacks).toEqual([expect.objectContaining({ path: '/t2', marker: MARKER, client: '127.0.0.1', query: { marker: MARKER, stage: 'install' } })]);
    expect(collected.readFile('/tmp/atomic-lab-hook.log')).toMatch(/^install pid=\d+ ppid=\d+ argv=\['\/opt\/atomic-lab\/atomics\/T1546\.016\/src\/pip_hook_pkg\/setup\.py', 'install'/);
    expect(collected.raw.map((r) => r.format)).toEqual(['auditd', 'callbacks-jsonl', 'text', 'text']);
    // telemetry: guest auditd through the auditd reader; the pip -> python -> curl chain on labvm
    for (const e of collected.events) applyMarker(e, MARKER);
    const curl = collected.events.find((e) => e.kind === 'process_creation' && e.process?.image === '/usr/bin/curl');
    expect(curl).toMatchObject({ host: 'labvm', platform: 'linux', process: { commandLine: `curl -s -o /dev/null ${CALLBACK_BASE}/t2?marker=${MARKER}&stage=install` } });
    expect(collected.events.some((e) => e.kind === 'network_connection' && e.network?.destinationPort === '8765')).toBe(true);
    expect(collected.changedFiles).toContain('/tmp/atomic-lab-hook.log');

    const vars = { marker: MARKER, callback: CALLBACK_BASE };
    const cctx = { target: 'qemu' as const, marker: MARKER, index: new EventIndex(collected.events), callbacks: collected.callbacks, readFile: collected.readFile, customActions: [], stubs: [], exitCode: exec.exitCode };
    const proofs = applicableProofs(expandAll(spec.proof, vars), 'qemu').map((x) => checkProof(x, cctx));
    expect(proofs.map((x) => [x.description, x.ok])).toEqual(spec.proof.map((x) => [x.description, true]));
    const signals = expandAll(spec.signals, vars).map((s) => checkSignal(s, cctx));
    expect(signals.filter((s) => !s.found)).toEqual([]);

    // the rules, through their views, on the VM's events: the Linux download-cradle detections fire
    const evaluated = await evaluateTest({
      test: { technique: test.technique, number: test.number, guid: test.guid!, name: test.name }, target: 'qemu', provenance: 'executed',
      marker: MARKER, proof: proofs, signals, events: collected.events,
    }, await loadRuleSet(), []);
    const fired = evaluated.result.detections.filter((d) => d.observed.length > 0).map((d) => d.rule);
    expect(fired).toEqual(expect.arrayContaining(['detections/sigma/package_manager_hook_download_lnx.yml']));
    expect(evaluated.result.detections.find((d) => d.rule === 'detections/spl/t1546.016-installer-packages.corrected.spl')?.observed).toContain('INSTALLER_DOWNLOAD_CRADLE');

    expect(await target.cleanup(p)).toMatchObject({ exitCode: 0, command: expect.stringContaining('pip" uninstall -y atomic-t1546-pkg') });
    await target.dispose(p);
    expect(existsSync(ctx.workDir + '/vm')).toBe(false);
    expect(readdirSync(path.join(qemuCacheDir(), 'runs')).filter((d) => d.startsWith(`${process.pid}-`))).toEqual([]);
  });

  it('`atomic-lab run --target qemu --tests T1546.016-2`: a capture bundle like every target\'s, evaluated by the same verdict machinery', async () => {
    const reports = path.join(work, 'reports');
    const r = await runCli(['run', '--target', 'qemu', '--tests', 'T1546.016-2', '--report-dir', reports]);
    // 0 or 1 are verdicts; 2 (bad input) or 3 (lab error) would be this target's failure
    expect([0, 1], r.stderr).toContain(r.exitCode);
    const results = JSON.parse(readFileSync(path.join(reports, 'results.json'), 'utf8')) as { results: { target: string; provenance: string; status: string; telemetry: { events: number }; detections: { rule: string; observed: string[] }[] }[] };
    const [res] = results.results;
    expect(res).toMatchObject({ target: 'qemu', provenance: 'executed' });
    expect(res!.telemetry.events).toBeGreaterThan(20);
    expect(res!.detections.find((d) => d.rule === 'detections/sigma/package_manager_hook_download_lnx.yml')?.observed).toEqual(['INSTALLER_DOWNLOAD_CRADLE']);
    const bundle = JSON.parse(readFileSync(path.join(reports, 'captures', 't1546.016-2', 'bundle.json'), 'utf8')) as { target: string; status: string; raw: { path: string; format: string }[]; versions: Record<string, string> };
    expect(bundle).toMatchObject({ target: 'qemu', status: 'telemetry_present' });
    expect(bundle.raw).toEqual(expect.arrayContaining([{ path: 'raw/audit.log', format: 'auditd', sensor: 'auditd' }, expect.objectContaining({ format: 'callbacks-jsonl' })]));
    expect(bundle.versions['qemu-image']).toMatch(/^[0-9a-f]{16} \(bookworm, kernel /);
    expect(liveVms()).toBe(0);
  });

  it('the shared-machine export (ssh and vagrant hosts): only this run\'s records, by their per-run keys, with ausearch --input-logs', async () => {
    const image = cachedImage(target.recipe)!;
    const run = await runJobInVm({
      runId: MARKER, executor: 'sh', command: `curl -s -o /dev/null "http://127.0.0.1:8765/k?marker=${MARKER}"; echo hi > /tmp/created-by-test.txt`,
      timeoutSec: 60, watchDirs: ['/tmp'], audit: true, auditKey: 'al_shared', auditExport: 'ausearch', listener: { port: 8765 }, techniqueDirs: [],
    }, { image, accel: (await target.accel()).accel, memoryMb: 512, cpus: 1, network: 'none', bootTimeoutSec: 600, resultsDir: path.join(work, 'ausearch') });
    const log = readFileSync(run.output.auditLog!, 'utf8');
    const keys = new Set([...log.matchAll(/ key="([^"]+)"/g)].map((m) => m[1]));
    expect([...keys].sort()).toEqual(['al_shared_exec', 'al_shared_file', 'al_shared_net']);
    // auditd's own start-up records (DAEMON_START, CONFIG_CHANGE) are not this run's
    expect(log).not.toMatch(/type=DAEMON_START/);
    const collected = await collectLinuxRun(run.output, { host: 'labvm' });
    expect(collected.warnings).toEqual([]);
    expect(collected.events.some((e) => e.kind === 'process_creation' && e.process?.commandLine?.includes(`/k?marker=${MARKER}`))).toBe(true);
    expect(collected.events.some((e) => e.kind === 'network_connection' && e.network?.destinationPort === '8765')).toBe(true);
    expect(collected.events.some((e) => e.kind === 'file_event' && e.file?.path === '/tmp/created-by-test.txt')).toBe(true);
    expect(collected.callbacks.map((c) => c.marker)).toEqual([MARKER]);
  });

  it('a boot timeout is a lab error (exit 3) saying what to do, and the VM is gone', async () => {
    const image = cachedImage(target.recipe)!;
    const accel = (await target.accel()).accel;
    const job = { runId: MARKER, executor: 'sh' as const, command: 'true', timeoutSec: 10, watchDirs: ['/tmp'], audit: false, auditKey: 'al_t', auditExport: 'none' as const, techniqueDirs: [] };
    const err = await runJobInVm(job, { image, accel, memoryMb: 512, cpus: 1, network: 'none', bootTimeoutSec: 0.3, resultsDir: path.join(work, 'timeout') }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'E_QEMU_BOOT_TIMEOUT', exitCode: 3 });
    expect((err as Error).message).toMatch(/did not reach its init within 0\.3 s .*(raise boot_timeout|set accel: tcg)/);
    expect(liveVms()).toBe(0);
    expect(readFileSync(path.join(work, 'timeout', 'serial.log'), 'latin1')).not.toContain('ATOMIC: init start');

    // an abort (the harness got SIGINT/SIGTERM) kills the VM at once
    const ac = new AbortController();
    const aborted = await runJobInVm({ ...job, command: 'sleep 600', timeoutSec: 600 }, {
      image, accel, memoryMb: 512, cpus: 1, network: 'none', bootTimeoutSec: 300, resultsDir: path.join(work, 'abort'), signal: ac.signal,
      onLine: (l) => { if (l.startsWith('ATOMIC: test start')) ac.abort(); },
    }).catch((e: unknown) => e);
    expect(aborted).toMatchObject({ code: 'E_INTERRUPTED', exitCode: 3 });
    expect(liveVms()).toBe(0);
  });

  it('a harness killed with SIGKILL takes its VM with it (parent-death signal); its run folder is swept by the next run', async () => {
    const results = path.join(work, 'child');
    const accel = (await target.accel()).accel;
    // one node process runs the script, so it is QEMU's parent (through setpriv, which execs QEMU)
    const child = execa(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'test/harness/targets/qemu/boot-child.ts'), target.config.recipe, results, accel],
      { reject: false, cwd: REPO_ROOT });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the child VM did not boot in 300 s')), 300_000);
      child.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('QEMU-UP')) { clearTimeout(timer); resolve(); } });
    });
    const runsDir = path.join(qemuCacheDir(), 'runs');
    const childRuns = readdirSync(runsDir).filter((r) => r.startsWith(`${child.pid}-`));
    expect(childRuns).toHaveLength(1);
    const vmPids = qemuPids(path.join(runsDir, childRuns[0]!));
    expect(vmPids).toHaveLength(1);
    child.kill('SIGKILL');
    await child;
    for (let i = 0; i < 50 && existsSync(`/proc/${vmPids[0]}`); i++) await new Promise((r) => setTimeout(r, 100));
    expect(qemuPids(path.join(runsDir, childRuns[0]!))).toEqual([]);
    // nothing cleaned up after the killed harness; the next run sweeps its folder
    expect(existsSync(path.join(runsDir, childRuns[0]!))).toBe(true);
    removeStaleRuns();
    expect(existsSync(path.join(runsDir, childRuns[0]!))).toBe(false);
  });
});
