// Matching a search expression against a row (spl.md §4):
// - field=value: case-insensitive, `*` wildcards, any value of a multivalue field; a CIDR value
//   matches IP addresses ([SEARCH]); `=`/`!=` compare strings ("'1' does not match '1.0'");
//   `< > <= >=` are numeric when both sides are numbers, else lexicographic (CHOICE: on the
//   lower-cased texts, as the search command is case-insensitive);
// - `field!=value` needs the field ("returns only events that have the field with another value",
//   [NOTX]); `NOT field=value` also returns events without it. CHOICE for multivalue: `!=` is TRUE
//   when the field exists and no value matches;
// - bare terms and quoted phrases are looked up in the token set of `_raw` (segment.ts): a term
//   without breakers must be a token; a term or phrase with breakers needs each of its sub-terms as
//   a token AND the whole text as a case-insensitive substring of `_raw` (the post-filter, spl.md §4
//   [TERM64] model; a breaker-only phrase such as "://" is the substring test alone — UNSURE);
//   a term with `*` matches when some token fits the pattern;
// - TERM(x): x is one whole major segment ("does not work for terms that are not bounded by major
//   breakers", [TERM]); CASE(x): like a term, case-sensitive;
// - earliest=/latest=: time modifiers relative to now (relative_time syntax), epoch seconds, or
//   %m/%d/%Y:%H:%M:%S.
// Metadata fields (index, sourcetype, source, host) are ordinary fields of the row here.
// CHOICE: field values are matched as the row holds them; Splunk's requirement that an indexed
// field value's tokens also occur in `_raw` is not modelled (views give search-time fields).
import { cidrTester } from '../functions/conditional.ts';
import { globMatch, hasWildcard } from '../glob.ts';
import type { Row, RawTokens } from '../row.ts';
import { hasMajorBreaker, subTerms, tokenize } from '../segment.ts';
import { SPL_ERRORS, type SplSource } from '../source.ts';
import { relativeTime, strptime } from '../time.ts';
import { type Scalar, asNumber, scalarText } from '../values.ts';
import type { CmpNode, SearchLeaf, SearchNode } from './ast.ts';

export type RowTest = (row: Row) => boolean;

export interface SearchContext {
  src: SplSource;
  /** the search's start time (epoch seconds), read at run time */
  now(): number;
  /** records each leaf's outcome (whyNot) */
  trace?(leaf: SearchLeaf, outcome: boolean, row: Row): void;
}

const tokensOf = (row: Row): RawTokens | undefined => row.rawTokens(tokenize);

export function compileSearch(node: SearchNode, ctx: SearchContext): RowTest {
  switch (node.k) {
    case 'and': {
      const items = node.items.map((i) => compileSearch(i, ctx));
      return (row) => {
        for (let i = 0; i < items.length; i++) if (!items[i]!(row)) return false;
        return true;
      };
    }
    case 'or': {
      const items = node.items.map((i) => compileSearch(i, ctx));
      return (row) => {
        for (let i = 0; i < items.length; i++) if (items[i]!(row)) return true;
        return false;
      };
    }
    case 'not': {
      const item = compileSearch(node.item, ctx);
      return (row) => !item(row);
    }
    case 'group':
      return compileSearch(node.item, ctx);
    default: {
      const test = compileLeaf(node, ctx);
      const trace = ctx.trace;
      if (!trace) return test;
      return (row) => {
        const r = test(row);
        trace(node, r, row);
        return r;
      };
    }
  }
}

function textOf(v: Scalar): string {
  return typeof v === 'number' ? scalarText(v) : v;
}

/** A test of one lower-cased field value against a search value. */
function valueMatcher(value: string): (lowerText: string, original: string) => boolean {
  const lower = value.toLowerCase();
  if (hasWildcard(lower)) return (t) => globMatch(lower, t);
  const cidr = /^[0-9a-f.:]+\/\d{1,3}$/i.test(value) ? cidrTester(value) : undefined;
  if (cidr) return (t, original) => t === lower || cidr(original);
  return (t) => t === lower;
}

