// Indicator corpus counts for `explain`: how many other rules under detections/ look for the same
// (field, operator, values) combination. Field names compare case-insensitively (Splunk and Sigma
// field matching is per product, but a person reading the table means the same field).
import path from 'node:path';
import { logger } from '../harness/core/logger.ts';
import type { Indicator } from './engines/types.ts';
import { analyzeRuleFile, labRuleFiles } from './rules.ts';

export function indicatorKey(i: Indicator): string {
  return [i.field.toLowerCase(), i.operator.toLowerCase(), ...[...i.values].map((v) => v.toLowerCase()).sort()].join('\u0000');
}

/** key → number of lab rules (other than `exclude`) having that indicator. */
export async function indicatorCorpus(exclude: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const me = path.resolve(exclude);
  for (const file of labRuleFiles()) {
    if (path.resolve(file) === me) continue;
    try {
      // rules the product rejects still count: their indicators are what their authors look for
      const { explanation } = await analyzeRuleFile(file);
      const keys = new Set(explanation.indicators.map(indicatorKey));
      for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    } catch (e) {
      logger.debug(`indicator corpus: skipping ${file}: ${(e as Error).message}`);
    }
  }
  return counts;
}
