// Order-dependent commands: sort, head, tail, dedup ([SORT], [HEAD], [DEDUP], spl.md §6).
import { ipv4Number } from '../functions/conditional.ts';
import type { Row } from '../row.ts';
import { SPL_ERRORS } from '../source.ts';
import { type Scalar, asNumber, scalarText, valuesOf } from '../values.ts';
import { Args, isWord, parseBool, parseCount } from './args.ts';
import type { CommandCompiler, FieldToken } from './types.ts';

/** sort's default limit: "Default limit 10000; sort 0 = all" ([SORT]). */
export const SORT_DEFAULT_LIMIT = 10_000;

type Collation = 'auto' | 'str' | 'num' | 'ip';

interface SortKey {
  field: string;
  descending: boolean;
  collation: Collation;
  offset: number;
}

function first(row: Row, field: string): Scalar | undefined {
  const v = valuesOf(row.get(field));
  return v.length === 0 ? undefined : v[0];
}

/**
 * Order of two present values. auto: numbers numerically and before strings, IPv4 addresses in
 * address order, strings by code point ("Numbers are sorted before letters. Uppercase letters are
 * sorted before lowercase letters", [SORT] lexicographical order).
 */
function collate(a: Scalar, b: Scalar, c: Collation): number {
  if (c === 'num') {
    const x = asNumber(a);
    const y = asNumber(b);
    if (x !== undefined && y !== undefined) return x - y;
    if (x !== undefined) return -1;
    if (y !== undefined) return 1;
  }
  if (c === 'ip' || c === 'auto') {
    const x = typeof a === 'string' ? ipv4Number(a) : undefined;
    const y = typeof b === 'string' ? ipv4Number(b) : undefined;
    if (x !== undefined && y !== undefined) return x - y;
  }
  if (c === 'auto') {
    const x = asNumber(a);
    const y = asNumber(b);
    if (x !== undefined && y !== undefined) return x - y;
    if (x !== undefined) return -1;
    if (y !== undefined) return 1;
  }
  const s = scalarText(a);
  const t = scalarText(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

/** "Results missing a given field are treated as having the smallest or largest possible value ... if the order is descending or ascending" — last either way. */
export function rowComparator(keys: readonly SortKey[]): (a: Row, b: Row) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = first(a, k.field);
      const y = first(b, k.field);
      if (x === undefined && y === undefined) continue;
      if (x === undefined) return 1;
      if (y === undefined) return -1;
      const c = collate(x, y, k.collation);
      if (c !== 0) return k.descending ? -c : c;
    }
    return 0;
  };
}

/**
 * Sort keys: `[+|-]field`, `auto(f)`, `str(f)`, `num(f)`, `ip(f)`, comma- or space-separated. A
 * sign followed by white space applies to the following fields (searchbnf); a sign attached to a
 * field applies to that field.
 */
function parseKeys(a: Args, stop: (t: Args['tokens'][number]) => boolean): SortKey[] {
  const keys: SortKey[] = [];
  let sign: boolean | undefined;
  while (!a.done()) {
    const t = a.peek()!;
    if (t.t === ',') {
      a.next();
      continue;
    }
    if (stop(t)) break;
    if (t.t === 'word' && (t.v === '-' || t.v === '+')) {
      sign = t.v === '-';
      a.next();
      continue;
    }
    if (t.t !== 'word' && t.t !== 'str') throw a.error(`Unexpected '${t.v}'.`, t);
    a.next();
    let name = t.v;
    let descending = sign ?? false;
    if (t.t === 'word' && (name.startsWith('-') || name.startsWith('+'))) {
      descending = name.startsWith('-');
      name = name.slice(1);
    }
    let collation: Collation = 'auto';
    if (/^(auto|str|num|ip)$/i.test(name) && a.peek()?.t === '(') {
      a.next();
      const f = a.next();
      if (!f || (f.t !== 'word' && f.t !== 'str') || a.next()?.t !== ')') throw a.error(`Syntax: ${name}(<field>).`, t);
      collation = name.toLowerCase() as Collation;
      name = f.v;
    }
    if (name === '') throw a.error('Missing a field name after the sign.', t);
    keys.push({ field: name, descending, collation, offset: t.offset });
  }
  return keys;
}

