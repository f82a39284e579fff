import { describe, expect, it } from 'vitest';
import { decide, exitCodeOf } from '../../../harness/verdicts/verdict.ts';

const none = { observed: [], rows: 0 };

describe('decide: expected DetectionType', () => {
  it('PASS when the rule fires with the expected DetectionType', () => {
    expect(decide({ expected: 'INSTALLER_SCRIPT_CHILD' }, { observed: ['INSTALLER_SCRIPT_CHILD'], rows: 1 })).toEqual({ verdict: 'PASS' });
  });

  it('PASS notes other types seen beside the expected one', () => {
    const d = decide({ expected: 'A' }, { observed: ['A', 'B'], rows: 2 });
    expect(d).toEqual({ verdict: 'PASS', why: 'also fired with B' });
  });

  it('FAIL with the wrong DetectionType names what was observed', () => {
    const d = decide({ expected: 'INSTALLER_DOWNLOAD_CRADLE' }, { observed: ['INSTALLER_SCRIPT_CHILD'], rows: 1 });
    expect(d.verdict).toBe('FAIL');
    expect(d.why).toBe('wrong DetectionType: fired with INSTALLER_SCRIPT_CHILD, expected INSTALLER_DOWNLOAD_CRADLE');
  });

  it('FAIL on a silent rule carries the predicate explanation', () => {
    const d = decide({ expected: 'A' }, { ...none, whyNot: () => 'ParentImage is missing' });
    expect(d).toEqual({ verdict: 'FAIL', why: 'ParentImage is missing' });
  });

  it('NO_TELEMETRY, not FAIL, when observable signals are missing: a telemetry gap is not a rule gap', () => {
    const d = decide({ expected: 'A' }, { ...none, telemetryGap: 'no process creation for powershell.exe' });
    expect(d).toEqual({ verdict: 'NO_TELEMETRY', why: 'no process creation for powershell.exe' });
  });

  it('a rule that fires despite a telemetry gap is judged on what it returned', () => {
    expect(decide({ expected: 'A' }, { observed: ['A'], rows: 1, telemetryGap: 'x' }).verdict).toBe('PASS');
  });

  it('KNOWN_GAP when a known gap does not fire', () => {
    const d = decide({ expected: 'A', knownGap: 'legacy sourcetype' }, { ...none, whyNot: () => 'sourcetype differs' });
    expect(d).toEqual({ verdict: 'KNOWN_GAP', why: 'sourcetype differs' });
  });

  it('a known gap that starts passing is reported, so the expectation gets updated (exit 1)', () => {
    const d = decide({ expected: 'A', knownGap: 'legacy sourcetype' }, { observed: ['A'], rows: 1 });
    expect(d.verdict).toBe('FAIL');
    expect(d.why).toContain('stale expectation: the known gap no longer reproduces');
    expect(exitCodeOf([d])).toBe(1);
  });
});

describe('decide: expected silence (benign scenarios)', () => {
  it('PASS when silent', () => {
    expect(decide({ expected: null }, none)).toEqual({ verdict: 'PASS' });
  });

  it('FAIL as a false positive when it fires', () => {
    const d = decide({ expected: null }, { observed: ['INSTALLER_SCRIPT_CHILD'], rows: 3 });
    expect(d).toEqual({ verdict: 'FAIL', why: 'false positive: fired with INSTALLER_SCRIPT_CHILD on a scenario where it must stay silent' });
  });

  it('KNOWN_GAP for a registered known false positive', () => {
    const d = decide({ expected: null, knownFalsePositive: 'vendor script' }, { observed: ['X'], rows: 1 });
    expect(d.verdict).toBe('KNOWN_GAP');
  });

  it('a known false positive that stops firing is a stale expectation', () => {
    expect(decide({ expected: null, knownFalsePositive: 'vendor script' }, none).verdict).toBe('FAIL');
  });
});

describe('decide: errors', () => {
  it('a lab error is ERROR and never a detection miss', () => {
    const d = decide({ expected: 'A' }, { ...none, labError: 'wine not installed' });
    expect(d).toEqual({ verdict: 'ERROR', why: 'lab error: wine not installed', errorKind: 'lab' });
  });

  it('a rule that does not compile is ERROR, unless that is its known gap', () => {
    expect(decide({ expected: 'A' }, { ...none, ruleError: 'if(): unnamed then' }).verdict).toBe('ERROR');
    expect(decide({ expected: 'A', knownGap: 'LogScale rejects it' }, { ...none, ruleError: 'if(): unnamed then' }).verdict).toBe('KNOWN_GAP');
  });
});

describe('exitCodeOf (CONTRACTS.md exit codes)', () => {
  it('0 when every expectation is met, known gaps allowed', () => {
    expect(exitCodeOf([{ verdict: 'PASS' }, { verdict: 'KNOWN_GAP' }])).toBe(0);
  });
  it('1 on FAIL or NO_TELEMETRY', () => {
    expect(exitCodeOf([{ verdict: 'PASS' }, { verdict: 'NO_TELEMETRY' }])).toBe(1);
    expect(exitCodeOf([{ verdict: 'FAIL' }])).toBe(1);
  });
  it('3 on a lab error, whatever else happened', () => {
    expect(exitCodeOf([{ verdict: 'FAIL' }, { verdict: 'ERROR', errorKind: 'lab' }])).toBe(3);
  });
  it('2 on an unexpected rule error', () => {
    expect(exitCodeOf([{ verdict: 'FAIL' }, { verdict: 'ERROR', errorKind: 'rule' }])).toBe(2);
  });
});
