// `atomic-lab replay` over capture bundles the lab wrote on this machine (test/fixtures/captures:
// bundle.json + events.jsonl of a real `npm start` run; the raw Wine/strace files are left out to
// keep the fixtures small), run as a user would. No Wine needed: this is the cheap half.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultsFile } from '../../../harness/verdicts/results.ts';
import { runCli } from '../../support/cli.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

const CAPTURES = path.join(REPO_ROOT, 'test/fixtures/captures');
const bundles = readdirSync(CAPTURES).sort().map((d) => path.join(CAPTURES, d));
const fresh = () => path.join(mkdtempSync(path.join(tmpdir(), 'atomic-lab-replay-')), 'out');

function verdict(r: ResultsFile, test: string, rule: string, profile?: string) {
  const t = r.results.find((x) => `${x.test.technique}-${x.test.kind === 'benign' ? 'benign-' : ''}${x.test.number}` === test);
  const d = t?.detections.find((x) => x.rule === rule && (profile === undefined || x.profile === profile));
  return d && { verdict: d.verdict, observed: d.observed, expected: d.expected };
}

describe('atomic-lab replay of the lab\'s own captures', () => {
  it('meets every expectation (exit 0) and writes the reports with replayed provenance', async () => {
    const dir = fresh();
    const r = await runCli(['replay', ...bundles, '--report-dir', dir]);
    expect(r.stderr).not.toContain('internal error');
    expect(r.exitCode).toBe(0);
    for (const f of ['results.json', 'junit.xml', 'report.html', 'navigator-layer.json', 'summary.md']) {
      expect(readdirSync(dir)).toContain(f);
    }
    const res = JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')) as ResultsFile;
    expect(res.results).toHaveLength(bundles.length);
    for (const t of res.results) {
      expect(t.provenance).toBe('replayed');
      expect(t.source).toMatch(/test\/fixtures\/captures\/t1546\.016-/);
      expect(t.detections.some((d) => d.verdict === 'FAIL' || d.verdict === 'ERROR' || d.verdict === 'NO_TELEMETRY')).toBe(false);
    }
    // the corrected rules detect each test with the expected DetectionType
    expect(verdict(res, 'T1546.016-1', 'detections/spl/t1546.016-installer-packages.corrected.spl', 'splunk')).toMatchObject({ verdict: 'PASS', expected: 'INSTALLER_DOWNLOAD_CRADLE' });
    expect(verdict(res, 'T1546.016-2', 'detections/cql/t1546.016-installer-packages.corrected.cql')).toMatchObject({ verdict: 'PASS', expected: 'INSTALLER_DOWNLOAD_CRADLE' });
    expect(verdict(res, 'T1546.016-3', 'detections/sigma/installer_script_child_win.yml')).toMatchObject({ verdict: 'PASS', observed: ['INSTALLER_SCRIPT_CHILD'] });
    // the verbatim seeds carry their real gaps
    expect(verdict(res, 'T1546.016-1', 'detections/spl/t1546.016-installer-packages.seed.spl', 'splunk')).toMatchObject({ verdict: 'KNOWN_GAP' });
    expect(verdict(res, 'T1546.016-1', 'detections/spl/t1546.016-installer-packages.seed.spl', 'splunk-legacy')).toMatchObject({ verdict: 'PASS', observed: ['INSTALLER_DOWNLOAD_CRADLE'] });
    expect(verdict(res, 'T1546.016-3', 'detections/cql/t1546.016-installer-packages.seed.cql')).toMatchObject({ verdict: 'KNOWN_GAP' });
    // benign scenarios: silent, or a registered known false positive
    expect(verdict(res, 'T1546.016-benign-2', 'detections/spl/t1546.016-installer-packages.corrected.spl', 'splunk')).toMatchObject({ verdict: 'PASS', observed: [] });
    expect(verdict(res, 'T1546.016-benign-1', 'detections/sigma/installer_script_child_win.yml')).toMatchObject({ verdict: 'KNOWN_GAP' });
    // the terminal summary names each test and the totals
    expect(r.stdout).toMatch(/^T1546\.016-1 {2}MSI custom action spawns PowerShell/m);
    expect(r.stdout).toMatch(/\d+ KNOWN_GAP, \d+ PASS$/);
  });

  it('a rule firing on a recording expected to stay silent is a FAIL with its reason (exit 1)', async () => {
    const dir = fresh();
    const file = path.join(REPO_ROOT, 'test/fixtures/replay/flat-msiexec-cmd.jsonl');
    const r = await runCli(['replay', file, '--rules', 'detections/sigma/installer_script_child_win.yml', '--report-dir', dir]);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('FAIL         detections/sigma/installer_script_child_win.yml [sigma]  expected silence, got INSTALLER_SCRIPT_CHILD');
    expect(r.stdout).toContain('why: false positive: fired with INSTALLER_SCRIPT_CHILD on a scenario where it must stay silent');
  });

  it('a baseline where the rule was met makes today\'s miss a regression, named on stderr (exit 1)', async () => {
    const file = path.join(REPO_ROOT, 'test/fixtures/replay/flat-msiexec-cmd.jsonl');
    const args = ['replay', file, '--rules', 'detections/sigma/installer_script_child_win.yml'];
    const first = fresh();
    expect((await runCli([...args, '--report-dir', first])).exitCode).toBe(1);
    // yesterday the rule stayed silent on this recording
    const res = JSON.parse(readFileSync(path.join(first, 'results.json'), 'utf8')) as ResultsFile;
    for (const d of res.results[0]!.detections) Object.assign(d, { verdict: 'PASS', observed: [], why: undefined });
    const base = path.join(first, 'baseline.json');
    writeFileSync(base, JSON.stringify(res));
    const second = await runCli([...args, '--report-dir', fresh(), '--baseline', base]);
    expect(second.exitCode).toBe(1);
    expect(second.stderr).toMatch(/REGRESSION against .*baseline\.json: 1 new miss/);
    const same = await runCli([...args, '--report-dir', fresh(), '--baseline', path.join(first, 'results.json')]);
    expect(same.stderr).toContain('no regression against');
  });

  it('bad input is exit 2 with the path: a missing file, a folder that is no bundle', async () => {
    const missing = await runCli(['replay', '/nonexistent/capture']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('/nonexistent/capture: no such file or folder');
    const notBundle = await runCli(['replay', path.join(REPO_ROOT, 'detections')]);
    expect(notBundle.exitCode).toBe(2);
    expect(notBundle.stderr).toMatch(/neither a capture bundle/);
  });

  it('--rules that match nothing is a usage error (exit 2)', async () => {
    const r = await runCli(['replay', bundles[0]!, '--rules', 'detections/none/*.spl']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('matches no rule');
  });
});
