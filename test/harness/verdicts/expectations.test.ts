import { describe, expect, it } from 'vitest';
import { expectationFor, parseExpectations } from '../../../harness/verdicts/expectations.ts';

const T1 = { technique: 'T1546.016', number: 1, guid: '0b5e5a3c-1111-4f0a-9c3e-7f7d1f2a0001', name: 'MSI Custom Action Spawning PowerShell' };
const T3 = { technique: 'T1546.016', number: 3, guid: '0b5e5a3c-3333-4f0a-9c3e-7f7d1f2a0003', name: 'MSI Silent Installation' };

const text = `expectations:
  - tests: ['*']
    rules: detections/spl/*.spl
    expect: null
  - tests: [T1546.016-1, ${T3.guid}]
    rules: detections/spl/x.corrected.spl
    expect: INSTALLER_DOWNLOAD_CRADLE
  - tests: [msi custom action spawning powershell]
    rules: detections/spl/x.seed.spl
    profile: splunk
    expect: INSTALLER_DOWNLOAD_CRADLE
    known_gap: legacy sourcetype names (explain SPL_LEGACY_SOURCETYPE)
`;

describe('expectations', () => {
  const entries = parseExpectations(text, 'atomics/T/expectations.yaml');

  it('matches tests by technique-number, guid or name (case-insensitive), later entries winning', () => {
    expect(expectationFor(entries, T1, 'detections/spl/x.corrected.spl', 'splunk').expectation.expected).toBe('INSTALLER_DOWNLOAD_CRADLE');
    expect(expectationFor(entries, T3, 'detections/spl/x.corrected.spl', 'splunk').expectation.expected).toBe('INSTALLER_DOWNLOAD_CRADLE');
    const gap = expectationFor(entries, T1, 'detections/spl/x.seed.spl', 'splunk');
    expect(gap.expectation.knownGap).toMatch(/legacy sourcetype/);
    expect(gap.source).toBe('atomics/T/expectations.yaml:8');
  });

  it('numbers benign scenarios on their own: T1546.016-benign-1 is not T1546.016-1', () => {
    const benign = { ...T1, kind: 'benign' as const, guid: 'other', name: 'other' };
    expect(expectationFor(entries, benign, 'detections/spl/x.corrected.spl', 'splunk').expectation.expected).toBeNull();
    const own = parseExpectations('expectations:\n  - tests: [T1546.016-benign-1]\n    rules: x\n    expect: null\n    known_false_positive: vendor script\n', 'e.yaml');
    expect(expectationFor(own, benign, 'x', 'splunk').expectation.knownFalsePositive).toBe('vendor script');
  });

  it('applies a profile-specific entry only to that profile', () => {
    expect(expectationFor(entries, T1, 'detections/spl/x.seed.spl', 'splunk-legacy').expectation).toEqual({ expected: null });
  });

  it('defaults to "must stay silent" when nothing matches', () => {
    expect(expectationFor(entries, T1, 'detections/cql/y.cql', 'falcon')).toEqual({ expectation: { expected: null } });
  });

  it('rejects unknown keys with file:line:column (exit 2)', () => {
    expect(() => parseExpectations('expectations:\n  - tests: [a]\n    rules: x\n    expct: A\n', 'e.yaml')).toThrowError(/unknown key 'expct'/);
    try {
      parseExpectations('expectations:\n  - tests: [a]\n    rules: x\n    expct: A\n', 'e.yaml');
    } catch (e) {
      expect((e as { describe(): string }).describe()).toMatch(/^e\.yaml:4:5: /);
    }
  });

  it("requires 'expect' to be a DetectionType or null", () => {
    expect(() => parseExpectations('expectations:\n  - tests: [a]\n    rules: x\n', 'e.yaml')).toThrowError(/'expect' must be/);
  });
});