function compileCmp(node: CmpNode): RowTest {
  const field = node.field;
  if (node.op === '=' || node.op === '!=') {
    const positive = node.op === '=';
    if (node.value === '*' && !node.quoted) {
      return positive ? (row) => row.has(field) : () => false;
    }
    const m = valueMatcher(node.value);
    return (row) => {
      const v = row.get(field);
      if (v === null) return false;
      let any = false;
      if (Array.isArray(v)) {
        for (const x of v) {
          const t = textOf(x);
          if (m(t.toLowerCase(), t)) {
            any = true;
            break;
          }
        }
      } else {
        const t = textOf(v);
        any = m(t.toLowerCase(), t);
      }
      return positive ? any : !any;
    };
  }
  const target = node.value;
  const targetNum = asNumber(target);
  const targetLower = target.toLowerCase();
  const op = node.op;
  const holds = (c: number) => (op === '<' ? c < 0 : op === '>' ? c > 0 : op === '<=' ? c <= 0 : c >= 0);
  return (row) => {
    const v = row.get(field);
    if (v === null) return false;
    for (const x of Array.isArray(v) ? v : [v]) {
      const n = asNumber(x);
      let c: number;
      if (n !== undefined && targetNum !== undefined) c = n - targetNum;
      else {
        const t = textOf(x).toLowerCase();
        c = t < targetLower ? -1 : t > targetLower ? 1 : 0;
      }
      if (holds(c)) return true;
    }
    return false;
  };
}

/** A bare term or phrase against `_raw`. */
function compileTerm(value: string): RowTest {
  const lower = value.toLowerCase();
  if (lower === '') return () => true;
  const wild = hasWildcard(lower);
  const parts = subTerms(lower.replace(/\*/g, '\u0000')).map((p) => p.replace(/\u0000/g, '*'));
  if (!wild && parts.length === 1 && parts[0] === lower) {
    return (row) => tokensOf(row)?.all.has(lower) ?? false;
  }
  if (wild && parts.length === 1 && parts[0] === lower && !hasMajorBreaker(lower.replace(/\*/g, ''))) {
    return (row) => {
      const toks = tokensOf(row);
      if (!toks) return false;
      for (const t of toks.all) if (globMatch(lower, t)) return true;
      return false;
    };
  }
  // a phrase (or a term with breakers): every sub-term indexed, then the post-filter on `_raw`
  const whole = wild ? `*${lower}*` : lower;
  const subs = parts.filter((p) => p.replace(/\*/g, '') !== '');
  return (row) => {
    const raw = row.rawLower();
    if (raw === undefined) return false;
    if (wild ? !globMatch(whole, raw) : !raw.includes(lower)) return false;
    const toks = tokensOf(row)!;
    for (const s of subs) {
      if (hasWildcard(s)) {
        let found = false;
        for (const t of toks.all) if (globMatch(s, t)) {
          found = true;
          break;
        }
        if (!found) return false;
      } else if (!toks.all.has(s)) return false;
    }
    return true;
  };
}

function timeBound(node: Extract<SearchLeaf, { k: 'time' }>, ctx: SearchContext): RowTest {
  const v = node.value.trim();
  let fixed: number | undefined;
  if (/^-?\d+(\.\d+)?$/.test(v)) fixed = Number(v);
  else if (/^\d{1,2}\/\d{1,2}\/\d{4}:\d{1,2}:\d{2}:\d{2}$/.test(v)) fixed = strptime(v, '%m/%d/%Y:%H:%M:%S');
  else if (relativeTime(0, v) === undefined) {
    throw ctx.src.error(SPL_ERRORS.syntax, `Invalid value "${node.value}" for time term '${node.bound}'.`, node.offset);
  }
  const bound = () => fixed ?? relativeTime(ctx.now(), v)!;
  return (row) => {
    const t = row.get('_time');
    if (typeof t !== 'number') return false;
    return node.bound === 'earliest' ? t >= bound() : t < bound();
  };
}

function compileLeaf(node: SearchLeaf, ctx: SearchContext): RowTest {
  switch (node.k) {
    case 'all':
      return () => true;
    case 'cmp':
      return compileCmp(node);
    case 'in': {
      const tests = node.values.map((value) => compileCmp({ ...node, k: 'cmp', op: '=', value, quoted: false, valueOffset: node.offset }));
      return (row) => tests.some((t) => t(row));
    }
    case 'term':
      return compileTerm(node.value);
    case 'TERM': {
      const lower = node.value.toLowerCase();
      if (hasWildcard(lower)) {
        return (row) => {
          const toks = tokensOf(row);
          if (!toks) return false;
          for (const t of toks.majors) if (globMatch(lower, t)) return true;
          return false;
        };
      }
      return (row) => tokensOf(row)?.majors.has(lower) ?? false;
    }
    case 'CASE': {
      const exact = node.value;
      return (row) => {
        const raw = row.get('_raw');
        if (raw === null) return false;
        const toks = tokenize(Array.isArray(raw) ? raw.map(textOf).join('\n') : textOf(raw)).all;
        return hasWildcard(exact) ? [...toks].some((t) => globMatch(exact, t)) : toks.has(exact);
      };
    }
    case 'time':
      return timeBound(node, ctx);
  }
}
