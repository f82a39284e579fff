// results.json itself (CONTRACTS.md), as given, and with a baseline the history diff as data
// (history.json) for tools that want it without parsing a report.
import type { ResultsFile } from '../verdicts/results.ts';
import { historyOf, type HistoryChange, type HistoryDiff, type HistorySide } from './history.ts';
import { testId } from './status.ts';
import type { ReportFile, Writer } from './types.ts';

function side(s: HistorySide | undefined): Record<string, unknown> | null {
  if (!s) return null;
  const { verdict, expected, observed, why } = s.detection;
  return { verdict, status: s.status, expected, observed, ...(why ? { why } : {}), target: s.result.target, provenance: s.result.provenance };
}

function change(c: HistoryChange): Record<string, unknown> {
  const any = (c.after ?? c.before)!;
  return {
    test: testId(any.result.test),
    guid: any.result.test.guid,
    rule: any.detection.rule,
    ...(any.detection.profile ? { profile: any.detection.profile } : {}),
    before: side(c.before),
    after: side(c.after),
  };
}

export function historyJson(diff: HistoryDiff): Record<string, unknown> {
  return {
    baseline: diff.baseline,
    regression: diff.newMisses.length > 0,
    newMisses: diff.newMisses.map(change),
    newPasses: diff.newPasses.map(change),
    changedTypes: diff.changedTypes.map(change),
    newErrors: diff.newErrors.map(change),
    added: diff.added.map(change),
    removed: diff.removed.map(change),
  };
}

export const jsonWriter: Writer = (results, options) => {
  const files: ReportFile[] = [{ path: 'results.json', content: JSON.stringify(results, null, 2) + '\n' }];
  const diff = historyOf(results, options.baseline);
  if (diff) files.push({ path: 'history.json', content: JSON.stringify(historyJson(diff), null, 2) + '\n' });
  return files;
};
