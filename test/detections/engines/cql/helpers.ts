// Shared helpers for the CQL engine tests.
import { cqlEngine, CqlRuleError } from '../../../../detections/engines/cql/index.ts';
import type { ResultRow, ViewEvent } from '../../../../detections/engines/types.ts';

export async function run(query: string, events: ViewEvent[], settings?: Record<string, string>): Promise<ResultRow[]> {
  const rule = cqlEngine.compile(query, { file: 'test.cql', ...(settings ? { settings } : {}) });
  const rows: ResultRow[] = [];
  for await (const r of rule.evaluate(events)) rows.push(r);
  return rows;
}

/** the compile errors of a query LogScale rejects (fails the test when it compiles) */
export function errorsOf(query: string): CqlRuleError['diagnostics'] {
  try {
    cqlEngine.compile(query, { file: 'test.cql' });
  } catch (e) {
    if (e instanceof CqlRuleError) return e.diagnostics;
    throw e;
  }
  throw new Error(`expected a compile error for: ${query}`);
}

export function kept(rows: ResultRow[]): boolean {
  return rows.length > 0;
}
