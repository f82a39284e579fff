// Parser of the search command ([BOOL], [SEARCH], spl.md §4):
// - implicit AND between terms; precedence: parentheses, NOT, OR, then AND — so
//   `A=1 AND B=2 OR C=3` is `A=1 AND (B=2 OR C=3)` and `error NOT 403 OR 404` is
//   `error AND ((NOT 403) OR 404)`;
// - operators must be upper case (a lower-case `or` is a literal term);
// - `field=value`, `field!=value`, `field<value` ..., `field IN (a, b*)`, bare terms, "quoted
//   phrases", TERM(x), CASE(x), `*`, earliest=/latest=;
// - backslashes: \\ → \, \" → ", \| → |, other sequences unchanged (`Image="*\\msiexec.exe"` is the
//   pattern `*\msiexec.exe`).
import { SPL_ERRORS, type SplSource } from '../source.ts';
import type { SearchNode, SearchOp } from './ast.ts';

interface Word {
  /** the text as written */
  raw: string;
  offset: number;
  end: number;
  paren?: '(' | ')';
}

const FIELD_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.:@{}\-]*$/;
const OPS: SearchOp[] = ['!=', '<=', '>=', '=', '<', '>'];

function lexSearch(src: SplSource, start: number, end: number): Word[] {
  const text = src.text;
  const out: Word[] = [];
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ raw: c, offset: i, end: i + 1, paren: c });
      i++;
      continue;
    }
    const s = i;
    while (i < end) {
      const d = text[i]!;
      if (/\s/.test(d) || d === ')') break;
      if (d === '(') {
        const head = text.slice(s, i);
        if (head !== 'TERM' && head !== 'CASE') break;
        const close = findClose(text, i, end);
        if (close < 0) throw src.error(SPL_ERRORS.syntax, `Unbalanced parentheses in ${head}().`, s);
        i = close + 1;
        continue;
      }
      if (d === '\\' && i + 1 < end) {
        i += 2;
        continue;
      }
      if (d === '"') {
        i = skipQuoted(src, i, end);
        continue;
      }
      i++;
    }
    out.push({ raw: text.slice(s, i), offset: s, end: i });
  }
  return out;
}

function skipQuoted(src: SplSource, open: number, end: number): number {
  const text = src.text;
  let i = open + 1;
  while (i < end) {
    if (text[i] === '\\') i += 2;
    else if (text[i] === '"') return i + 1;
    else i++;
  }
  throw src.error(SPL_ERRORS.syntax, 'Unbalanced quotes.', open);
}

function findClose(text: string, open: number, end: number): number {
  let quoted = false;
  for (let i = open + 1; i < end; i++) {
    const c = text[i]!;
    if (c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ')' && !quoted) return i;
  }
  return -1;
}

