// One interpretation of a (test, rule) result for every report: its status, and what that status
// means in JUnit, in VECTR's outcome vocabulary, in colours and in words. Writers read this table
// instead of re-deciding verdict semantics each on their own (reports.md §1.3 and §5).
import type { DetectionResult, TestRef, TestResult } from '../verdicts/results.ts';

export type Status =
  | 'detected'
  | 'quiet'
  | 'wrong-type'
  | 'missed'
  | 'no-telemetry'
  | 'false-positive'
  | 'unexpected-pass'
  | 'known-gap'
  | 'not-observable'
  | 'lab-error';

export type JUnitKind = 'pass' | 'failure' | 'error' | 'skipped';

/** VECTR per-tool outcomes (docs.vectr.io/user/recording-outcomes). */
export type VectrOutcome = 'Blocked' | 'Alerted' | 'Logged' | 'None' | 'N/A' | 'TBD';

export interface StatusInfo {
  label: string;
  /** one or two characters for a matrix cell, so the state is readable without colour */
  glyph: string;
  color: string;
  junit: JUnitKind;
  /** the JUnit failure/error type attribute */
  junitType?: string;
  vectr: VectrOutcome;
  /** the expectation was met (exit 0 material) */
  met: boolean;
}

// Colours: the reports.md §3 recommendation (DeTT&CT-style) extended by the lab's own states.
// VECTR column: reports.md §5 alignment table.
export const STATUS: Readonly<Record<Status, StatusInfo>> = {
  detected: { label: 'detected', glyph: '✓', color: '#8ec843', junit: 'pass', vectr: 'Alerted', met: true },
  quiet: { label: 'quiet as expected', glyph: '·', color: '#cfe8b0', junit: 'pass', vectr: 'N/A', met: true },
  'wrong-type': { label: 'wrong detection type', glyph: '≠', color: '#ffb14e', junit: 'failure', junitType: 'WrongDetectionType', vectr: 'Logged', met: false },
  missed: { label: 'missed', glyph: '✗', color: '#ff6666', junit: 'failure', junitType: 'DetectionMissed', vectr: 'Logged', met: false },
  'no-telemetry': { label: 'no telemetry', glyph: '∅', color: '#e05a9c', junit: 'failure', junitType: 'NoTelemetry', vectr: 'None', met: false },
  'false-positive': { label: 'false positive', glyph: '!', color: '#ff6666', junit: 'failure', junitType: 'FalsePositive', vectr: 'N/A', met: false },
  'unexpected-pass': { label: 'known gap now detected', glyph: '?', color: '#7fb2ff', junit: 'failure', junitType: 'UnexpectedPass', vectr: 'Alerted', met: false },
  'known-gap': { label: 'known gap', glyph: '~', color: '#e9d8a6', junit: 'skipped', vectr: 'Logged', met: true },
  'not-observable': { label: 'not observable here', glyph: '–', color: '#e4e4e4', junit: 'skipped', vectr: 'N/A', met: true },
  'lab-error': { label: 'lab error', glyph: 'E', color: '#b0b0b0', junit: 'error', junitType: 'LabError', vectr: 'TBD', met: false },
};

/** Display order, worst first: what a person must look at comes first. */
export const STATUS_ORDER: readonly Status[] = [
  'lab-error',
  'missed',
  'no-telemetry',
  'wrong-type',
  'false-positive',
  'unexpected-pass',
  'known-gap',
  'not-observable',
  'detected',
  'quiet',
];

export function isBenign(test: TestRef): boolean {
  return test.kind === 'benign';
}

/** Signals that were expected but absent, split by whether this target could have seen them. */
export function missingSignals(result: TestResult): { observable: string[]; unobservable: string[] } {
  const missing = result.telemetry.signals.filter((s) => !s.found);
  return {
    observable: missing.filter((s) => s.observable !== false).map((s) => s.description),
    unobservable: missing.filter((s) => s.observable === false).map((s) => s.description),
  };
}

/**
 * The status of one (test, rule) result. NO_TELEMETRY is a failure when a missing signal was
 * observable on the target, and "not observable here" (skipped) when every missing signal is one
 * the target cannot produce (issue 8; results.ts `Signal.observable`). A FAIL whose observed types
 * include the expected one is a known gap that now fires (CONTRACTS.md: "unexpected pass of a known
 * gap" is exit 1).
 */
export function statusOf(result: TestResult, d: DetectionResult): Status {
  switch (d.verdict) {
    case 'PASS':
      return d.expected === null ? 'quiet' : 'detected';
    case 'KNOWN_GAP':
      return 'known-gap';
    case 'ERROR':
      return 'lab-error';
    case 'NO_TELEMETRY': {
      const m = missingSignals(result);
      return m.observable.length === 0 && m.unobservable.length > 0 ? 'not-observable' : 'no-telemetry';
    }
    case 'FAIL':
      if (d.expected === null) return 'false-positive';
      if (d.observed.includes(d.expected)) return 'unexpected-pass';
      return d.observed.length > 0 ? 'wrong-type' : 'missed';
  }
}

