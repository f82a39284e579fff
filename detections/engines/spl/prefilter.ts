// A literal prefilter derived from a rule (performance.md: "each seed rule requires one of a handful
// of literals such as msiexec, installer, dpkg; a line containing none of them, case-insensitively,
// cannot match"). The result is a conjunction of clauses; each clause is a set of lower-case
// literals of which a record must contain at least one (case-insensitively) for any of its results
// to survive the rule's per-event stages. A record failing a clause can be skipped before it is
// even parsed, without changing the rule's results.
//
// Sound by construction: a predicate only contributes a clause when its truth implies that some
// field value of the event contains one of the literals —
// - search: field=value (no CIDR), bare terms, phrases, TERM(): the value's longest wildcard-free,
//   breaker-free piece;
// - where/eval: match(X, re) and X=literal where X is a field of the event, or lower/upper/trim of
//   such, or coalesce() of such and string literals that cannot satisfy the predicate; comparisons
//   of fields computed by eval with if()/case(), through the branches that can give that value;
// - AND keeps every clause of both sides, OR keeps one clause made of one clause of each side
//   (or nothing when a side has none), NOT and everything else contribute nothing.
// Literals are shortened to their longest run of printable ASCII without " \ < > & = ', the
// characters JSON encoders escape (Go: < > &; Gson also = and ').
import { escapeRegExp, hasWildcard } from './glob.ts';
import type { CompiledCommand } from './commands/types.ts';
import { type Expr, unparen } from './expr/ast.ts';
import { compare } from './expr/semantics.ts';
import type { SearchNode } from './search/ast.ts';

type Clause = string[];
type Cnf = Clause[];

const MIN_LITERAL = 3;
/** Clauses from these fields hold for nearly every event of a search: tested last. */
const METADATA = new Set(['index', 'sourcetype', 'source', 'host']);
const MAX_CLAUSES = 4;

