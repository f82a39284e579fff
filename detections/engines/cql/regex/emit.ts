// Emit a parsed LogScale regex as JavaScript or RE2 source with the same meaning.
//
// JitRex (LogScale's v1 engine) comes from the Jint JavaScript engine and agrees with JS on the
// seed's patterns (cql.md §7), so JS semantics are the reference: `.` excludes \n \r U+2028 U+2029,
// \d \w \b are ASCII, \s is JS whitespace. The RE2 output spells those sets out so both engines
// agree. Known differences left as they are (documented in README.md): v1's Unicode \w and \b,
// RE2's m-mode `$` before \n only (JS also before \r), and non-BMP characters (JS without the u
// flag sees UTF-16 code units, RE2 code points).
import type { ClassItem, RxNode } from './ast.ts';
import { hasCaseVariant } from './parse.ts';

export type Target = 'js' | 're2';

type Range = [number, number];

const MAX_JS = 0xffff;
const MAX_RE2 = 0x10ffff;

const JS_SPACE: Range[] = [
  [9, 13], [32, 32], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029],
  [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
];
const DIGIT: Range[] = [[48, 57]];
const WORD: Range[] = [[48, 57], [65, 90], [95, 95], [97, 122]];
const LINE_TERMINATORS: Range[] = [[10, 10], [13, 13], [0x2028, 0x2029]];

function normalize(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
}

function complement(ranges: Range[], max: number): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [a, b] of normalize(ranges)) {
    if (a > next) out.push([next, a - 1]);
    next = b + 1;
  }
  if (next <= max) out.push([next, max]);
  return out;
}

function shorthandRanges(s: string, max: number): Range[] {
  const base = s.toLowerCase() === 'd' ? DIGIT : s.toLowerCase() === 'w' ? WORD : JS_SPACE;
  return s === s.toUpperCase() ? complement(base, max) : base;
}

/** add the other-case forms of every character (ranges larger than 2,000 characters are left alone) */
function foldRanges(ranges: Range[]): Range[] {
  const out: Range[] = [...ranges];
  for (const [a, b] of ranges) {
    if (b - a > 2000) continue;
    for (let c = a; c <= b; c++) {
      for (const v of caseVariants(c)) out.push([v, v]);
    }
  }
  return normalize(out);
}

function caseVariants(code: number): number[] {
  const ch = String.fromCharCode(code);
  const out = new Set<number>();
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) {
    if (v.length === 1 && v.charCodeAt(0) !== code) out.add(v.charCodeAt(0));
  }
  return [...out];
}

export function classRanges(items: ClassItem[], negated: boolean, fold: boolean, target: Target): Range[] {
  const max = target === 'js' ? MAX_JS : MAX_RE2;
  let ranges: Range[] = [];
  for (const it of items) {
    if (it.kind === 'shorthand') ranges.push(...shorthandRanges(it.shorthand!, max));
    else ranges.push([it.from!, it.to!]);
  }
  ranges = fold ? foldRanges(ranges) : normalize(ranges);
  return negated ? complement(ranges, max) : ranges;
}

function codeText(code: number, target: Target, inClass: boolean): string {
  if (code >= 0x20 && code <= 0x7e) {
    const ch = String.fromCharCode(code);
    const special = inClass ? '\\]^-[' : '\\^$.|?*+()[]{}/';
    return special.includes(ch) ? '\\' + ch : ch;
  }
  const hex = code.toString(16).padStart(4, '0');
  return target === 'js' ? `\\u${hex}` : `\\x{${hex}}`;
}

function rangesText(ranges: Range[], target: Target): string {
  if (ranges.length === 0) return target === 'js' ? '[^\\s\\S]' : '[^\\x{0}-\\x{10ffff}]';
  const body = ranges
    .map(([a, b]) => (a === b ? codeText(a, target, true) : `${codeText(a, target, true)}-${codeText(b, target, true)}`))
    .join('');
  return `[${body}]`;
}

export interface EmitOptions {
  target: Target;
  /** case folding is done by a global flag (every atom folds) rather than spelled out */
  foldByFlag: boolean;
  /** JS: how to write ^ and $ ('plain' = ^/$ without the m flag, 'm' = with it, 'look' = lookarounds) */
  anchors: 'plain' | 'm' | 'look';
}

export function emit(node: RxNode, o: EmitOptions): string {
  switch (node.type) {
    case 'empty':
      return '';
    case 'char':
      if (node.fold && !o.foldByFlag) {
        return rangesText(foldRanges([[node.code, node.code]]), o.target);
      }
      return codeText(node.code, o.target, false);
    case 'class': {
      const ranges = classRanges(node.items, node.negated, node.fold && !o.foldByFlag, o.target);
      return rangesText(ranges, o.target);
    }
    case 'dot':
      if (o.target === 'js') return node.dotAll ? '[\\s\\S]' : '.';
      return node.dotAll ? '(?s:.)' : rangesText(complement(LINE_TERMINATORS, MAX_RE2), 're2');
    case 'assert':
      return assertText(node.kind, o);
    case 'group':
      return node.capture ? `(${emit(node.body, o)})` : `(?:${emit(node.body, o)})`;
    case 'look':
      if (o.target === 're2') throw new Error('lookahead cannot be emitted for RE2');
      return `(?${node.negative ? '!' : '='}${emit(node.body, o)})`;
    case 'seq':
      return node.items.map((n) => emit(n, o)).join('');
    case 'alt':
      return node.branches.map((n) => emit(n, o)).join('|');
    case 'repeat': {
      let body = emit(node.body, o);
      if (!isSingleAtom(node.body)) body = `(?:${body})`;
      const q =
        node.min === 0 && node.max === Infinity ? '*'
        : node.min === 1 && node.max === Infinity ? '+'
        : node.min === 0 && node.max === 1 ? '?'
        : node.max === Infinity ? `{${node.min},}`
        : node.min === node.max ? `{${node.min}}`
        : `{${node.min},${node.max}}`;
      return body + q + (node.lazy ? '?' : '');
    }
  }
}

