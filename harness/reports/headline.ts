// The one-line verdict of a run that every human-facing report leads with.
import type { ResultsFile } from '../verdicts/results.ts';
import { hasRegression, type HistoryDiff } from './history.ts';
import { tally } from './status.ts';

export interface Headline {
  /** ok: every expectation met; warn: only lab errors; bad: a coverage gap or a regression */
  level: 'ok' | 'warn' | 'bad';
  text: string;
}

export function runHeadline(results: ResultsFile, diff: HistoryDiff | undefined): Headline {
  const t = tally(results.results);
  const unmet = t.total - t.met;
  const gaps = unmet - (t.byStatus['lab-error'] ?? 0);
  if (unmet === 0 && !hasRegression(diff)) return { level: 'ok', text: `all ${t.total} expectations met` };
  const text = unmet === 0 ? `all ${t.total} expectations met, but a regression since the baseline` : `${unmet} of ${t.total} expectations not met`;
  return { level: gaps > 0 || hasRegression(diff) ? 'bad' : 'warn', text };
}