/** Longest run of `s` (lower-cased) free of characters an encoder may escape. */
function clean(s: string): string {
  let best = '';
  for (const run of s.toLowerCase().split(/[^\x20-\x7e]|["\\<>&=']/)) if (run.length > best.length) best = run;
  return best;
}

function clauseOf(literals: string[]): Clause | undefined {
  const out: string[] = [];
  for (const l of literals) {
    const c = clean(l);
    if (c.length < MIN_LITERAL) return undefined;
    if (!out.includes(c)) out.push(c);
  }
  return out.length > 0 ? out : undefined;
}

/** A clause's strength: its shortest literal (longer literals reject more records). */
function score(c: Clause): number {
  return Math.min(...c.map((l) => l.length)) - c.length / 100;
}

function best(cnf: Cnf): Clause | undefined {
  let b: Clause | undefined;
  for (const c of cnf) if (!b || score(c) > score(b)) b = c;
  return b;
}

function or(parts: Cnf[]): Cnf {
  const union: string[] = [];
  for (const p of parts) {
    const b = best(p);
    if (!b) return [];
    for (const l of b) if (!union.includes(l)) union.push(l);
  }
  return union.length ? [union] : [];
}

// ---------------------------------------------------------------------------------------------
// regex: literals one of which every match contains

const META = new Set([...'.^$*+?()[]{}|']);

function splitTop(p: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let cls = false;
  let cur = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') {
      cur += c + (p[i + 1] ?? '');
      i++;
      continue;
    }
    if (cls) cls = c !== ']';
    else if (c === '[') cls = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  out.push(cur);
  return depth === 0 ? out : undefined;
}

/** The longest literal every match of one alternative contains, if any. */
function alternativeLiteral(alt: string): string | undefined {
  let bestRun = '';
  let run = '';
  const flush = () => {
    if (run.length > bestRun.length) bestRun = run;
    run = '';
  };
  for (let i = 0; i < alt.length; i++) {
    const c = alt[i]!;
    let atom: string | undefined;
    let next = i + 1;
    if (c === '\\') {
      const d = alt[i + 1] ?? '';
      atom = /[A-Za-z0-9]/.test(d) ? undefined : d;
      next = i + 2;
    } else if (c === '(') {
      const close = closingParen(alt, i);
      if (close < 0) return undefined;
      next = close + 1;
    } else if (c === '[') {
      const close = alt.indexOf(']', i + 2);
      if (close < 0) return undefined;
      next = close + 1;
    } else if (!META.has(c)) atom = c;
    const q = alt[next];
    const optional = q === '?' || q === '*' || (q === '{' && /^\{0[,}]/.test(alt.slice(next)));
    const repeated = q === '+' || (q === '{' && !optional);
    if (atom !== undefined && !optional) {
      run += atom;
      if (repeated) flush();
    } else flush();
    if (q === '?' || q === '*' || q === '+') next++;
    else if (q === '{') next = alt.indexOf('}', next) + 1 || alt.length;
    if (alt[next] === '?' || alt[next] === '+') next++;
    i = next - 1;
  }
  flush();
  return bestRun === '' ? undefined : bestRun;
}

function closingParen(p: string, open: number): number {
  let depth = 0;
  for (let i = open; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Literals one of which every match of the PCRE pattern contains (undefined when unknown). */
export function regexLiterals(pcre: string): string[] | undefined {
  let p = pcre.replace(/^\(\?[imsU]+\)/, '');
  // a pattern that is one group: its alternatives
  while (/^\((\?:)?(?![?])/.test(p) && closingParen(p, 0) === p.length - 1) p = p.slice(p[1] === '?' ? 3 : 1, -1);
  const alts = splitTop(p);
  if (!alts) return undefined;
  const out: string[] = [];
  for (const a of alts) {
    const l = alternativeLiteral(a);
    if (l === undefined) return undefined;
    out.push(l);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// expressions

/** Fields an eval computed: each with its expression and the definitions it saw. */
interface Def {
  expr: Expr;
  env: Defs;
}
type Defs = ReadonlyMap<string, Def>;

/** X reads only event fields: the literal test on X implies the same on some field value. */
function transparent(e: Expr, defs: Defs, literals: string[]): boolean {
  const x = unparen(e);
  if (x.k === 'field') {
    const d = defs.get(x.name);
    return d === undefined || transparent(d.expr, d.env, literals);
  }
  if (x.k === 'str') return !literals.some((l) => x.value.toLowerCase().includes(l));
  if (x.k !== 'call') return false;
  if (['lower', 'upper', 'trim', 'ltrim', 'rtrim'].includes(x.name)) return x.args.length >= 1 && transparent(x.args[0]!, defs, literals);
  if (x.name === 'coalesce') return x.args.every((a) => transparent(a, defs, literals));
  // one value of a field is still a field value
  if (x.name === 'mvindex') return x.args.length >= 1 && transparent(x.args[0]!, defs, literals);
  return false;
}

function literalValue(e: Expr): string | number | undefined {
  const x = unparen(e);
  return x.k === 'str' || x.k === 'num' ? x.value : undefined;
}

function exprCnf(e: Expr, defs: Defs): Cnf {
  const x = unparen(e);
  if (x.k === 'bin' && x.op === 'AND') return [...exprCnf(x.left, defs), ...exprCnf(x.right, defs)];
  if (x.k === 'bin' && x.op === 'OR') return or([exprCnf(x.left, defs), exprCnf(x.right, defs)]);
  if (x.k === 'call' && x.name === 'match' && x.args.length === 2) {
    const pattern = literalValue(x.args[1]!);
    const lits = typeof pattern === 'string' ? regexLiterals(pattern) : undefined;
    if (!lits) return [];
    const clause = clauseOf(lits);
    return clause && transparent(x.args[0]!, defs, clause) ? [clause] : [];
  }
  if (x.k === 'bin' && (x.op === '=' || x.op === '==')) {
    const [side, lit] = literalValue(x.right) !== undefined ? [x.left, literalValue(x.right)!] : [x.right, literalValue(x.left)];
    if (lit === undefined) return [];
    const s = unparen(side);
    const d = s.k === 'field' ? defs.get(s.name) : undefined;
    if (d && !transparent(d.expr, d.env, [])) return valueCnf(d.expr, lit, d.env);
    // a number equals texts that do not contain its digits ("1.2e1" = 12): strings only
    if (typeof lit === 'number') return [];
    const clause = clauseOf([lit]);
    return clause && transparent(side, defs, clause) ? [clause] : [];
  }
  return [];
}

/** What must hold for a computed field (its defining expression) to equal `v`. */
function valueCnf(def: Expr, v: string | number, defs: Defs): Cnf {
  const x = unparen(def);
  const differs = (branch: Expr) => {
    const lv = literalValue(branch);
    return lv !== undefined && compare('=', lv, v, typeof lv === 'string', typeof v === 'string') === false;
  };
  if (x.k === 'call' && x.name === 'if' && x.args.length === 3) {
    const [c, a, b] = x.args as [Expr, Expr, Expr];
    if (differs(b)) return [...exprCnf(c, defs), ...(differs(a) ? [] : valueCnfOrNone(a, v, defs))];
    return [];
  }
  if (x.k === 'call' && x.name === 'case') {
    const parts: Cnf[] = [];
    for (let i = 0; i + 1 < x.args.length; i += 2) {
      if (differs(x.args[i + 1]!)) continue;
      parts.push(exprCnf(x.args[i]!, defs));
    }
    return parts.length ? or(parts) : [];
  }
  return [];
}

function valueCnfOrNone(e: Expr, v: string | number, defs: Defs): Cnf {
  return literalValue(e) !== undefined ? [] : valueCnf(e, v, defs);
}

// ---------------------------------------------------------------------------------------------
// search

function searchCnf(n: SearchNode, meta: Set<Clause>): Cnf {
  switch (n.k) {
    case 'and':
      return n.items.flatMap((i) => searchCnf(i, meta));
    case 'or': {
      const parts = n.items.map((i) => searchCnf(i, meta));
      const out = or(parts);
      if (out[0] && parts.every((p) => p.every((c) => meta.has(c)))) meta.add(out[0]);
      return out;
    }
    case 'group':
      return searchCnf(n.item, meta);
    case 'cmp': {
      if (n.op !== '=' || /^[0-9a-f.:]+\/\d{1,3}$/i.test(n.value)) return [];
      const pieces = n.value.split('*').sort((a, b) => b.length - a.length);
      const clause = clauseOf([pieces[0] ?? '']);
      if (!clause || (hasWildcard(n.value) && pieces[0] === '')) return [];
      if (METADATA.has(n.field)) meta.add(clause);
      return [clause];
    }
    case 'in': {
      if (n.values.some((v) => /^[0-9a-f.:]+\/\d{1,3}$/i.test(v))) return [];
      const clause = clauseOf(n.values.map((v) => v.split('*').sort((a, b) => b.length - a.length)[0] ?? ''));
      if (clause && METADATA.has(n.field)) meta.add(clause);
      return clause ? [clause] : [];
    }
    case 'term':
    case 'TERM':
    case 'CASE': {
      const clause = clauseOf([n.value.split('*').sort((a, b) => b.length - a.length)[0] ?? '']);
      return clause ? [clause] : [];
    }
    default:
      return [];
  }
}

/**
 * The prefilter of a pipeline: clauses over its per-event stages (the initial search and the
 * streaming commands after it). Empty when nothing can be said.
 */
export function derivePrefilter(commands: readonly CompiledCommand[], streamingPrefix: number): string[][] {
  if (commands[0]?.generate) return [];
  const cnf: Cnf = [];
  const meta = new Set<Clause>();
  let defs: Defs = new Map();
  for (const c of commands.slice(0, streamingPrefix + 1)) {
    const ast = c.ast;
    if (ast.k === 'search' && ast.node) cnf.push(...searchCnf(ast.node, meta));
    else if (ast.k === 'where') cnf.push(...exprCnf(ast.expr, defs));
    else if (ast.k === 'eval') for (const a of ast.assignments) defs = new Map([...defs, [a.target, { expr: a.expr, env: defs }]]);
    else if (ast.k === 'rename' || ast.k === 'rex' || c.name === 'fillnull' || c.name === 'mvexpand') {
      // fields renamed or filled in are no longer plain event fields: stop here
      break;
    }
  }
  // the most selective first: event-content clauses by strength, then metadata ones
  return cnf.sort((a, b) => Number(meta.has(a)) - Number(meta.has(b)) || score(b) - score(a)).slice(0, MAX_CLAUSES);
}

function clauseRegExps(clauses: readonly (readonly string[])[]): RegExp[] {
  // literal alternations cannot backtrack badly
  return clauses.map((c) => new RegExp(c.map(escapeRegExp).join('|'), 'i'));
}

/**
 * The non-ASCII characters whose lower or upper case contains ASCII letters (İ → i̇, K (Kelvin) → k,
 * ſ → S, ß → SS, ﬁ → FI, ...): lower()/upper() and RE2's (?i) folding can turn them into a literal
 * that /i does not see, so a text holding one is also tested in both cases.
 */
const FOLDS_TO_ASCII = /[\u00df\u0130\u0131\u0149\u017f\u01f0\u1e96-\u1e9a\u212a\ufb00-\ufb06]/;

function hit(re: RegExp, s: string): boolean {
  return re.test(s) || (FOLDS_TO_ASCII.test(s) && (re.test(s.toLowerCase()) || re.test(s.toUpperCase())));
}

/**
 * A test over a record's text: false = the record cannot match. The text must hold every field value
 * the engine will see (a flat JSON line of view fields does; raw XML or EVTX does not hold the
 * values a view computes, such as index or sourcetype).
 */
export function prefilterTest(clauses: readonly (readonly string[])[]): (text: string) => boolean {
  const res = clauseRegExps(clauses);
  return (text) => {
    for (let i = 0; i < res.length; i++) if (!hit(res[i]!, text)) return false;
    return true;
  };
}

/** The same test over a view event's field values (nested and multivalue included). */
export function prefilterEventTest(clauses: readonly (readonly string[])[]): (event: Record<string, unknown>) => boolean {
  const res = clauseRegExps(clauses);
  const holds = (re: RegExp, v: unknown): boolean => {
    if (typeof v === 'string') return hit(re, v);
    if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return re.test(String(v));
    if (Array.isArray(v)) return v.some((x) => holds(re, x));
    if (v !== null && typeof v === 'object') {
      for (const k in v) if (holds(re, (v as Record<string, unknown>)[k])) return true;
    }
    return false;
  };
  return (event) => {
    for (let i = 0; i < res.length; i++) if (!holds(res[i]!, event)) return false;
    return true;
  };
}
