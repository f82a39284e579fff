// atomic-lab report, run as a user runs it (bin/atomic-lab.js in a child process).
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../support/cli.ts';
import { FIXTURES } from '../../reports/fixtures.ts';

const nightly = path.join(FIXTURES, 'nightly.results.json');
const replay = path.join(FIXTURES, 'replay.results.json');

describe('atomic-lab report RESULTS_JSON', () => {
  it('writes every report into --report-dir, lists the files on stdout and exits 0 without a baseline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-cli-'));
    const r = await runCli(['report', nightly, '--report-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => path.relative(dir, l))).toContain('junit.xml');
    expect(readdirSync(dir).sort()).toEqual(['attire', 'junit.xml', 'navigator-layer.json', 'report.html', 'results.json', 'summary.md']);
  });

  it('writes only the chosen --reporter and exits 1 on a regression against --baseline (CONTRACTS.md exit 1)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-cli-'));
    const r = await runCli(['report', replay, '--report-dir', dir, '--reporter', 'markdown', '--reporter', 'junit', '--baseline', nightly]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('since baseline run 2026-11-23T020005Z-7f3a');
    expect(readdirSync(dir).sort()).toEqual(['junit.xml', 'summary.md']);
    expect(readFileSync(path.join(dir, 'summary.md'), 'utf8')).toContain('New misses (1)');
  });

  it('defaults the report dir to the results file\'s folder', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-cli-'));
    writeFileSync(path.join(dir, 'results.json'), readFileSync(nightly));
    const r = await runCli(['report', path.join(dir, 'results.json'), '--reporter', 'navigator']);
    expect(r.exitCode).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['navigator-layer.json', 'results.json']);
  });

  it('exits 2 naming the file and line:column for a malformed results file, and for an unknown reporter', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-cli-'));
    const bad = path.join(dir, 'results.json');
    writeFileSync(bad, '{\n  "run": {\n    "id": "x"\n    "started": ""\n  }\n}\n');
    const r = await runCli(['report', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe(`atomic-lab report: ${bad}:4:5: not valid JSON: Expected ',' or '}' after property value`);
    const u = await runCli(['report', nightly, '--reporter', 'pdf']);
    expect(u.exitCode).toBe(2);
    expect(u.stderr).toContain("option --reporter: 'pdf' is not one of json, junit, html, navigator, attire, markdown");
    const m = await runCli(['report', path.join(dir, 'missing.json')]);
    expect(m.exitCode).toBe(2);
    expect(m.stderr).toContain('missing.json: cannot read results file: ENOENT');
  });
});
