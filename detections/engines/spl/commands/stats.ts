// stats and eventstats ([STATS], [MVAGG], [ESTATS], spl.md §6): one row per BY combination (one row
// without BY, even over no results); `values(*) as *` aggregates every field into a same-named
// multivalue; values() is distinct and lexicographic, list() keeps input order (max 100),
// first/last follow input order (first = newest), earliest/latest follow `_time`.
// CHOICES (UNSURE as documented facts): results missing a BY field are dropped; output rows are
// ordered by their BY values (auto collation, ascending); wildcard-expanded columns are in name
// order; a bare `*` does not select `_`-prefixed internal fields (glob.ts).
import { globCaptures, globFill, hasWildcard, selectFields } from '../glob.ts';
import { Row } from '../row.ts';
import { SPL_ERRORS } from '../source.ts';
import { type Scalar, type Value, asNumber, fromValues, scalarText, valuesOf } from '../values.ts';
import { orderScalars } from '../functions/math-time.ts';
import type { CommandText } from '../pipeline.ts';
import { Args, isWord } from './args.ts';
import type { CommandCompiler, CommandContext, CompiledCommand, FieldToken } from './types.ts';

type Aggregator = (rows: readonly Row[], field: string | undefined) => Value;

function all(rows: readonly Row[], field: string): Scalar[] {
  const out: Scalar[] = [];
  for (const r of rows) for (const v of valuesOf(r.get(field))) out.push(v);
  return out;
}

function numbers(rows: readonly Row[], field: string): number[] {
  const out: number[] = [];
  for (const v of all(rows, field)) {
    const n = asNumber(v);
    if (n !== undefined) out.push(n);
  }
  return out;
}

function extreme(sign: 1 | -1): Aggregator {
  return (rows, f) => {
    const nums = numbers(rows, f!);
    if (nums.length > 0) return sign > 0 ? Math.min(...nums) : Math.max(...nums);
    const vals = all(rows, f!);
    if (vals.length === 0) return null;
    return vals.reduce((best, v) => (sign * orderScalars(v, best) < 0 ? v : best));
  };
}

function byTime(pick: 'earliest' | 'latest'): Aggregator {
  return (rows, f) => {
    let best: { t: number; v: Value } | undefined;
    for (const r of rows) {
      const v = r.get(f!);
      const t = r.get('_time');
      if (v === null || typeof t !== 'number') continue;
      if (!best || (pick === 'earliest' ? t < best.t : t > best.t)) best = { t, v };
    }
    return best ? best.v : null;
  };
}

const AGGREGATORS: Record<string, { needsField: boolean; fn: Aggregator }> = {
  count: { needsField: false, fn: (rows, f) => (f === undefined ? rows.length : all(rows, f).length) },
  dc: { needsField: true, fn: (rows, f) => new Set(all(rows, f!).map(scalarText)).size },
  values: { needsField: true, fn: (rows, f) => fromValues([...new Set(all(rows, f!).map(scalarText))].sort()) },
  list: { needsField: true, fn: (rows, f) => fromValues(all(rows, f!).slice(0, 100)) },
  min: { needsField: true, fn: extreme(1) },
  max: { needsField: true, fn: extreme(-1) },
  sum: {
    needsField: true,
    fn: (rows, f) => {
      const nums = numbers(rows, f!);
      return nums.length === 0 ? null : nums.reduce((a, b) => a + b, 0);
    },
  },
  avg: {
    needsField: true,
    fn: (rows, f) => {
      const nums = numbers(rows, f!);
      return nums.length === 0 ? null : nums.reduce((a, b) => a + b, 0) / nums.length;
    },
  },
  range: {
    needsField: true,
    fn: (rows, f) => {
      const nums = numbers(rows, f!);
      return nums.length === 0 ? null : Math.max(...nums) - Math.min(...nums);
    },
  },
  earliest: { needsField: true, fn: byTime('earliest') },
  latest: { needsField: true, fn: byTime('latest') },
  first: {
    needsField: true,
    fn: (rows, f) => {
      for (const r of rows) if (r.has(f!)) return r.get(f!);
      return null;
    },
  },
  last: {
    needsField: true,
    fn: (rows, f) => {
      for (let i = rows.length - 1; i >= 0; i--) if (rows[i]!.has(f!)) return rows[i]!.get(f!);
      return null;
    },
  },
};
const ALIASES: Record<string, string> = { c: 'count', distinct_count: 'dc', mean: 'avg' };

interface Aggregation {
  fn: string;
  field: string | undefined;
  as: string;
  offset: number;
}

