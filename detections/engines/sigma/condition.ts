// The condition grammar of Sigma v2 (sigma-rules-specification.md, "Condition"):
//   or < and < not < `x of` < parentheses (loosest to tightest binding),
//   `1 of pattern` / `any of pattern` / `all of pattern` where `*` in the pattern matches
//   identifier names; `them` = every identifier not starting with `_`; pySigma skips `_`-prefixed
//   identifiers in patterns unless the pattern itself starts with `_`.
// Legacy aggregations (`| count() by ...`, `near`) were removed in v2 in favour of correlation
// rules and are rejected with a pointer to them.
import type { Pos } from './problems.ts';

export type Cond =
  | { k: 'id'; name: string; offset: number }
  | { k: 'and' | 'or'; items: Cond[]; offset: number }
  | { k: 'not'; item: Cond; offset: number }
  | { k: 'of'; quant: 'any' | 'all'; pattern: string; names: string[]; offset: number };

export class ConditionError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

interface Tok {
  t: 'word' | '(' | ')' | 'pipe' | 'end';
  v: string;
  offset: number;
}

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push({ t: c, v: c, offset: i++ });
    } else if (c === '|') {
      // a v1 aggregation: the rest is not tokenised, the parser rejects it
      out.push({ t: 'pipe', v: c, offset: i });
      break;
    } else if (/[A-Za-z0-9_*\-.]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_*\-.]/.test(text[j]!)) j++;
      out.push({ t: 'word', v: text.slice(i, j), offset: i });
      i = j;
    } else {
      throw new ConditionError(`unexpected character '${c}' in condition`, i);
    }
  }
  out.push({ t: 'end', v: '', offset: out[out.length - 1]?.t === 'pipe' ? i : text.length });
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', '1', 'any', 'all', 'near']);

function globToRegExp(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.\-]/g, '\\$&')).join('.*') + '$');
}

/** Names an `x of pattern` selects, in the order the identifiers were written. */
export function resolvePattern(pattern: string, identifiers: readonly string[]): string[] {
  if (pattern === 'them') return identifiers.filter((n) => !n.startsWith('_'));
  const re = globToRegExp(pattern);
  return identifiers.filter((n) => re.test(n) && (!n.startsWith('_') || pattern.startsWith('_')));
}

