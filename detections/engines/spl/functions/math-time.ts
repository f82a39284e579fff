// Mathematical ([EVAL] math functions) and date/time functions ([INFO]: now() is the search start
// time; strftime/strptime/relative_time, spl.md §2).
import { text } from '../expr/semantics.ts';
import { relativeTime, strftime, strptime } from '../time.ts';
import { type EvalValue, type Scalar, asNumber, scalarText } from '../values.ts';
import type { FnSpec } from './types.ts';

function num(v: EvalValue | undefined): number | undefined {
  if (v === undefined || v === null || typeof v === 'boolean' || Array.isArray(v)) return undefined;
  return asNumber(v);
}

const unary = (f: (x: number) => number): FnSpec => ({
  min: 1, max: 1, returns: 'num',
  eager: ([v]) => {
    const x = num(v);
    if (x === undefined) return null;
    const r = f(x);
    return Number.isFinite(r) ? r : null;
  },
});

/** min/max over numbers and strings: numbers compare numerically and sort before strings. */
const extreme = (sign: 1 | -1): FnSpec => ({
  min: 1, max: Infinity, returns: 'any',
  eager: (args) => {
    let best: Scalar | undefined;
    for (const a of args) {
      if (a === null || typeof a === 'boolean') continue;
      for (const x of Array.isArray(a) ? a : [a]) {
        if (best === undefined || sign * orderScalars(x, best) < 0) best = x;
      }
    }
    return best ?? null;
  },
});

/** Order of two values: numbers numerically and before strings, strings by code point. */
export function orderScalars(a: Scalar, b: Scalar): number {
  const na = asNumber(a);
  const nb = asNumber(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  if (na !== undefined) return -1;
  if (nb !== undefined) return 1;
  const sa = scalarText(a);
  const sb = scalarText(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export const mathTimeFunctions: Record<string, FnSpec> = {
  abs: unary(Math.abs),
  ceil: unary(Math.ceil),
  ceiling: unary(Math.ceil),
  floor: unary(Math.floor),
  sqrt: unary(Math.sqrt),
  exp: unary(Math.exp),
  ln: unary(Math.log),
  // round(X[, Y]): Y decimal places, half away from zero
  round: {
    min: 1, max: 2, returns: 'num',
    eager: ([v, d]) => {
      const x = num(v);
      const digits = d === undefined ? 0 : num(d);
      if (x === undefined || digits === undefined) return null;
      const f = 10 ** Math.trunc(digits);
      return (Math.sign(x) * Math.round(Math.abs(x) * f + 1e-9)) / f;
    },
  },
  pow: {
    min: 2, max: 2, returns: 'num',
    eager: ([a, b]) => {
      const x = num(a);
      const y = num(b);
      return x === undefined || y === undefined ? null : x ** y;
    },
  },
  log: {
    min: 1, max: 2, returns: 'num',
    eager: ([a, b]) => {
      const x = num(a);
      const base = b === undefined ? 10 : num(b);
      if (x === undefined || base === undefined || x <= 0) return null;
      return Math.log(x) / Math.log(base);
    },
  },
  pi: { min: 0, max: 0, returns: 'num', eager: () => Math.PI },
  min: extreme(1),
  max: extreme(-1),
  now: { min: 0, max: 0, returns: 'num', eager: (_, call) => call.runtime.now },
  time: { min: 0, max: 0, returns: 'num', eager: () => Date.now() / 1000 },
  strftime: {
    min: 2, max: 2, returns: 'str',
    eager: ([t, f]) => {
      const x = num(t);
      const format = text(f!);
      return x === undefined || format === undefined ? null : strftime(x, format);
    },
  },
  strptime: {
    min: 2, max: 2, returns: 'num',
    eager: ([s, f]) => {
      const str = text(s!);
      const format = text(f!);
      if (str === undefined || format === undefined) return null;
      return strptime(str, format) ?? null;
    },
  },
  relative_time: {
    min: 2, max: 2, returns: 'num',
    eager: ([t, m]) => {
      const x = num(t);
      const modifier = text(m!);
      if (x === undefined || modifier === undefined) return null;
      return relativeTime(x, modifier) ?? null;
    },
  },
};
