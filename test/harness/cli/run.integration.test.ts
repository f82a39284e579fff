// `atomic-lab run` as a user runs it (npm start): the real lab on Wine and the unshare sandbox,
// every rule, the verdicts and every report; and what a SIGINT in the middle leaves behind.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../../harness/verdicts/results.ts';
import { runCli } from '../../support/cli.ts';
import { REPO_ROOT } from '../../support/corpus.ts';
import { processesMentioning } from '../run/host-state.ts';

const root = mkdtempSync(path.join(tmpdir(), 'atomic-lab-run-'));
const read = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as ResultsFile;

describe('atomic-lab run (the whole lab, for real)', () => {
  const dir = path.join(root, 'full');
  let r: Awaited<ReturnType<typeof runCli>>;
  beforeAll(async () => {
    r = await runCli(['run', '--get-prereqs', '--report-dir', dir]);
  }, 900_000);

  it('meets every expectation: exit 0, every attack test executed and detected, every benign scenario silent or a known false positive', () => {
    expect(r.stderr).not.toContain('internal error');
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    const res = read(dir);
    const attacks = res.results.filter((t) => t.test.kind !== 'benign');
    const benign = res.results.filter((t) => t.test.kind === 'benign');
    expect(attacks.map((t) => t.test.number)).toEqual([1, 2, 3, 4]);
    expect(benign.length).toBeGreaterThanOrEqual(3);
    for (const t of res.results) {
      expect(t.provenance).toBe('executed');
      expect(['wine', 'sandbox']).toContain(t.target);
      expect(t.marker).toMatch(/^[0-9a-f-]{36}$/);
      expect(t.proof!.every((p) => p.ok), JSON.stringify(t.proof)).toBe(true);
      expect(t.telemetry.events).toBeGreaterThan(0);
    }
    for (const t of attacks) expect(t.status).toBe('detected');
    for (const t of benign) for (const d of t.detections) expect(['PASS', 'KNOWN_GAP']).toContain(d.verdict);
  });

  it('says per test and rule whether it fired with the expected DetectionType', () => {
    const res = read(dir);
    const get = (n: number, rule: string, profile: string) =>
      res.results.find((t) => t.test.kind !== 'benign' && t.test.number === n)!.detections.find((d) => d.rule === rule && d.profile === profile)!;
    expect(get(1, 'detections/spl/t1546.016-installer-packages.corrected.spl', 'splunk')).toMatchObject({ verdict: 'PASS', expected: 'INSTALLER_DOWNLOAD_CRADLE' });
    expect(get(2, 'detections/sigma/package_manager_hook_download_lnx.yml', 'sigma')).toMatchObject({ verdict: 'PASS', observed: ['INSTALLER_DOWNLOAD_CRADLE'] });
    expect(get(3, 'detections/cql/t1546.016-installer-packages.corrected.cql', 'falcon')).toMatchObject({ verdict: 'PASS', observed: ['INSTALLER_SCRIPT_CHILD'] });
    const gap = get(1, 'detections/spl/t1546.016-installer-packages.seed.spl', 'splunk');
    expect(gap.verdict).toBe('KNOWN_GAP');
    expect(gap.reason).toMatch(/SPL_LEGACY_SOURCETYPE .*expectations\.yaml:\d+/s);
    expect(gap.why).toMatch(/sourcetype/);
  });

  it('writes every report and a capture bundle per test, and the process tree shows msiexec → powershell with the matching rules', () => {
    for (const f of ['junit.xml', 'results.json', 'report.html', 'navigator-layer.json', 'summary.md']) expect(existsSync(path.join(dir, f))).toBe(true);
    expect(readdirSync(path.join(dir, 'captures')).sort()).toEqual(
      read(dir).results.map((t) => `t1546.016-${t.test.kind === 'benign' ? 'benign-' : ''}${t.test.number}`).sort(),
    );
    const t1 = read(dir).results.find((t) => t.test.number === 1 && t.test.kind !== 'benign')!;
    const ps = t1.telemetry.processes!.find((p) => /powershell\.exe$/i.test(p.image ?? ''))!;
    const parent = t1.telemetry.processes!.find((p) => p.id === ps.parentId)!;
    expect(parent.image).toMatch(/msiexec\.exe$/i);
    expect(ps.matchedBy).toContain('detections/sigma/installer_download_cradle_win.yml');
  });

  it('prints a summary a person can read: per test the verdict of each rule and the totals', () => {
    expect(r.stdout).toMatch(/^T1546\.016-2 {2}pip install .*\[executed on sandbox, detected\]$/m);
    expect(r.stdout).toMatch(/^ {2}PASS {9}detections\/spl\/t1546\.016-installer-packages\.corrected\.spl \[splunk\] {2}expected INSTALLER_DOWNLOAD_CRADLE, got INSTALLER_DOWNLOAD_CRADLE/m);
    expect(r.stdout).toMatch(/\d+ KNOWN_GAP, \d+ PASS$/);
  });

  it('replaying the run\'s own captures gives the same verdicts', async () => {
    const again = path.join(root, 'replayed');
    const rr = await runCli(['replay', dir, '--report-dir', again]);
    expect(rr.exitCode).toBe(0);
    const verdicts = (res: ResultsFile) => res.results.flatMap((t) => t.detections.map((d) => `${t.test.guid} ${d.rule} ${d.profile} ${d.verdict} ${d.observed.join(',')}`)).sort();
    expect(verdicts(read(again))).toEqual(verdicts(read(dir)));
    expect(read(again).results.every((t) => t.provenance === 'replayed')).toBe(true);
  });
});

describe('atomic-lab run interrupted by SIGINT', () => {
  it('stops the running test, runs its cleanup, still writes the reports of what ran, exits 3, and leaves nothing running', async () => {
    const dir = path.join(root, 'interrupted');
    const child = execa('node', [path.join(REPO_ROOT, 'bin/atomic-lab.js'), 'run', '--report-dir', dir, '--tests', 'T1546.016-1', 'T1546.016-2', 'T1546.016-3'], {
      cwd: REPO_ROOT,
      reject: false,
      env: { CI: 'true' },
    });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr!.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (stderr.includes('T1546.016-2 pip install')) resolve();
      });
    });
    await new Promise((res) => setTimeout(res, 700));
    child.kill('SIGINT');
    const done = await child;
    expect(done.exitCode, String(done.stderr)).toBe(3);
    expect(String(done.stderr)).toMatch(/SIGINT received: stopping the running test; its cleanup runs before exiting/);
    const res = read(dir);
    expect(res.results.map((t) => t.test.number)).toEqual([1, 2]);
    expect(res.results[0]!.status).toBe('detected');
    expect(res.results[1]!.error).toMatch(/interrupt|SIGINT/i);
    expect(res.results[1]!.detections.every((d) => d.verdict === 'ERROR')).toBe(true);
    const markers = res.results.map((t) => t.marker!).filter(Boolean);
    expect(processesMentioning(markers)).toEqual([]);
  });
});
