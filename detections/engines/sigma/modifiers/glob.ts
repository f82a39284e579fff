// Plain Sigma string comparison without regular expressions (as Hayabusa does for plain
// wildcards): exact / prefix / suffix / substring fast paths, and a linear-scan glob matcher for
// patterns with inner `*` and `?`. No backtracking beyond the classic two-pointer scheme, so the
// worst case is O(|value| · |pattern|): no value can hang a run.
//
// Case: the specification says plain values match case-insensitively ("Sigma string values are
// case-insensitive by default"); both sides are folded with String.prototype.toLowerCase (Unicode
// default case mapping). `?` matches one character: one Unicode code point.
import { type Part, type SigmaString, isStar } from '../sigma-string.ts';

export type StringTest = (value: string) => boolean;

export interface CompiledString {
  /** the test takes the value lower-cased when !cased */
  cased: boolean;
  test: StringTest;
  /** short description for explain/whyNot: eq, startswith, endswith, contains, wildcard */
  op: string;
  literal: string;
  /**
   * A text every matching value contains (in the form the test compares: lower-cased unless
   * cased): the literal, or a glob's longest literal part; '' when nothing is required.
   */
  required: string;
}

type Seg = (string | null)[]; // null = `?`
const SURROGATE = /[\uD800-\uDFFF]/;

function segments(parts: Part[], fold: (s: string) => string): { segs: Seg[]; anchoredStart: boolean; anchoredEnd: boolean } {
  const segs: Seg[] = [[]];
  for (const p of parts) {
    if (typeof p === 'string') for (const ch of fold(p)) segs[segs.length - 1]!.push(ch);
    else if ('wild' in p && p.wild === '?') segs[segs.length - 1]!.push(null);
    else if (isStar(p)) segs.push([]);
  }
  return { segs, anchoredStart: !isStar(parts[0]), anchoredEnd: !isStar(parts[parts.length - 1]) };
}

type Chars = string | string[];

function matchAt(chars: Chars, at: number, seg: Seg): boolean {
  if (at + seg.length > chars.length) return false;
  for (let k = 0; k < seg.length; k++) {
    const s = seg[k];
    if (s !== null && s !== chars[at + k]) return false;
  }
  return true;
}

function find(chars: Chars, from: number, seg: Seg): number {
  for (let i = from; i + seg.length <= chars.length; i++) if (matchAt(chars, i, seg)) return i;
  return -1;
}

/** Generic glob: anchored first segment, leftmost-greedy middle segments, anchored last segment. */
export function globTest(parts: Part[], cased: boolean): StringTest {
  const fold = cased ? (s: string) => s : (s: string) => s.toLowerCase();
  const { segs, anchoredStart, anchoredEnd } = segments(parts, fold);
  // index by UTF-16 code unit unless a surrogate pair is involved, then by code point
  const astralPattern = segs.some((seg) => seg.some((c) => c !== null && c.length > 1));
  return function globMatch(value: string): boolean {
    const chars: Chars = astralPattern || SURROGATE.test(value) ? Array.from(value) : value;
    if (segs.length === 1) return chars.length === segs[0]!.length && matchAt(chars, 0, segs[0]!);
    let pos = 0;
    let first = 0;
    let last = segs.length - 1;
    if (anchoredStart) {
      if (!matchAt(chars, 0, segs[0]!)) return false;
      pos = segs[0]!.length;
      first = 1;
    }
    let end = chars.length;
    if (anchoredEnd) {
      const tail = segs[last]!;
      if (end - tail.length < pos || !matchAt(chars, end - tail.length, tail)) return false;
      end -= tail.length;
      last -= 1;
    }
    const inner = chars.slice(0, end);
    for (let i = first; i <= last; i++) {
      const seg = segs[i]!;
      if (seg.length === 0) continue;
      const at = find(inner, pos, seg);
      if (at < 0) return false;
      pos = at + seg.length;
    }
    return true;
  };
}

export function compileString(s: SigmaString, cased: boolean): CompiledString {
  const parts = s.parts;
  const fold = cased ? (x: string) => x : (x: string) => x.toLowerCase();
  const lits = parts.filter((p) => typeof p === 'string') as string[];
  const onlyStars = parts.every((p) => typeof p === 'string' || isStar(p));
  const literal = fold(lits.join(''));
  if (onlyStars && lits.length <= 1) {
    const starts = isStar(parts[0]);
    const ends = parts.length > 0 && isStar(parts[parts.length - 1]);
    const required = literal;
    if (parts.length === 0 || (lits.length === 1 && parts.length === 1)) {
      return { cased, op: 'eq', literal, required, test: (v) => v === literal };
    }
    if (lits.length === 0) return { cased, op: 'wildcard', literal: '*', required: '', test: () => true };
    if (starts && ends && parts.length === 3) return { cased, op: 'contains', literal, required, test: (v) => v.includes(literal) };
    if (ends && parts.length === 2) return { cased, op: 'startswith', literal, required, test: (v) => v.startsWith(literal) };
    if (starts && parts.length === 2) return { cased, op: 'endswith', literal, required, test: (v) => v.endsWith(literal) };
  }
  // globTest folds each literal part on its own, so a match holds each folded part as a run of
  // consecutive characters
  let required = '';
  for (const p of lits) {
    const f = fold(p);
    if (f.length > required.length) required = f;
  }
  return { cased, op: 'wildcard', literal, required, test: globTest(parts, cased) };
}
