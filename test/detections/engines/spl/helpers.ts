// Helpers for the SPL engine tests: compile a query (with optional macros), run it over flat
// events written in the test, and catch RuleErrors.
import { RuleError } from '../../../../harness/core/errors.ts';
import { loadMacros, splEngine } from '../../../../detections/engines/spl/index.ts';
import type { CompiledRule, ResultRow, ViewEvent } from '../../../../detections/engines/types.ts';

export const NOW = 1_700_000_000;

export function compile(query: string, options: { macros?: string; settings?: Record<string, string> } = {}): CompiledRule {
  return splEngine.compile(query, {
    file: 'rule.spl',
    ...(options.macros !== undefined ? { macros: loadMacros(options.macros, 'macros.conf') } : {}),
    settings: { now: String(NOW), ...options.settings },
  });
}

export async function run(query: string, events: ViewEvent[], options: { macros?: string; settings?: Record<string, string> } = {}): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for await (const r of compile(query, options).evaluate(events)) rows.push(r);
  return rows;
}

/** Runs `| makeresults | eval ...` style checks on one event: the first row. */
export async function evalOn(event: ViewEvent, evalText: string, settings?: Record<string, string>): Promise<ResultRow> {
  const rows = await run(`* | eval ${evalText}`, [event], settings ? { settings } : {});
  return rows[0]!;
}

export async function whereKeeps(event: ViewEvent, whereText: string): Promise<boolean> {
  return (await run(`* | where ${whereText}`, [event])).length === 1;
}

/** The RuleError a query raises (fails the test if it compiles). */
export function ruleError(query: string, options: { macros?: string; settings?: Record<string, string> } = {}): RuleError {
  try {
    compile(query, options);
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error(`expected a RuleError for: ${query}`);
}

/** Events with only `_raw`, for search-command tests. */
export function raws(...texts: string[]): ViewEvent[] {
  return texts.map((t) => ({ _raw: t }));
}

export function rawsOf(rows: ResultRow[]): unknown[] {
  return rows.map((r) => r._raw);
}
