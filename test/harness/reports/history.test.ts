import { describe, expect, it } from 'vitest';
import { describeChange, diffResults, hasRegression, historyHeadline, historyOf } from '../../../harness/reports/history.ts';
import { detection, fixture, resultsOf, testResult } from './fixtures.ts';

const keys = (list: { key: string }[]) => list.map((c) => c.key);

describe('history: baseline results.json → diff (issue 8 §5)', () => {
  const diff = diffResults(fixture('nightly'), fixture('replay'));

  it('finds the new miss, the new passes and the changed detection types between the fixtures', () => {
    expect(keys(diff.newMisses)).toEqual(['7c1e8d2a-5b1f-4f7e-9a43-0c2f1d9e6b01 detections/spl/corrected/msi_child_shell.spl splunk']);
    expect(keys(diff.newPasses)).toEqual([
      '7c1e8d2a-5b1f-4f7e-9a43-0c2f1d9e6b01 detections/cql/msi_child.cql falcon',
      'e5a2c9f0-8b34-4a6d-b1e7-2f9d3c0a5e13 detections/cql/msi_file_write.cql falcon',
    ]);
    expect(keys(diff.changedTypes)).toEqual([
      '7c1e8d2a-5b1f-4f7e-9a43-0c2f1d9e6b01 detections/cql/msi_child.cql falcon',
      'e5a2c9f0-8b34-4a6d-b1e7-2f9d3c0a5e13 detections/spl/corrected/msi_file_write.spl splunk',
    ]);
    expect(keys(diff.added)).toEqual(['7c1e8d2a-5b1f-4f7e-9a43-0c2f1d9e6b01 detections/sigma/msi_child_network.yml']);
    expect(diff.removed).toHaveLength(4);
    expect(diff.newErrors).toEqual([]);
    expect(hasRegression(diff)).toBe(true);
    expect(describeChange(diff.newMisses[0]!)).toBe('PASS [INSTALLER_DOWNLOAD_CRADLE] → FAIL');
    expect(historyHeadline(diff)).toBe(
      'since baseline run 2026-11-23T020005Z-7f3a (2026-11-23T02:03:46.377Z): 1 new miss, 2 new passes, 2 changed detection types, 1 added, 4 removed',
    );
  });

  it('lines a replay on another target up with the run it came from (target is not part of the key unless needed)', () => {
    // the benign scenario was executed on wine and is replayed with target "replay": same key, no change
    const benign = [...diff.newMisses, ...diff.added, ...diff.removed].filter((c) => c.key.startsWith('b7f3e2d1'));
    expect(benign).toEqual([]);
  });

  it('keeps targets apart when one file has the same test and rule on several targets', () => {
    const a = testResult([detection({ verdict: 'PASS' })], { target: 'wine' });
    const b = testResult([detection({ verdict: 'PASS' })], { target: 'vagrant' });
    const b2 = testResult([detection({ verdict: 'FAIL', observed: [] })], { target: 'vagrant' });
    const d = diffResults(resultsOf([a, b]), resultsOf([a, b2]));
    expect(keys(d.newMisses)).toEqual(['g-1 detections/sigma/a.yml @vagrant']);
  });

  it('counts a miss after a lab error as new (the baseline never showed it failing), and a lab error alone as no regression', () => {
    const err = resultsOf([testResult([detection({ verdict: 'ERROR', observed: [] })], { error: 'vm did not boot' })]);
    const miss = resultsOf([testResult([detection({ verdict: 'FAIL', observed: [] })])]);
    const pass = resultsOf([testResult([detection()])]);
    expect(hasRegression(diffResults(err, miss))).toBe(true);
    const d = diffResults(pass, err);
    expect(hasRegression(d)).toBe(false);
    expect(d.newErrors).toHaveLength(1);
  });

  it('does not call a known gap that keeps missing, or a failure that keeps failing, a regression', () => {
    const gap = resultsOf([testResult([detection({ verdict: 'KNOWN_GAP', observed: [] })])]);
    const fail = resultsOf([testResult([detection({ verdict: 'FAIL', observed: [] })])]);
    expect(hasRegression(diffResults(gap, gap))).toBe(false);
    expect(hasRegression(diffResults(fail, fail))).toBe(false);
    // a known gap that turns into a plain miss is a regression: the expectation was met before
    expect(hasRegression(diffResults(gap, fail))).toBe(true);
  });

  it('has no history without a baseline', () => {
    expect(historyOf(fixture('nightly'), undefined)).toBeUndefined();
    expect(hasRegression(undefined)).toBe(false);
  });
});
