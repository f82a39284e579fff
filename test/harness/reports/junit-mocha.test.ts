import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderPlan, type SuitePlan } from '../../../harness/reports/junit-mocha.ts';

const plan: SuitePlan[] = [
  {
    title: 'lab.wine.T1546_016',
    properties: { target: 'wine' },
    start: Date.parse('2026-01-01T00:00:00Z'),
    end: Date.parse('2026-01-01T00:00:02.5Z'),
    cases: [
      { title: 'pass', kind: 'pass', type: '', message: '', body: '', output: ['expected: A'] },
      { title: 'fail', kind: 'failure', type: 'DetectionMissed', message: 'missed', body: 'missed\n\nwhy: x', output: [], expected: 'A', actual: 'B' },
      { title: 'err', kind: 'error', type: 'LabError', message: 'vm down', body: 'vm down', output: [] },
      { title: 'skip', kind: 'skipped', type: '', message: 'known gap: y', body: '', output: [] },
    ],
  },
];
const root = { name: 'atomic-lab r1', time: '10.000', host: 'h1' };

describe('mocha-junit-reporter driven without mocha (reports.md §2.3)', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('renders pass, failure (with mocha\'s expected/actual diff), error and skipped-with-message, and counts them', () => {
    const xml = renderPlan(plan, root);
    expect(xml).toContain('<testsuites name="atomic-lab r1" tests="4" failures="1" errors="1" time="10.000">');
    expect(xml).toContain('<testsuite name="lab.wine.T1546_016" tests="4" failures="1" errors="1" skipped="1" time="2.500" timestamp="2026-01-01T00:00:00" hostname="h1">');
    expect(xml).toContain('<testcase name="fail" time="0.000" classname="lab.wine.T1546_016">');
    expect(xml).toMatch(/<failure message="missed" type="DetectionMissed"><!\[CDATA\[missed\n\nwhy: x\n\n {6}\+ expected - actual\n\n {6}-B\n {6}\+A\n/);
    expect(xml).toContain('<error message="vm down" type="LabError"><![CDATA[vm down]]></error>');
    expect(xml).toContain('<skipped message="known gap: y"/>');
    expect(xml).toContain('<property name="target" value="wine"/>');
    expect(xml).toContain('<system-out>expected: A</system-out>');
  });

  it('gives the same bytes whatever MOCHA_FILE, JENKINS_MODE, ANT_MODE or PROPERTIES say, writes no file, and restores the environment', () => {
    const before = renderPlan(plan, root);
    const dir = mkdtempSync(path.join(tmpdir(), 'junit-'));
    vi.stubEnv('MOCHA_FILE', path.join(dir, 'x.xml'));
    vi.stubEnv('JENKINS_MODE', '');
    vi.stubEnv('ANT_MODE', 'true');
    vi.stubEnv('PROPERTIES', 'a:b');
    expect(renderPlan(plan, root)).toBe(before);
    expect(readdirSync(dir)).toEqual([]);
    expect(process.env.MOCHA_FILE).toBe(path.join(dir, 'x.xml'));
    expect(process.env.ANT_MODE).toBe('true');
  });

  it('writes no timestamp when the input has no usable time', () => {
    const xml = renderPlan([{ ...plan[0]!, start: undefined, end: undefined }], root);
    expect(xml).not.toContain('timestamp=');
  });
});
