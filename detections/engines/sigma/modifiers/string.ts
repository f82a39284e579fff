// Generic string modifiers: contains, startswith, endswith, windash, cased — and the comparison of
// plain (wildcard) strings. Spec appendix "Generic Modifiers" and "String Modifiers".
import { type SigmaString, wrap, hasWildcards } from '../sigma-string.ts';
import { compileString } from './glob.ts';
import { type Val, type ValueTest, lowers } from './values.ts';

/** contains: `*` on both ends; startswith: `*` at the end; endswith: `*` at the start. */
export function wrapValue(v: Val, mode: 'contains' | 'startswith' | 'endswith'): Val | string {
  if (v.t === 'ref') {
    if (v.mode !== 'eq') return `${mode} cannot follow ${v.mode} on a field reference`;
    return { ...v, mode };
  }
  if (v.t !== 'str') return `${mode} applies to strings, not to ${describe(v)}`;
  return { t: 'str', s: wrap(v.s, mode !== 'startswith', mode !== 'endswith') };
}

// The five dash characters of the specification's windash: -, /, – (en dash), — (em dash),
// ― (horizontal bar).
export const WINDASH = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

/**
 * windash: a `-` or `/` that starts a command-line flag (pySigma's `\B[-/]\b`: not preceded by a
 * word character, followed by one) is replaced by each of the five dashes; every combination is
 * produced. `-param-name` only expands its first dash.
 */
export function windash(v: Val): Val[] | string {
  if (v.t !== 'str') return `windash applies to strings, not to ${describe(v)}`;
  let variants: SigmaString[] = [{ parts: [], encoding: v.s.encoding }];
  const parts = v.s.parts;
  for (let pi = 0; pi < parts.length; pi++) {
    const p = parts[pi]!;
    if (typeof p !== 'string') {
      variants = variants.map((s) => ({ parts: [...s.parts, p], encoding: s.encoding }));
      continue;
    }
    // split the literal into pieces at flag dashes
    const pieces: string[] = [''];
    const re = /\B[-/]\b/g;
    let last = 0;
    let m: RegExpExecArray | null;
    let count = 0;
    while ((m = re.exec(p))) {
      pieces[pieces.length - 1] += p.slice(last, m.index);
      pieces.push('');
      last = m.index + 1;
      count++;
    }
    pieces[pieces.length - 1] += p.slice(last);
    if (count === 0) {
      variants = variants.map((s) => ({ parts: [...s.parts, p], encoding: s.encoding }));
      continue;
    }
    const texts: string[] = [];
    const build = (i: number, acc: string): void => {
      if (i === pieces.length - 1) {
        texts.push(acc + pieces[i]);
        return;
      }
      for (const d of WINDASH) build(i + 1, acc + pieces[i] + d);
    };
    build(0, '');
    variants = variants.flatMap((s) => texts.map((t) => ({ parts: [...s.parts, t], encoding: s.encoding })));
  }
  return variants.map((s) => ({ t: 'str' as const, s: mergeLiterals(s) }));
}

function mergeLiterals(s: SigmaString): SigmaString {
  const out: SigmaString['parts'] = [];
  for (const p of s.parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string' && typeof last === 'string') out[out.length - 1] = last + p;
    else if (p !== '') out.push(p);
  }
  return { parts: out, encoding: s.encoding };
}

export function describe(v: Val): string {
  switch (v.t) {
    case 'str':
      return hasWildcards(v.s) ? 'a wildcard string' : 'a string';
    case 'num':
      return `the number ${v.n}`;
    case 'bool':
      return `the boolean ${v.b}`;
    case 'null':
      return 'null';
    case 're':
      return 'a regular expression';
    case 'cidr':
      return 'a CIDR network';
    case 'ref':
      return 'a field reference';
  }
}

/** Numbers and booleans written in the rule compare as their text form. */
function asSigmaString(v: Val & { t: 'str' | 'num' | 'bool' }): SigmaString {
  return v.t === 'str' ? v.s : { parts: [String(v.t === 'num' ? v.n : v.b)], encoding: 'text' };
}

/**
 * A text every lower-cased field value the plain value matches contains (the rule-set
 * prefilter); null when there is none to use (a cased value, or `*` or '' that require no text).
 */
