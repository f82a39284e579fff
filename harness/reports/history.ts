// History: what changed between a baseline results.json (an earlier run) and this one, per
// (test, rule, profile). Every writer shows this diff; `hasRegression` is what decides exit 1.
import type { DetectionResult, ResultsFile, RunInfo, TestResult } from '../verdicts/results.ts';
import { STATUS, statusOf, type Status } from './status.ts';

export interface HistorySide {
  result: TestResult;
  detection: DetectionResult;
  status: Status;
}

export interface HistoryChange {
  key: string;
  before?: HistorySide;
  after?: HistorySide;
}

export interface HistoryDiff {
  baseline: RunInfo;
  /** the expectation was met (or the run errored) in the baseline and is not met now */
  newMisses: HistoryChange[];
  /** PASS now, anything else in the baseline */
  newPasses: HistoryChange[];
  /** the observed DetectionTypes (or the expected one) differ between the runs */
  changedTypes: HistoryChange[];
  /** a lab error now that was not one in the baseline (exit 3 material, not a detection regression) */
  newErrors: HistoryChange[];
  /** (test, rule) pairs only in this run */
  added: HistoryChange[];
  /** (test, rule) pairs only in the baseline */
  removed: HistoryChange[];
}

function testKey(r: TestResult): string {
  return r.test.guid || `${r.test.technique}-${r.test.number}`;
}

/**
 * Keys of every (test, rule, profile) in a file. The target is part of the key only when the same
 * test+rule+profile appears more than once (a run on several targets), so that a nightly replay of
 * a bundle recorded on `wine` still lines up with the `wine` run it came from.
 */
function index(file: ResultsFile): Map<string, HistorySide> {
  const sides: Array<[string, HistorySide]> = [];
  const counts = new Map<string, number>();
  for (const result of file.results) {
    for (const detection of result.detections) {
      const key = `${testKey(result)} ${detection.rule} ${detection.profile ?? ''}`.trimEnd();
      counts.set(key, (counts.get(key) ?? 0) + 1);
      sides.push([key, { result, detection, status: statusOf(result, detection) }]);
    }
  }
  const map = new Map<string, HistorySide>();
  for (const [key, side] of sides) {
    const unique = (counts.get(key) ?? 0) > 1 ? `${key} @${side.result.target}` : key;
    if (!map.has(unique)) map.set(unique, side);
  }
  return map;
}

const typesOf = (d: DetectionResult): string => [...d.observed].sort().join(',');

export function diffResults(baseline: ResultsFile, current: ResultsFile): HistoryDiff {
  const before = index(baseline);
  const after = index(current);
  const diff: HistoryDiff = { baseline: baseline.run, newMisses: [], newPasses: [], changedTypes: [], newErrors: [], added: [], removed: [] };
  for (const [key, a] of after) {
    const b = before.get(key);
    const change: HistoryChange = { key, after: a, ...(b ? { before: b } : {}) };
    if (!b) {
      diff.added.push(change);
      continue;
    }
    const unmetNow = !STATUS[a.status].met && a.status !== 'lab-error' && a.status !== 'unexpected-pass';
    const unmetBefore = !STATUS[b.status].met && b.status !== 'lab-error';
    if (unmetNow && !unmetBefore) diff.newMisses.push(change);
    if (a.detection.verdict === 'PASS' && b.detection.verdict !== 'PASS') diff.newPasses.push(change);
    if (a.status === 'lab-error' && b.status !== 'lab-error') diff.newErrors.push(change);
    const bothFired = a.detection.observed.length > 0 && b.detection.observed.length > 0;
    if ((bothFired && typesOf(a.detection) !== typesOf(b.detection)) || a.detection.expected !== b.detection.expected) {
      diff.changedTypes.push(change);
    }
  }
  for (const [key, b] of before) if (!after.has(key)) diff.removed.push({ key, before: b });
  return diff;
}

/** True when the run is worse than its baseline: exit 1 material for `run`/`replay`/`report`. */
export function hasRegression(diff: HistoryDiff | undefined): boolean {
  return diff !== undefined && diff.newMisses.length > 0;
}

export function historyOf(current: ResultsFile, baseline: ResultsFile | undefined): HistoryDiff | undefined {
  return baseline ? diffResults(baseline, current) : undefined;
}

/** The diff's non-empty groups with their titles, regressions first (the order every report shows). */
export function historyGroups(diff: HistoryDiff): Array<{ title: string; changes: HistoryChange[] }> {
  const groups = [
    { title: 'New misses', changes: diff.newMisses },
    { title: 'New passes', changes: diff.newPasses },
    { title: 'Changed detection type', changes: diff.changedTypes },
    { title: 'New lab errors', changes: diff.newErrors },
    { title: 'Added', changes: diff.added },
    { title: 'Removed', changes: diff.removed },
  ];
  return groups.filter((g) => g.changes.length > 0);
}

/** `PASS → FAIL (fired as X)`-style description of one change, for every report. */
export function describeChange(c: HistoryChange): string {
  const side = (s: HistorySide | undefined): string =>
    s ? `${s.detection.verdict}${s.detection.observed.length ? ` [${s.detection.observed.join(', ')}]` : ''}` : 'absent';
  return `${side(c.before)} → ${side(c.after)}`;
}

export function historyHeadline(diff: HistoryDiff): string {
  const parts = [
    `${diff.newMisses.length} new miss${diff.newMisses.length === 1 ? '' : 'es'}`,
    `${diff.newPasses.length} new pass${diff.newPasses.length === 1 ? '' : 'es'}`,
    `${diff.changedTypes.length} changed detection type${diff.changedTypes.length === 1 ? '' : 's'}`,
  ];
  if (diff.newErrors.length) parts.push(`${diff.newErrors.length} new lab error${diff.newErrors.length === 1 ? '' : 's'}`);
  if (diff.added.length) parts.push(`${diff.added.length} added`);
  if (diff.removed.length) parts.push(`${diff.removed.length} removed`);
  return `since baseline run ${diff.baseline.id} (${diff.baseline.finished}): ${parts.join(', ')}`;
}