/** Search-string unescaping: \\ → \, \" → ", \| → |; everything else as written. */
export function unescapeSearch(s: string): string {
  return s.replace(/\\([\\"|])/g, '$1');
}

/** "x" → x (unescaped), or undefined when s is not one quoted string. */
function unquote(s: string): string | undefined {
  if (s.length < 2 || s[0] !== '"' || s[s.length - 1] !== '"') return undefined;
  const inner = s.slice(1, -1);
  if (/(^|[^\\])(\\\\)*"/.test(inner)) return undefined;
  return unescapeSearch(inner);
}

/** A value as written: quoted → unquoted, else unescaped; quotes inside a bare value are removed. */
function valueOf(s: string): { value: string; quoted: boolean } {
  const q = unquote(s);
  if (q !== undefined) return { value: q, quoted: true };
  return { value: unescapeSearch(s.replace(/(^|[^\\])"/g, '$1')), quoted: false };
}

/** Index of the comparison operator of `field<op>value` outside quotes, if the head is a field name. */
function splitComparison(raw: string): { field: string; op: SearchOp; rest: string } | undefined {
  for (let i = 1; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '"' || c === '\\') return undefined;
    const op = OPS.find((o) => raw.startsWith(o, i));
    if (!op) continue;
    const field = raw.slice(0, i);
    if (!FIELD_NAME.test(field)) return undefined;
    return { field, op, rest: raw.slice(i + op.length) };
  }
  return undefined;
}

export class SearchParser {
  private i = 0;

  constructor(
    private readonly src: SplSource,
    private readonly words: Word[],
  ) {}

  private peek(k = 0): Word | undefined {
    return this.words[this.i + k];
  }

  private isOp(w: Word | undefined, op: 'AND' | 'OR' | 'NOT'): boolean {
    return w !== undefined && !w.paren && w.raw === op;
  }

  parse(): SearchNode | undefined {
    if (this.words.length === 0) return undefined;
    const n = this.parseAnd();
    const w = this.peek();
    if (w) throw this.src.error(SPL_ERRORS.syntax, w.paren === ')' ? 'Unbalanced parentheses.' : `Unexpected '${w.raw}'.`, w.offset);
    return n;
  }

  private parseAnd(): SearchNode {
    const items: SearchNode[] = [];
    for (;;) {
      const w = this.peek();
      if (!w || w.paren === ')') break;
      if (this.isOp(w, 'AND')) {
        if (items.length === 0) throw this.src.error(SPL_ERRORS.syntax, "Missing a search term before 'AND'.", w.offset);
        this.i++;
        const nxt = this.peek();
        if (!nxt || nxt.paren === ')') throw this.src.error(SPL_ERRORS.syntax, "Missing a search term after 'AND'.", w.offset);
        continue;
      }
      items.push(this.parseOr());
    }
    if (items.length === 0) {
      const w = this.peek();
      throw this.src.error(SPL_ERRORS.syntax, 'Empty parentheses or missing search term.', w?.offset ?? this.src.text.length);
    }
    if (items.length === 1) return items[0]!;
    return { k: 'and', items, offset: items[0]!.offset, end: items[items.length - 1]!.end };
  }

  private parseOr(): SearchNode {
    const items = [this.parseNot()];
    const ors: number[] = [];
    while (this.isOp(this.peek(), 'OR')) {
      const orWord = this.i++;
      ors.push(this.words[orWord]!.offset);
      const nxt = this.peek();
      if (!nxt || nxt.paren === ')' || this.isOp(nxt, 'OR') || this.isOp(nxt, 'AND')) {
        throw this.src.error(SPL_ERRORS.syntax, "Missing a search term after 'OR'.", this.words[orWord]!.offset);
      }
      items.push(this.parseNot());
    }
    if (items.length === 1) return items[0]!;
    return { k: 'or', items, ors, offset: items[0]!.offset, end: items[items.length - 1]!.end };
  }

  private parseNot(): SearchNode {
    const w = this.peek();
    if (this.isOp(w, 'NOT')) {
      this.i++;
      const nxt = this.peek();
      if (!nxt || nxt.paren === ')' || this.isOp(nxt, 'OR') || this.isOp(nxt, 'AND')) {
        throw this.src.error(SPL_ERRORS.syntax, "Missing a search term after 'NOT'.", w!.offset);
      }
      const item = this.parseNot();
      return { k: 'not', item, offset: w!.offset, end: item.end };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): SearchNode {
    const w = this.peek()!;
    if (w.paren === '(') {
      this.i++;
      const item = this.parseAnd();
      const close = this.peek();
      if (!close || close.paren !== ')') throw this.src.error(SPL_ERRORS.syntax, 'Unbalanced parentheses.', w.offset);
      this.i++;
      return { k: 'group', item, offset: w.offset, end: close.end };
    }
    this.i++;
    return this.word(w);
  }

  private word(w: Word): SearchNode {
    const { raw, offset, end } = w;
    if (raw === '*') return { k: 'all', offset, end };
    const dir = /^(TERM|CASE)\(([\s\S]*)\)$/.exec(raw);
    if (dir) {
      const inner = dir[2]!.trim();
      if (inner === '') throw this.src.error(SPL_ERRORS.syntax, `${dir[1]}() needs a term.`, offset);
      return { k: dir[1] as 'TERM' | 'CASE', value: valueOf(inner).value, offset, end };
    }
    // `field IN (a, b)`
    const nxt = this.peek();
    if (FIELD_NAME.test(raw) && nxt && !nxt.paren && /^in$/i.test(nxt.raw) && this.peek(1)?.paren === '(') {
      this.i += 2;
      const values: string[] = [];
      for (;;) {
        const v = this.peek();
        if (!v) throw this.src.error(SPL_ERRORS.syntax, 'Unbalanced parentheses after IN.', nxt.offset);
        this.i++;
        if (v.paren === ')') return { k: 'in', field: raw, values, offset, end: v.end };
        if (v.paren === '(') throw this.src.error(SPL_ERRORS.syntax, 'Unexpected ( in the IN list.', v.offset);
        for (const part of splitCommas(v.raw)) values.push(valueOf(part).value);
      }
    }
    // `field = value` written with spaces around the operator
    if (FIELD_NAME.test(raw) && nxt && !nxt.paren && (OPS as string[]).includes(nxt.raw)) {
      const val = this.peek(1);
      if (val && !val.paren) {
        this.i += 2;
        return this.cmp(raw, nxt.raw as SearchOp, val.raw, offset, val.offset, val.end);
      }
    }
    const cmp = splitComparison(raw);
    if (cmp) {
      let rest = cmp.rest;
      let valueOffset = offset + cmp.field.length + cmp.op.length;
      let stop = end;
      if (rest === '') {
        const val = this.peek();
        if (val && !val.paren && !['AND', 'OR', 'NOT'].includes(val.raw)) {
          this.i++;
          rest = val.raw;
          valueOffset = val.offset;
          stop = val.end;
        }
      }
      return this.cmp(cmp.field, cmp.op, rest, offset, valueOffset, stop);
    }
    const v = valueOf(raw);
    return { k: 'term', value: v.value, quoted: v.quoted, offset, end };
  }

  private cmp(field: string, op: SearchOp, rawValue: string, offset: number, valueOffset: number, end: number): SearchNode {
    const v = valueOf(rawValue);
    const lower = field.toLowerCase();
    if ((lower === 'earliest' || lower === 'latest') && op === '=') {
      return { k: 'time', bound: lower, value: v.value, offset, end };
    }
    return { k: 'cmp', field, op, value: v.value, quoted: v.quoted, valueOffset, offset, end };
  }
}

function splitCommas(raw: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      cur += c + raw[++i]!;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      if (cur !== '') out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

/** Parses a search expression over [start, end); undefined when it is empty. */
export function parseSearch(src: SplSource, start: number, end: number): SearchNode | undefined {
  return new SearchParser(src, lexSearch(src, start, end)).parse();
}