function parseStats(cmd: CommandText, ctx: CommandContext): { aggs: Aggregation[]; by: FieldToken[] } {
  const a = new Args(ctx.src, cmd);
  a.options(['allnum', 'delim', 'partitions', 'dedup_splitvals']);
  const aggs: Aggregation[] = [];
  while (!a.done() && !isWord(a.peek(), 'by')) {
    const t = a.next()!;
    if (t.t === ',') continue;
    if (t.t !== 'word') throw a.error(`Unexpected '${t.v}'.`, t);
    const written = t.v.toLowerCase();
    const fn = ALIASES[written] ?? written;
    const spec = AGGREGATORS[fn];
    if (!spec) {
      throw ctx.src.error(SPL_ERRORS.unknownFunction, `Error in '${cmd.name}' command: The aggregation function '${t.v}' is unknown or not supported by the lab engine.`, t.offset);
    }
    let field: string | undefined;
    if (a.peek()?.t === '(') {
      a.next();
      const f = a.next();
      if (f && f.t === 'word' && /^eval$/i.test(f.v) && a.peek()?.t === '(') {
        throw ctx.src.error(SPL_ERRORS.unsupported, `Error in '${cmd.name}' command: ${t.v}(eval(...)) is not supported by the lab engine.`, f.offset);
      }
      if (!f || (f.t !== 'word' && f.t !== 'str') || a.next()?.t !== ')') throw a.error(`Syntax: ${t.v}(<field>).`, t);
      field = f.v;
    }
    if (spec.needsField && field === undefined) throw a.error(`The '${t.v}' function needs a field: ${t.v}(<field>).`, t);
    let as = field === undefined ? written : `${written}(${field})`;
    if (isWord(a.peek(), 'as')) {
      a.next();
      const n = a.next();
      if (!n || (n.t !== 'word' && n.t !== 'str')) throw a.error('Missing a name after AS.', t);
      as = n.v;
    }
    if (field !== undefined && hasWildcard(field) && hasWildcard(as) && (field.match(/\*/g) ?? []).length !== (as.match(/\*/g) ?? []).length) {
      throw a.error('Wildcard mismatch between the field and its AS name.', t);
    }
    aggs.push({ fn, field, as, offset: t.offset });
  }
  let by: FieldToken[] = [];
  if (isWord(a.peek(), 'by')) {
    const b = a.next()!;
    by = a.fieldList().map((f) => ({ name: f.name, offset: f.tok.offset }));
    if (by.length === 0) throw a.error('Missing fields after BY.', b);
  }
  if (aggs.length === 0) throw a.error('You must specify at least one aggregation, for example count.', undefined);
  return { aggs, by };
}

/** The output columns of one aggregation over the fields present (wildcards expanded). */
function expand(agg: Aggregation, present: string[], byNames: string[]): { field: string | undefined; as: string }[] {
  if (agg.field === undefined || !hasWildcard(agg.field)) return [{ field: agg.field, as: agg.as }];
  const names = selectFields([agg.field], present).filter((n) => !byNames.includes(n)).sort();
  return names.map((n) => {
    const caps = globCaptures(agg.field!, n) ?? [];
    const as = hasWildcard(agg.as) ? globFill(agg.as, caps) : agg.as === `${agg.fn}(${agg.field})` ? `${agg.fn}(${n})` : agg.as;
    return { field: n, as };
  });
}

function groupRows(rows: Row[], byNames: string[]): Map<string, { key: Value[]; rows: Row[] }> {
  const groups = new Map<string, { key: Value[]; rows: Row[] }>();
  for (const r of rows) {
    const key = byNames.map((n) => r.get(n));
    if (key.some((k) => k === null)) continue;
    const id = JSON.stringify(key.map((k) => valuesOf(k).map(scalarText)));
    let g = groups.get(id);
    if (!g) groups.set(id, (g = { key, rows: [] }));
    g.rows.push(r);
  }
  return groups;
}

function presentFields(rows: Row[]): string[] {
  const s = new Set<string>();
  for (const r of rows) for (const n of r.names()) s.add(n);
  return [...s];
}

function compareKeys(a: Value[], b: Value[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = valuesOf(a[i]!)[0]!;
    const y = valuesOf(b[i]!)[0]!;
    const c = orderScalars(x, y);
    if (c !== 0) return c;
  }
  return 0;
}

function aggregate(aggs: Aggregation[], present: string[], byNames: string[], rows: Row[], into: Row): void {
  for (const agg of aggs) {
    for (const col of expand(agg, present, byNames)) into.set(col.as, AGGREGATORS[agg.fn]!.fn(rows, col.field));
  }
}

/** The parts stats and eventstats share: the parsed aggregations and BY list. */
function statsBase(cmd: CommandText, ctx: CommandContext) {
  const { aggs, by } = parseStats(cmd, ctx);
  const base = { name: cmd.name, text: cmd, ast: { k: 'stats' as const, aggregations: aggs, by } };
  return { aggs, byNames: by.map((b) => b.name), base };
}

export const statsCommand: CommandCompiler = (cmd, ctx): CompiledCommand => {
  const { aggs, byNames, base } = statsBase(cmd, ctx);
  return {
    ...base,
    run: (rows) => {
      const present = presentFields(rows);
      if (byNames.length === 0) {
        const out = new Row();
        aggregate(aggs, present, byNames, rows, out);
        return [out];
      }
      const groups = [...groupRows(rows, byNames).values()].sort((x, y) => compareKeys(x.key, y.key));
      return groups.map((g) => {
        const out = new Row();
        byNames.forEach((n, i) => out.set(n, g.key[i]!));
        aggregate(aggs, present, byNames, g.rows, out);
        return out;
      });
    },
  };
};

export const eventstatsCommand: CommandCompiler = (cmd, ctx): CompiledCommand => {
  const { aggs, byNames, base } = statsBase(cmd, ctx);
  return {
    ...base,
    run: (rows) => {
      const present = presentFields(rows);
      const results = new Map<Row, Row>();
      const groups = byNames.length === 0 ? [{ key: [], rows }] : [...groupRows(rows, byNames).values()];
      for (const g of groups) {
        const agg = new Row();
        aggregate(aggs, present, byNames, g.rows, agg);
        for (const r of g.rows) results.set(r, agg);
      }
      for (const r of rows) {
        const agg = results.get(r);
        if (agg) for (const [n, v] of agg.entries()) r.set(n, v);
      }
      return rows;
    },
  };
};
