// False positives per rule over the benign scenarios (results with test.kind 'benign', where every
// rule is expected not to fire).
import type { ResultsFile } from '../verdicts/results.ts';
import { isBenign, ruleKey, ruleLabel, statusOf } from './status.ts';

export interface FalsePositiveRow {
  key: string;
  label: string;
  rule: string;
  /** benign scenarios the rule was evaluated on */
  scenarios: number;
  /** of those, how many it fired on */
  fired: number;
  /** result rows on the scenarios it fired on */
  rows: number;
}

/** Every rule evaluated on a benign scenario, the noisiest first. */
export function falsePositivesByRule(results: ResultsFile): FalsePositiveRow[] {
  const rows = new Map<string, FalsePositiveRow>();
  for (const r of results.results) {
    if (!isBenign(r.test)) continue;
    for (const d of r.detections) {
      const key = ruleKey(d);
      const row = rows.get(key) ?? { key, label: ruleLabel(d), rule: d.rule, scenarios: 0, fired: 0, rows: 0 };
      row.scenarios += 1;
      if (statusOf(r, d) === 'false-positive') {
        row.fired += 1;
        row.rows += d.rows ?? 0;
      }
      rows.set(key, row);
    }
  }
  return [...rows.values()].sort((a, b) => b.fired - a.fired || b.rows - a.rows || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}