export const sortCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  let count: number | undefined;
  const lead = a.peek();
  if (lead?.t === 'word' && /^\d+$/.test(lead.v)) {
    count = Number(lead.v);
    a.next();
  }
  const limit = a.option(['limit']);
  if (limit) {
    const n = parseCount(limit.value);
    if (n === undefined) throw a.error(`Invalid limit '${limit.value}'.`, limit.tok);
    count = n;
  }
  const keys = parseKeys(a, (t) => isWord(t, 'd', 'desc'));
  let reverse = false;
  if (isWord(a.peek(), 'd', 'desc')) {
    reverse = true;
    a.next();
  }
  a.expectEnd();
  if (keys.length === 0) throw a.error('You must specify at least one field to sort by.', undefined);
  if (reverse) for (const k of keys) k.descending = !k.descending;
  const cmp = rowComparator(keys);
  const max = count === undefined ? SORT_DEFAULT_LIMIT : count;
  return {
    name: 'sort',
    text: cmd,
    ast: { k: 'sort', count, keys: keys.map((k) => ({ field: k.field, descending: k.descending, offset: k.offset })) },
    run: (rows) => {
      const sorted = [...rows].sort(cmp);
      return max > 0 ? sorted.slice(0, max) : sorted;
    },
  };
};

function leadingCount(a: Args, name: string, fallback: number): number {
  const lim = a.option(['limit']);
  if (lim) {
    const n = parseCount(lim.value);
    if (n === undefined) throw a.error(`Invalid limit '${lim.value}'.`, lim.tok);
    return n;
  }
  const t = a.peek();
  if (t?.t === '(') throw a.src.error(SPL_ERRORS.unsupported, `${name} with an eval expression is not supported by the lab engine.`, t.offset);
  if (t?.t === 'word' && /^\d+$/.test(t.v)) {
    a.next();
    return Number(t.v);
  }
  return fallback;
}

/** head [N]: the first N results in search order; default 10 ([HEAD]). */
export const headCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  const n = leadingCount(a, 'head', 10);
  a.expectEnd();
  return { name: 'head', text: cmd, ast: { k: 'other' }, run: (rows) => rows.slice(0, n) };
};

/** tail [N]: the last N results, "in reverse order, starting at the end of the result set"; default 10. */
export const tailCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  const n = leadingCount(a, 'tail', 10);
  a.expectEnd();
  return { name: 'tail', text: cmd, ast: { k: 'other' }, run: (rows) => rows.slice(Math.max(0, rows.length - n)).reverse() };
};

/**
 * dedup [N] fields [keepempty=bool] [consecutive=bool] [keepevents=bool] [sortby keys]: the first N
 * results per combination in search order; results missing a field are dropped unless
 * keepempty=true ([DEDUP] default keepempty=false).
 */
export const dedupCommand: CommandCompiler = (cmd, ctx) => {
  const a = new Args(ctx.src, cmd);
  let keep = 1;
  const lead = a.peek();
  if (lead?.t === 'word' && /^\d+$/.test(lead.v)) {
    keep = Number(lead.v);
    a.next();
  }
  const flags = new Map<string, boolean>();
  const fields: FieldToken[] = [];
  let sortKeys: SortKey[] = [];
  while (!a.done()) {
    const opt = a.option(['keepempty', 'consecutive', 'keepevents']);
    if (opt) {
      const b = parseBool(opt.value);
      if (b === undefined) throw a.error(`Invalid value '${opt.value}' for ${opt.key}.`, opt.tok);
      flags.set(opt.key, b);
      continue;
    }
    if (isWord(a.peek(), 'sortby')) {
      a.next();
      sortKeys = parseKeys(a, () => false);
      break;
    }
    const f = a.fieldList((t) => isWord(t, 'sortby') || (t.t === 'word' && a.peek(1)?.t === '='));
    if (f.length === 0) throw a.error(`Unexpected '${a.peek()?.v}'.`);
    fields.push(...f.map((x) => ({ name: x.name, offset: x.tok.offset })));
  }
  if (fields.length === 0) throw a.error('You must specify at least one field.', undefined);
  const names = fields.map((f) => f.name);
  const keepEmpty = flags.get('keepempty') ?? false;
  const consecutive = flags.get('consecutive') ?? false;
  const keepEvents = flags.get('keepevents') ?? false;
  return {
    name: 'dedup',
    text: cmd,
    ast: { k: 'dedup', fields },
    run: (rows) => {
      const seen = new Map<string, number>();
      const out: Row[] = [];
      let previous: string | undefined;
      for (const r of rows) {
        const parts = names.map((n) => r.get(n));
        if (parts.some((p) => p === null)) {
          if (keepEmpty) out.push(r);
          continue;
        }
        const key = JSON.stringify(parts.map((p) => valuesOf(p).map(scalarText)));
        if (consecutive) {
          if (key !== previous) out.push(r);
          else if (keepEvents) out.push(stripped(r, names));
          previous = key;
          continue;
        }
        const n = seen.get(key) ?? 0;
        if (n < keep) out.push(r);
        else if (keepEvents) out.push(stripped(r, names));
        seen.set(key, n + 1);
      }
      return sortKeys.length > 0 ? out.sort(rowComparator(sortKeys)) : out;
    },
  };
};

function stripped(r: Row, names: string[]): Row {
  const c = r.clone();
  for (const n of names) c.delete(n);
  return c;
}