function isSingleAtom(n: RxNode): boolean {
  return n.type === 'char' || n.type === 'class' || n.type === 'dot' || n.type === 'group';
}

function assertText(kind: Extract<RxNode, { type: 'assert' }>['kind'], o: EmitOptions): string {
  if (o.target === 're2') {
    switch (kind) {
      case 'start': return '\\A';
      case 'end': return '\\z';
      case 'lineStart': return '(?m:^)';
      case 'lineEnd': return '(?m:$)';
      case 'wordB': return '\\b';
      case 'notWordB': return '\\B';
      case 'textStart': return '\\A';
      case 'textEndNl': return '(?:\\n?\\z)';
      case 'textEnd': return '\\z';
    }
  }
  switch (kind) {
    case 'start':
    case 'textStart':
      return o.anchors === 'plain' ? '^' : '(?<![\\s\\S])';
    case 'end':
    case 'textEnd':
      return o.anchors === 'plain' ? '$' : '(?![\\s\\S])';
    case 'lineStart':
      return o.anchors === 'm' ? '^' : '(?<![^\\n\\r\\u2028\\u2029])';
    case 'lineEnd':
      return o.anchors === 'm' ? '$' : '(?![^\\n\\r\\u2028\\u2029])';
    case 'wordB': return '\\b';
    case 'notWordB': return '\\B';
    case 'textEndNl': return '(?=\\n?(?![\\s\\S]))';
  }
}

// ---------------------------------------------------------------------------------------------
// facts about a tree the compiler needs

export function walk(node: RxNode, visit: (n: RxNode) => void): void {
  visit(node);
  switch (node.type) {
    case 'group':
    case 'look':
    case 'repeat':
      walk(node.body, visit);
      break;
    case 'seq':
      node.items.forEach((n) => walk(n, visit));
      break;
    case 'alt':
      node.branches.forEach((n) => walk(n, visit));
      break;
    default:
  }
}

/** every case-sensitive atom folds: the pattern can use a global ignore-case flag */
export function foldsEverywhere(root: RxNode): boolean {
  let all = true;
  let any = false;
  walk(root, (n) => {
    if (n.type === 'char' && hasCaseVariant(n.code)) {
      any = true;
      if (!n.fold) all = false;
    } else if (n.type === 'class') {
      if (n.fold) any = true;
      else if (n.items.some((it) => it.kind === 'range')) all = false;
    }
  });
  return all && any;
}

export function anchorMode(root: RxNode): EmitOptions['anchors'] {
  let plain = false;
  let line = false;
  walk(root, (n) => {
    if (n.type !== 'assert') return;
    if (n.kind === 'lineStart' || n.kind === 'lineEnd') line = true;
    if (n.kind === 'start' || n.kind === 'end' || n.kind === 'textStart' || n.kind === 'textEnd') plain = true;
  });
  if (line && plain) return 'look';
  return line ? 'm' : 'plain';
}

/**
 * Worst-case backtracking shape: `nested` when a repeated part itself contains a repetition or an
 * alternation (exponential in a backtracking engine); `unbounded` the largest number of unbounded
 * repetitions one path through the pattern meets (each multiplies the work by the input length;
 * alternatives take the maximum); `product` the number of ways bounded repetitions can split the
 * text at one start position (a sequence multiplies, alternatives add).
 */
export interface Cost {
  nested: boolean;
  unbounded: number;
  product: number;
}

export function cost(n: RxNode): Cost {
  switch (n.type) {
    case 'seq': {
      const c: Cost = { nested: false, unbounded: 0, product: 1 };
      for (const i of n.items) {
        const x = cost(i);
        c.nested ||= x.nested;
        c.unbounded += x.unbounded;
        c.product = Math.min(c.product * x.product, Number.MAX_SAFE_INTEGER);
      }
      return c;
    }
    case 'alt': {
      const c: Cost = { nested: false, unbounded: 0, product: 0 };
      for (const b of n.branches) {
        const x = cost(b);
        c.nested ||= x.nested;
        c.unbounded = Math.max(c.unbounded, x.unbounded);
        c.product = Math.min(c.product + x.product, Number.MAX_SAFE_INTEGER);
      }
      return c;
    }
    case 'group':
    case 'look':
      return cost(n.body);
    case 'repeat': {
      const inner = cost(n.body);
      if (n.max <= 1) return inner;
      let nested = inner.nested;
      walk(n.body, (x) => {
        if ((x.type === 'repeat' && x.max > 1) || x.type === 'alt') nested = true;
      });
      if (n.max === Infinity) return { nested, unbounded: inner.unbounded + 1, product: inner.product };
      return { nested, unbounded: inner.unbounded, product: Math.min((n.max - n.min + 1) * inner.product, Number.MAX_SAFE_INTEGER) };
    }
    default:
      return { nested: false, unbounded: 0, product: 1 };
  }
}
