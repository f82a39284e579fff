import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junitClassname, renderJUnit } from '../../../harness/reports/junit.ts';
import { tally } from '../../../harness/reports/status.ts';
import { detection, fixture, resultsOf, testResult } from './fixtures.ts';

interface Case {
  name: string;
  classname: string;
  time: string;
  failure?: { message: string; type: string; '#cdata'?: string };
  error?: { message: string; type: string };
  skipped?: { message?: string } | '';
  'system-out'?: string;
  properties?: unknown;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
  time: string;
  timestamp?: string;
  properties: { property: Array<{ name: string; value: string }> };
  testcase: Case[];
}

function parse(xml: string): { root: Record<string, string>; suites: Suite[] } {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    cdataPropName: '#cdata',
    parseAttributeValue: false,
    isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
  }).parse(xml) as { testsuites: Record<string, string> & { testsuite: Suite[] } };
  const { testsuite, ...root } = doc.testsuites;
  return { root, suites: testsuite };
}

const cases = (suites: Suite[]) => suites.flatMap((s) => s.testcase);
const props = (s: Suite) => Object.fromEntries(s.properties.property.map((p) => [p.name, p.value]));

describe('JUnit writer (mocha-junit-reporter driven without mocha, reports.md §1.3 and §2.3)', () => {
  const nightly = fixture('nightly');
  const { root, suites } = parse(renderJUnit(nightly));

  it('writes a root testsuites with name, tests, failures, errors, time and no skipped (junit-10.xsd)', () => {
    const t = tally(nightly.results);
    expect(root).toEqual({ name: 'atomic-lab 2026-11-23T020005Z-7f3a', tests: String(t.total), failures: '5', errors: '2', time: '221.377' });
  });

  it('writes one testsuite per test result with tests, failures, errors, skipped, time on every one', () => {
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors, s.skipped])).toEqual([
      ['lab.wine.T1546_016', '4', '2', '0', '0'],
      ['lab.sandbox.T1546_016', '4', '2', '0', '1'],
      ['lab.wine.T1546_016', '3', '0', '1', '1'],
      ['lab.qemu.T1546_016', '1', '0', '1', '0'],
      ['lab.wine.benign.T1546_016', '3', '1', '0', '0'],
    ]);
    for (const s of suites) expect(s.time).toMatch(/^\d+\.\d{3}$/);
    // time and timestamp come from the input: the first test ran 02:00:06.100 → 02:00:17.250
    expect(suites[0]!.time).toBe('11.150');
    expect(suites[0]!.timestamp).toBe('2026-11-23T02:00:06');
  });

  it('never leaves the raw technique id at the classname\'s last dot (Jenkins splits package/class there)', () => {
    for (const c of cases(suites)) {
      const last = c.classname.slice(c.classname.lastIndexOf('.') + 1);
      expect(last).toMatch(/^T\d{4}(_\d{3})?$/);
      expect(c.name).toMatch(/^T1546\.016-(benign-)?\d+ /); // the id keeps its dot in the name
    }
    expect(junitClassname(testResult([], { target: 'ssh lab1.example' }))).toBe('lab.ssh_lab1_example.T1546_016');
  });

  it('keeps classname + name unique (GitLab silently drops duplicates)', () => {
    const ids = cases(suites).map((c) => `${c.classname}\n${c.name}`);
    expect(new Set(ids).size).toBe(ids.length);
    const twice = renderJUnit(resultsOf([testResult([detection()]), testResult([detection()])]));
    expect(cases(parse(twice).suites).map((c) => c.name)).toEqual([
      'T1546.016-1 msi spawns powershell [sigma a] expects INSTALLER_DOWNLOAD_CRADLE',
      'T1546.016-1 msi spawns powershell [sigma a] expects INSTALLER_DOWNLOAD_CRADLE #2',
    ]);
  });

  it('writes failures for coverage gaps, errors for lab errors, skipped with the reason for known gaps and not-observable', () => {
    const byName = (part: string) => cases(suites).find((c) => c.name.includes(part))!;
    expect(byName('[spl requirement/msi_child_shell').failure).toMatchObject({ type: 'DetectionMissed', message: 'expected INSTALLER_DOWNLOAD_CRADLE, rule did not fire' });
    expect(byName('[cql msi_child @falcon] expects INSTALLER_DOWNLOAD').failure?.type).toBe('WrongDetectionType');
    // mocha's colour-less expected/actual diff, appended by the reporter
    expect(byName('[cql msi_child @falcon] expects INSTALLER_DOWNLOAD').failure?.['#cdata']).toContain('+ expected - actual');
    expect(byName('[spl corrected/installer_network').failure?.type).toBe('NoTelemetry');
    expect(byName('[spl requirement/installer_network').failure?.type).toBe('UnexpectedPass');
    expect(byName('(benign) [sigma msi_spawns_powershell]').failure?.type).toBe('FalsePositive');
    expect(byName('[cql msi_file_write').error).toMatchObject({ type: 'EvaluationError', message: 'engine error: regex timeout after 2000 ms in stage 3 (line 4:12)' });
    expect(byName('[lab] could not run').error).toMatchObject({ type: 'LabError', message: 'guest did not boot within 120 s (qemu-system-x86_64 -accel tcg)' });
    expect(byName('[sigma installer_child_network]').skipped).toEqual({ message: 'known gap: Sigma network_connection has no parent process field; known gap, see detections/sigma/README.md' });
    expect(byName('[sigma msiinstaller_product_installed]').skipped).toEqual({ message: 'not observable on wine: MsiInstaller 11707 product installed' });
    const passed = byName('[sigma msi_spawns_powershell] expects INSTALLER_DOWNLOAD_CRADLE');
    expect(passed.failure ?? passed.error ?? passed.skipped).toBeUndefined();
  });

  it('puts target, provenance, marker and GUID in testsuite properties and expected/observed in system-out (junit-10 has no testcase properties)', () => {
    expect(props(suites[0]!)).toMatchObject({ target: 'wine', provenance: 'executed', marker: 'al-2f9c1e', 'atomic.guid': '7c1e8d2a-5b1f-4f7e-9a43-0c2f1d9e6b01', 'run.commit': '0123abcd' });
    for (const c of cases(suites)) expect(c.properties).toBeUndefined();
    const out = cases(suites)[2]!['system-out']!;
    expect(out).toContain('expected: INSTALLER_DOWNLOAD_CRADLE');
    expect(out).toContain('observed: INSTALLER_ENCODED_EXECUTION');
    expect(out).toContain('why: case branch 1');
    const replay = parse(renderJUnit(fixture('replay'), { baseline: nightly })).suites;
    expect(props(replay[0]!)).toMatchObject({ provenance: 'replayed', source: 'reports/2026-11-23T020005Z-7f3a/captures/T1546.016-1', 'history.baseline': '2026-11-23T020005Z-7f3a' });
  });

  it('marks a regression against the baseline in the failure message and system-out', () => {
    const replay = parse(renderJUnit(fixture('replay'), { baseline: nightly })).suites;
    const c = cases(replay).find((x) => x.name.includes('[spl corrected/msi_child_shell'))!;
    expect(c.failure?.message).toBe('REGRESSION: expected INSTALLER_DOWNLOAD_CRADLE, rule did not fire');
    expect(c['system-out']).toContain('history: REGRESSION since baseline run 2026-11-23T020005Z-7f3a: PASS [INSTALLER_DOWNLOAD_CRADLE] → FAIL');
  });

  it('strips characters XML 1.0 forbids from names and properties', () => {
    const r = testResult([detection()], { test: { technique: 'T1546.016', number: 1, guid: 'g', name: 'bad\u0001name\u001b[31m' } });
    const xml = renderJUnit(resultsOf([r]));
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(cases(parse(xml).suites)[0]!.name).toContain('badname');
  });
});