export function requiredLiteral(v: Val & { t: 'str' | 'num' | 'bool' }, cased: boolean): string | null {
  const c = compileString(asSigmaString(v), cased && v.t === 'str');
  return c.cased || c.required === '' ? null : c.required;
}

/**
 * Plain comparison. Strings: case-insensitive unless `cased`. Numbers and booleans written in the
 * rule compare with the field's textual form (`EventID: 1` matches 1 and "1"), case-insensitively
 * for booleans ("True"/"true").
 */
export function stringTest(v: Val & { t: 'str' | 'num' | 'bool' }, cased: boolean): { test: ValueTest; op: string; literal: string } {
  const c = compileString(asSigmaString(v), cased && v.t === 'str');
  const test = c.test;
  return {
    op: c.op,
    literal: c.literal,
    test: c.cased
      ? function oneCased(fv) {
          const xs = fv.strs;
          for (let i = 0; i < xs.length; i++) if (test(xs[i]!)) return true;
          return false;
        }
      : function oneFolded(fv) {
          const xs = lowers(fv);
          for (let i = 0; i < xs.length; i++) if (test(xs[i]!)) return true;
          return false;
        },
  };
}

/** Above this many substrings, `contains` lists are matched through first-character buckets. */
const BUCKET_MIN = 8;

function containsAny(lits: string[]): (s: string) => boolean {
  if (lits.includes('')) return () => true;
  if (lits.length < BUCKET_MIN) {
    return function containsSome(s: string): boolean {
      for (const l of lits) if (s.includes(l)) return true;
      return false;
    };
  }
  // one pass over the value; at each position only the literals starting with that code unit are
  // tried (large lists such as SigmaHQ's emoji rules with ~1,000 values cost O(|value|) on values
  // that contain none of their first characters)
  const buckets = new Map<number, string[]>();
  let minFirst = 0xffff;
  for (const l of lits) {
    minFirst = Math.min(minFirst, l.charCodeAt(0));
    const c = l.charCodeAt(0);
    const b = buckets.get(c);
    if (b) b.push(l);
    else buckets.set(c, [l]);
  }
  return function containsBucketed(s: string): boolean {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < minFirst) continue;
      const b = buckets.get(c);
      if (b) for (const l of b) if (s.startsWith(l, i)) return true;
    }
    return false;
  };
}

/**
 * One test for a list of plain values linked by OR: exact values through a Set, substrings,
 * prefixes and suffixes in tight loops, other wildcard patterns through the glob matcher. Same
 * semantics as testing each value in turn.
 */
export function anyStringTest(vals: (Val & { t: 'str' | 'num' | 'bool' })[], cased: boolean): ValueTest {
  const eq = new Set<string>();
  const contains: string[] = [];
  const starts: string[] = [];
  const ends: string[] = [];
  const globs: ((s: string) => boolean)[] = [];
  let always = false;
  let isCased = false;
  for (const v of vals) {
    const c = compileString(asSigmaString(v), cased && v.t === 'str');
    isCased ||= c.cased;
    if (c.op === 'eq') eq.add(c.literal);
    else if (c.op === 'contains') contains.push(c.literal);
    else if (c.op === 'startswith') starts.push(c.literal);
    else if (c.op === 'endswith') ends.push(c.literal);
    else if (c.literal === '*') always = true;
    else globs.push(c.test);
  }
  const inAny = contains.length ? containsAny(contains) : undefined;
  const one = (s: string): boolean => {
    if (always || eq.has(s)) return true;
    if (inAny && inAny(s)) return true;
    for (const p of starts) if (s.startsWith(p)) return true;
    for (const p of ends) if (s.endsWith(p)) return true;
    for (const g of globs) if (g(s)) return true;
    return false;
  };
  return isCased
    ? function anyCased(fv) {
        const xs = fv.strs;
        for (let i = 0; i < xs.length; i++) if (one(xs[i]!)) return true;
        return false;
      }
    : function anyFolded(fv) {
        const xs = lowers(fv);
        for (let i = 0; i < xs.length; i++) if (one(xs[i]!)) return true;
        return false;
      };
}
