import { describe, expect, it } from 'vitest';
import { ruleLabel, runProvenance, STATUS, statusMessage, statusOf, tally } from '../../../harness/reports/status.ts';
import { detection, fixture, testResult } from './fixtures.ts';

describe('statusOf: one reading of a verdict for every report', () => {
  it('PASS is detected for an attack, quiet for a rule expected not to fire (CONTRACTS.md: expected null = benign)', () => {
    expect(statusOf(testResult([]), detection())).toBe('detected');
    expect(statusOf(testResult([]), detection({ expected: null, observed: [] }))).toBe('quiet');
  });

  it('FAIL splits into missed, wrong detection type, false positive and a known gap that now fires (CONTRACTS.md exit 1 cases)', () => {
    const r = testResult([]);
    expect(statusOf(r, detection({ verdict: 'FAIL', observed: [] }))).toBe('missed');
    expect(statusOf(r, detection({ verdict: 'FAIL', observed: ['INSTALLER_SCRIPT_CHILD'] }))).toBe('wrong-type');
    expect(statusOf(r, detection({ verdict: 'FAIL', expected: null, observed: ['INSTALLER_SCRIPT_CHILD'] }))).toBe('false-positive');
    expect(statusOf(r, detection({ verdict: 'FAIL' }))).toBe('unexpected-pass');
  });

  it('NO_TELEMETRY is a failure when a missing signal was observable, "not observable" when none was (issue 8)', () => {
    const d = detection({ verdict: 'NO_TELEMETRY', observed: [] });
    const observable = testResult([], { telemetry: { events: 1, signals: [{ description: 'net', found: false, observable: true }] } });
    const mixed = testResult([], { telemetry: { events: 1, signals: [{ description: 'a', found: false, observable: false }, { description: 'b', found: false }] } });
    const hidden = testResult([], { telemetry: { events: 1, signals: [{ description: 'msi 1033', found: false, observable: false }, { description: 'c', found: true }] } });
    const unknown = testResult([], { telemetry: { events: 0, signals: [] } });
    expect(statusOf(observable, d)).toBe('no-telemetry');
    expect(statusOf(mixed, d)).toBe('no-telemetry');
    expect(statusOf(hidden, d)).toBe('not-observable');
    expect(statusMessage(hidden, d)).toBe('not observable on wine: msi 1033');
    // no signal list: nothing proves the telemetry was unobservable, so it stays a failure
    expect(statusOf(unknown, d)).toBe('no-telemetry');
  });

  it('maps statuses to JUnit and VECTR as reports.md §1.3 and §5 align them', () => {
    expect(STATUS.missed.junit).toBe('failure');
    expect(STATUS['wrong-type'].junit).toBe('failure');
    expect(STATUS['lab-error'].junit).toBe('error');
    expect(STATUS['known-gap'].junit).toBe('skipped');
    expect(STATUS['not-observable'].junit).toBe('skipped');
    expect(STATUS.detected.vectr).toBe('Alerted');
    expect(STATUS['no-telemetry'].vectr).toBe('None');
    expect(STATUS['lab-error'].vectr).toBe('TBD');
    expect(STATUS['not-observable'].vectr).toBe('N/A');
  });

  it('labels a rule by language, path under detections/<language>/ and profile', () => {
    expect(ruleLabel({ rule: 'detections/spl/corrected/msi.spl', language: 'spl', profile: 'splunk-legacy' })).toBe('spl corrected/msi @splunk-legacy');
    expect(ruleLabel({ rule: 'detections/sigma/x.yml', language: 'sigma' })).toBe('sigma x');
  });

  it('tallies the nightly fixture: every status present, met counts known gaps and not-observable, a test stopped by a lab error counts once', () => {
    const t = tally(fixture('nightly').results);
    expect(t.total).toBe(15);
    expect(t.byStatus).toEqual({
      detected: 4, missed: 1, 'wrong-type': 1, 'no-telemetry': 1, 'known-gap': 1, 'unexpected-pass': 1,
      'not-observable': 1, 'lab-error': 2, quiet: 2, 'false-positive': 1,
    });
    expect(t.met).toBe(4 + 1 + 1 + 2);
  });

  it('says how results were obtained (DESIGN.md: executed on which target, replayed from which file)', () => {
    expect(runProvenance(fixture('nightly').results)).toEqual(['executed on wine (3 tests), sandbox (1 test), qemu (1 test)']);
    expect(runProvenance(fixture('replay').results)).toEqual([
      'replayed from reports/2026-11-23T020005Z-7f3a/captures/T1546.016-1, reports/2026-11-23T020005Z-7f3a/captures/T1546.016-3, recordings/vendor-msi-silent.evtx',
    ]);
  });
});
