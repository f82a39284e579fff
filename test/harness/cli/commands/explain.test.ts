// `atomic-lab explain` (CONTRACTS.md): stages and predicates, indicators with corpus counts, bare
// search terms, lint findings with line:column — for all three languages.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../support/cli.ts';

describe('atomic-lab explain', () => {
  it('SPL: the Remote .msi seed rule shows the analysis of its catalog page and the defects spl.md lists', async () => {
    const r = await runCli(['explain', 'detections/spl/remote-msi-installation.seed.spl']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Stage 1: search/);
    expect(r.stdout).toMatch(/Stage 2: where/);
    expect(r.stdout).toMatch(/Stage 5: stats/);
    expect(r.stdout).toMatch(/^ {2}signature_id {2}match /m);
    expect(r.stdout).toMatch(/^ {2}stage 1: "\.msi"/m);
    expect(r.stdout).toMatch(/^ {2}stage 1: "<EventID>1040<"/m);
    const lints = r.stdout.slice(r.stdout.indexOf('Lint findings:'));
    expect(lints).toMatch(/remote-msi-installation\.seed\.spl:\d+:\d+: \w+ \w+: .*message/);
    expect(lints).toMatch(/bin/);
  });

  it('SPL: the seed T1546.016 rule: coalesce with "", legacy sourcetypes and the unanchored private-IP regex, each with line:column', async () => {
    const r = await runCli(['explain', 'detections/spl/t1546.016-installer-packages.seed.spl', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const x = JSON.parse(r.stdout) as { lints: { code: string; position: { line: number; column: number } }[]; indicators: { corpus: number }[] };
    const codes = x.lints.map((l) => l.code);
    for (const c of ['SPL_COALESCE_EMPTY_STRING', 'SPL_LEGACY_SOURCETYPE']) expect(codes).toContain(c);
    for (const l of x.lints) expect(l.position.line).toBeGreaterThan(0);
    for (const i of x.indicators) expect(typeof i.corpus).toBe('number');
  });

  it('CQL: the verbatim seed rule is explained although LogScale rejects it, then exit 2', async () => {
    const r = await runCli(['explain', 'detections/cql/t1546.016-installer-packages.seed.cql']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/Stage \d+: case/);
    expect(r.stdout).toMatch(/error CQL_MISSING_PARAMETER: if\(\) is missing its required parameter 'then'/);
    expect(r.stdout).toMatch(/warning CQL_UNANCHORED_SHORT_ALTERNATIVE: alternative 'apt'/);
    expect(r.stdout).toMatch(/CQL_SYNTHETIC_PR2_EXCLUDED/);
    expect(r.stderr).toContain("t1546.016-installer-packages.seed.cql:9:18: if() is missing its required parameter 'then'");
  });

  it('indicators shared by other rules under detections/ are counted', async () => {
    const r = await runCli(['explain', 'detections/cql/t1546.016-installer-packages.corrected.cql', '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const x = JSON.parse(r.stdout) as { indicators: { field: string; corpus: number }[] };
    const tag = x.indicators.find((i) => i.field === '#event_simpleName');
    expect(tag).toBeDefined();
    // the seed LogScale rule filters the same #event_simpleName values
    expect(x.indicators.some((i) => i.field === '#event_simpleName' && i.corpus >= 1)).toBe(true);
  });

  it('Sigma: selections and the condition', async () => {
    const r = await runCli(['explain', 'detections/sigma/installer_script_child_win.yml']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Installer Package Spawns a Script Engine/);
    expect(r.stdout).toMatch(/ParentImage {2}endswith/);
  });
});