/** One line saying what happened, for a failure/error/skipped message or a table cell. */
export function statusMessage(result: TestResult, d: DetectionResult, status: Status = statusOf(result, d)): string {
  const observed = d.observed.length ? d.observed.join(', ') : 'nothing';
  const rows = d.rows !== undefined ? ` (${d.rows} row${d.rows === 1 ? '' : 's'})` : '';
  switch (status) {
    case 'detected':
      return `fired as ${observed}${rows}`;
    case 'quiet':
      return isBenign(result.test) ? 'stayed silent on the benign scenario' : 'stayed silent, as expected';
    case 'wrong-type':
      return `expected ${d.expected}, fired as ${observed}${rows}`;
    case 'missed':
      return `expected ${d.expected}, rule did not fire`;
    case 'no-telemetry': {
      const m = missingSignals(result);
      return m.observable.length
        ? `expected telemetry absent: ${m.observable.join('; ')}`
        : `expected telemetry absent (${result.telemetry.events} events captured)`;
    }
    case 'false-positive':
      return `${isBenign(result.test) ? 'benign scenario' : 'expected silence'}: rule fired as ${observed}${rows}`;
    case 'unexpected-pass':
      return `known gap now detected as ${observed}: update the expectation${d.reason ? ` (${d.reason})` : ''}`;
    case 'known-gap':
      return `known gap: ${d.reason ?? d.why ?? 'expected miss'}`;
    case 'not-observable':
      return `not observable on ${result.target}: ${missingSignals(result).unobservable.join('; ')}`;
    case 'lab-error':
      return result.error ?? d.why ?? 'lab error';
  }
}

/**
 * `T1546.016-1`: technique and test number, as CONTRACTS.md spells test ids; benign scenarios are
 * numbered on their own, `T1546.016-benign-1` (harness/atomics/select.ts).
 */
export function testId(test: TestRef): string {
  return test.kind === 'benign' ? `${test.technique}-benign-${test.number}` : `${test.technique}-${test.number}`;
}

/**
 * `spl corrected/msi_child_shell @splunk-legacy`: language, rule path under detections/<language>/
 * without extension, profile.
 */
export function ruleLabel(d: Pick<DetectionResult, 'rule' | 'language' | 'profile'>): string {
  const short = d.rule
    .replace(/^detections\//, '')
    .replace(new RegExp(`^${d.language}/`), '')
    .replace(/\.[A-Za-z0-9]+$/, '');
  return `${d.language} ${short}${d.profile ? ` @${d.profile}` : ''}`;
}

/** Identity of a rule column: the same rule on two profiles is two columns. */
export function ruleKey(d: Pick<DetectionResult, 'rule' | 'profile'>): string {
  return `${d.rule}|${d.profile ?? ''}`;
}

/** How a result was obtained, in words (DESIGN.md: "every result says how it was obtained"). */
export function provenanceText(result: TestResult): string {
  return result.provenance === 'executed'
    ? `executed on ${result.target}`
    : `replayed from ${result.source ?? 'an unnamed recording'} (${result.target})`;
}

export interface Tally {
  total: number;
  met: number;
  byStatus: Partial<Record<Status, number>>;
}

/** Counts per status; a test that stopped on a lab error before any rule ran counts as one lab error. */
export function tally(results: readonly TestResult[]): Tally {
  const t: Tally = { total: 0, met: 0, byStatus: {} };
  for (const r of results) {
    if (r.error && r.detections.length === 0) {
      t.total += 1;
      t.byStatus['lab-error'] = (t.byStatus['lab-error'] ?? 0) + 1;
    }
    for (const d of r.detections) {
      const s = statusOf(r, d);
      t.total += 1;
      if (STATUS[s].met) t.met += 1;
      t.byStatus[s] = (t.byStatus[s] ?? 0) + 1;
    }
  }
  return t;
}

/** The run's provenance in a few phrases: `executed on wine (3 tests)`, `replayed from bundle-a, bundle-b`. */
export function runProvenance(results: readonly TestResult[]): string[] {
  const executed = new Map<string, number>();
  const replayed: string[] = [];
  for (const r of results) {
    if (r.provenance === 'executed') executed.set(r.target, (executed.get(r.target) ?? 0) + 1);
    else {
      const src = r.source ?? `an unnamed recording (${r.target})`;
      if (!replayed.includes(src)) replayed.push(src);
    }
  }
  const out: string[] = [];
  if (executed.size) {
    const parts = [...executed].map(([t, n]) => `${t} (${n} test${n === 1 ? '' : 's'})`);
    out.push(`executed on ${parts.join(', ')}`);
  }
  if (replayed.length) out.push(`replayed from ${replayed.join(', ')}`);
  return out;
}
