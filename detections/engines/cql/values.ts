// Events and values as LogScale sees them: every field value is a string (cql.md §1.2 "Values
// have no runtime types: strings interpreted by context"); a missing field is `undefined`.
import type { ResultRow, ViewEvent } from '../types.ts';

/** An event inside the pipeline: field name → string value. */
export type Ev = Record<string, string>;

/** the fields of the event as it entered the pipeline (free text sees only those, [FILTERS]) */
export const ORIGIN: unique symbol = Symbol('cql.origin');
type WithOrigin = Ev & { [ORIGIN]?: Ev };

/**
 * Turn a view event into a pipeline event. Strings stay as they are; numbers and booleans become
 * their text; null is a missing field; arrays and objects are flattened the way LogScale's
 * parseJson() names them (`a[0]`, `a.b`), since LogScale has no multivalue fields.
 */
export function toEvent(input: ViewEvent): Ev {
  let plain = true;
  for (const k in input) {
    if (typeof input[k] !== 'string') {
      plain = false;
      break;
    }
  }
  if (plain) return input as Ev;
  const out: Ev = {};
  for (const [k, v] of Object.entries(input)) flatten(out, k, v);
  return out;
}

function flatten(out: Ev, key: string, v: unknown): void {
  if (v === null || v === undefined) return;
  if (typeof v === 'string') out[key] = v;
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') out[key] = String(v);
  else if (Array.isArray(v)) v.forEach((item, i) => flatten(out, `${key}[${i}]`, item));
  else if (typeof v === 'object') for (const [k, item] of Object.entries(v)) flatten(out, `${key}.${k}`, item);
}

/**
 * A copy that may be changed; remembers the original fields for free-text search. The origin is a
 * symbol-keyed property: object spread carries it along, `for…in` and toRow() never see it.
 */
export function mutable(ev: Ev): Ev {
  const copy: WithOrigin = { ...ev };
  if (copy[ORIGIN] === undefined) copy[ORIGIN] = ev;
  return copy;
}

export function originOf(ev: Ev): Ev {
  return (ev as WithOrigin)[ORIGIN] ?? ev;
}

export function isTagField(name: string): boolean {
  return name.startsWith('#');
}

/** the row as the product exports it: string values, in field order */
export function toRow(ev: Ev): ResultRow {
  const row: ResultRow = {};
  for (const k in ev) row[k] = ev[k]!;
  return row;
}

// ---------------------------------------------------------------------------------------------
// numbers

/** LogScale reads a value as a number when the whole text is one (cql.md §1.2 [OPS]) */
export function toNumber(v: string | undefined | null): number | null {
  if (v === undefined || v === null) return null;
  const t = v.trim();
  if (t === '' || !/^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  return Number(t);
}

/** numbers in their textual form: integers without a fraction, others as JS prints them */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return Number.isSafeInteger(n) ? String(n) : n.toFixed(0);
  return String(n);
}

// ---------------------------------------------------------------------------------------------
// glob patterns of `field=value` (cql.md §1.2): whole value, case-sensitive, `*` any text

export type Matcher = (value: string) => boolean;

export function globMatcher(pattern: string, ignoreCase = false): Matcher {
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const norm = ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  if (!p.includes('*')) {
    // numbers compare as numbers when both sides are numeric ([OPS]: "LogScale first tries to
    // convert the field value to a number"); "1" vs "1.0" is UNSURE in cql.md — chosen: equal.
    const n = toNumber(p);
    if (n !== null) return (v) => v === p || toNumber(v) === n;
    return (v) => norm(v) === p;
  }
  if (p === '*') return () => true;
  const parts = p.split('*');
  if (parts.length === 3 && parts[0] === '' && parts[2] === '') {
    const mid = parts[1]!;
    return (v) => norm(v).includes(mid);
  }
  if (parts.length === 2 && parts[1] === '') {
    const pre = parts[0]!;
    return (v) => norm(v).startsWith(pre);
  }
  if (parts.length === 2 && parts[0] === '') {
    const suf = parts[1]!;
    return (v) => norm(v).endsWith(suf);
  }
  // general case: literal pieces in order, anchored at both ends (linear, no backtracking)
  return (v) => {
    const s = norm(v);
    const first = parts[0]!;
    const last = parts[parts.length - 1]!;
    if (!s.startsWith(first) || s.length < first.length + last.length || !s.endsWith(last)) return false;
    let at = first.length;
    const limit = s.length - last.length;
    for (let i = 1; i < parts.length - 1; i++) {
      const idx = s.indexOf(parts[i]!, at);
      if (idx < 0 || idx + parts[i]!.length > limit) return false;
      at = idx + parts[i]!.length;
    }
    return true;
  };
}
