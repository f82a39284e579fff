// Multivalue eval functions ([MVF]).
import { text } from '../expr/semantics.ts';
import { type EvalValue, type Scalar, asNumber, fromValues, scalarText, valuesOf } from '../values.ts';
import type { FnSpec } from './types.ts';

function list(v: EvalValue | undefined): Scalar[] | undefined {
  if (v === undefined || v === null || typeof v === 'boolean') return undefined;
  return valuesOf(v);
}

function int(v: EvalValue | undefined): number | undefined {
  if (v === undefined || v === null || typeof v === 'boolean' || Array.isArray(v)) return undefined;
  const n = asNumber(v);
  return n === undefined ? undefined : Math.trunc(n);
}

export const multivalueFunctions: Record<string, FnSpec> = {
  mvappend: {
    min: 1, max: Infinity, returns: 'any',
    eager: (args) => fromValues(args.flatMap((a) => list(a) ?? [])),
  },
  // "If the field has no values, this function returns NULL"
  mvcount: {
    min: 1, max: 1, returns: 'num',
    eager: ([v]) => {
      const l = list(v);
      return l === undefined ? null : l.length;
    },
  },
  mvdedup: {
    min: 1, max: 1, returns: 'any',
    eager: ([v]) => {
      const l = list(v);
      if (l === undefined) return null;
      const seen = new Set<string>();
      return fromValues(l.filter((x) => {
        const k = scalarText(x);
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      }));
    },
  },
  // 0-based index of the first value matching the regex, else NULL
  mvfind: {
    min: 2, max: 2, returns: 'num', regexArgs: [1],
    eager: ([v, p], call) => {
      const l = list(v);
      const pattern = text(p!);
      if (l === undefined || pattern === undefined) return null;
      const re = call.regex(1, pattern);
      if (re === null) return null;
      const i = l.findIndex((x) => re.test(scalarText(x)));
      return i < 0 ? null : i;
    },
  },
  // mvindex(mv, start[, end]): 0-based, end inclusive, negative from the end
  mvindex: {
    min: 2, max: 3, returns: 'any',
    eager: ([v, s, e]) => {
      const l = list(v);
      let start = int(s);
      if (l === undefined || start === undefined) return null;
      if (start < 0) start += l.length;
      if (start < 0 || start >= l.length) return null;
      if (e === undefined) return l[start]!;
      let end = int(e);
      if (end === undefined) return null;
      if (end < 0) end += l.length;
      if (end < start) return null;
      return fromValues(l.slice(start, Math.min(end, l.length - 1) + 1));
    },
  },
  mvjoin: {
    min: 2, max: 2, returns: 'str',
    eager: ([v, d]) => {
      const l = list(v);
      const delim = text(d!);
      if (l === undefined || delim === undefined) return null;
      return l.map(scalarText).join(delim);
    },
  },
  mvsort: {
    min: 1, max: 1, returns: 'any',
    eager: ([v]) => {
      const l = list(v);
      return l === undefined ? null : fromValues(l.map(scalarText).sort());
    },
  },
  mvzip: {
    min: 2, max: 3, returns: 'any',
    eager: ([a, b, d]) => {
      const x = list(a);
      const y = list(b);
      const delim = d === undefined ? ',' : text(d);
      if (x === undefined || y === undefined || delim === undefined) return null;
      const n = Math.min(x.length, y.length);
      const out: string[] = [];
      for (let i = 0; i < n; i++) out.push(`${scalarText(x[i]!)}${delim}${scalarText(y[i]!)}`);
      return fromValues(out);
    },
  },
  mvrange: {
    min: 2, max: 3, returns: 'any',
    eager: ([s, e, st]) => {
      const start = int(s);
      const end = int(e);
      const step = st === undefined ? 1 : int(st);
      if (start === undefined || end === undefined || !step) return null;
      const out: number[] = [];
      for (let i = start; step > 0 ? i < end : i > end; i += step) {
        out.push(i);
        if (out.length > 10_000) break;
      }
      return fromValues(out);
    },
  },
};