export function parseCondition(text: string, identifiers: readonly string[]): Cond {
  const toks = tokenize(text);
  let p = 0;
  const peek = (): Tok => toks[p]!;
  const isKw = (tok: Tok, kw: string): boolean => tok.t === 'word' && tok.v.toLowerCase() === kw;

  // or < and: one helper for both binary levels
  const binary = (op: 'and' | 'or', next: () => Cond) => (): Cond => {
    const first = next();
    const items = [first];
    while (isKw(peek(), op)) {
      p++;
      items.push(next());
    }
    return items.length === 1 ? first : { k: op, items, offset: first.offset };
  };
  const parseAnd = (): Cond => binary('and', parseNot)();
  const parseOr = binary('or', parseAnd);
  const parseNot = (): Cond => {
    const tok = peek();
    if (isKw(tok, 'not')) {
      p++;
      return { k: 'not', item: parseNot(), offset: tok.offset };
    }
    return parseAtom();
  };
  const parseAtom = (): Cond => {
    const tok = peek();
    if (tok.t === '(') {
      p++;
      const inner = parseOr();
      const close = peek();
      if (close.t !== ')') throw new ConditionError(`expected ')' to close the '(' at column ${tok.offset + 1} of the condition`, close.offset);
      p++;
      return inner;
    }
    if (tok.t === 'pipe') {
      throw new ConditionError("aggregation expressions ('| count() by ...') were removed in Sigma v2; write a correlation rule instead", tok.offset);
    }
    if (tok.t === 'end') throw new ConditionError('condition ends where a search identifier was expected', tok.offset);
    if (tok.t === ')') throw new ConditionError("unexpected ')'", tok.offset);
    const low = tok.v.toLowerCase();
    if (low === '1' || low === 'any' || low === 'all') {
      const ofTok = toks[p + 1]!;
      if (!isKw(ofTok, 'of')) {
        if (low === 'all' || low === 'any' || !identifiers.includes(tok.v)) {
          throw new ConditionError(`'${tok.v}' must be followed by 'of'`, ofTok.offset);
        }
      } else {
        const patTok = toks[p + 2]!;
        if (patTok.t !== 'word' || (KEYWORDS.has(patTok.v.toLowerCase()) && patTok.v.toLowerCase() !== 'them')) {
          throw new ConditionError(`'${tok.v} of' must be followed by 'them' or a search identifier pattern`, patTok.offset);
        }
        p += 3;
        const pattern = patTok.v.toLowerCase() === 'them' ? 'them' : patTok.v;
        const names = resolvePattern(pattern, identifiers);
        if (names.length === 0) {
          throw new ConditionError(`'${tok.v} of ${patTok.v}' matches no search identifier (defined: ${identifiers.join(', ') || 'none'})`, patTok.offset);
        }
        return { k: 'of', quant: low === 'all' ? 'all' : 'any', pattern, names, offset: tok.offset };
      }
    }
    if (/^\d+$/.test(tok.v) && isKw(toks[p + 1]!, 'of')) {
      throw new ConditionError(`'${tok.v} of' is not Sigma: only '1 of', 'any of' and 'all of' are defined`, tok.offset);
    }
    if (low === 'near') throw new ConditionError("'near' aggregations were removed in Sigma v2; write a temporal correlation rule instead", tok.offset);
    if (KEYWORDS.has(low)) throw new ConditionError(`unexpected '${tok.v}' where a search identifier was expected`, tok.offset);
    if (tok.v.includes('*')) throw new ConditionError(`wildcard identifier '${tok.v}' needs '1 of' or 'all of' before it`, tok.offset);
    if (!identifiers.includes(tok.v)) {
      throw new ConditionError(`search identifier '${tok.v}' is not defined under detection (defined: ${identifiers.join(', ') || 'none'})`, tok.offset);
    }
    p++;
    return { k: 'id', name: tok.v, offset: tok.offset };
  };

  const tree = parseOr();
  const rest = peek();
  if (rest.t === 'pipe') throw new ConditionError("aggregation expressions ('| count() by ...') were removed in Sigma v2; write a correlation rule instead", rest.offset);
  if (isKw(rest, 'near')) throw new ConditionError("'near' aggregations were removed in Sigma v2; write a temporal correlation rule instead", rest.offset);
  if (rest.t !== 'end') throw new ConditionError(`unexpected '${rest.v}' after a complete condition (missing 'and'/'or'?)`, rest.offset);
  return tree;
}

/** The condition written back with explicit parentheses, for explain output. */
export function renderCondition(c: Cond): string {
  switch (c.k) {
    case 'id':
      return c.name;
    case 'not':
      return `not ${c.item.k === 'id' || c.item.k === 'of' ? renderCondition(c.item) : `(${renderCondition(c.item)})`}`;
    case 'of':
      return `${c.quant === 'all' ? 'all' : '1'} of ${c.pattern}`;
    case 'and':
    case 'or':
      return c.items.map((i) => (i.k === 'and' || i.k === 'or' ? `(${renderCondition(i)})` : renderCondition(i))).join(` ${c.k} `);
  }
}

export function identifiersUsed(c: Cond, out = new Set<string>()): Set<string> {
  if (c.k === 'id') out.add(c.name);
  else if (c.k === 'of') c.names.forEach((n) => out.add(n));
  else if (c.k === 'not') identifiersUsed(c.item, out);
  else c.items.forEach((i) => identifiersUsed(i, out));
  return out;
}

export type { Pos };
