// Static views of a compiled pipeline shared by explain, lints and whyNot: the predicates of each
// stage (search leaves; the Boolean leaves of where; the conditions inside eval's if/case/validate),
// the indicators they stand for, and the rule text of each command as the user wrote it.
import type { CompiledCommand } from './commands/types.ts';
import { type Expr, COMPARISONS, fieldsRead, unparen, walk } from './expr/ast.ts';
import type { SearchLeaf } from './search/ast.ts';
import { searchLeaves } from './search/ast.ts';
import type { SplSource } from './source.ts';

export type StagePredicate =
  | { kind: 'search'; leaf: SearchLeaf; offset: number; end: number }
  | { kind: 'expr'; expr: Expr; offset: number; end: number };

/** The Boolean leaves of a condition: everything under AND/OR/XOR/NOT and parentheses. */
export function boolLeaves(e: Expr): Expr[] {
  const x = unparen(e);
  if (x.k === 'bin' && (x.op === 'AND' || x.op === 'OR' || x.op === 'XOR')) return [...boolLeaves(x.left), ...boolLeaves(x.right)];
  if (x.k === 'not') return boolLeaves(x.operand);
  return [x];
}

const CONDITIONAL = new Set(['if', 'case', 'validate']);

/** Conditions inside if()/case()/validate() of an expression, as Boolean leaves. */
export function conditionLeaves(e: Expr): Expr[] {
  const out: Expr[] = [];
  for (const n of walk(e)) {
    if (n.k !== 'call' || !CONDITIONAL.has(n.name)) continue;
    n.args.forEach((a, i) => {
      if (n.name === 'if' ? i === 0 : i % 2 === 0) out.push(...boolLeaves(a));
    });
  }
  return out;
}

export function stagePredicates(cmd: CompiledCommand): StagePredicate[] {
  const ast = cmd.ast;
  switch (ast.k) {
    case 'search':
      return ast.node ? [...searchLeaves(ast.node)].map((leaf) => ({ kind: 'search' as const, leaf, offset: leaf.offset, end: leaf.end })) : [];
    case 'where':
      return boolLeaves(ast.expr).map((expr) => ({ kind: 'expr' as const, expr, offset: expr.offset, end: expr.end }));
    case 'eval':
      return ast.assignments.flatMap((a) => conditionLeaves(a.expr)).map((expr) => ({ kind: 'expr' as const, expr, offset: expr.offset, end: expr.end }));
    default:
      return [];
  }
}

export interface RawIndicator {
  field: string;
  operator: string;
  values: string[];
  offset: number;
}

const SEARCH_OPS: Record<string, string> = { '=': 'eq', '!=': 'ne', '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge' };

/** What a predicate tests, as (field, operator, values); fields the rule computes itself are skipped. */
export function predicateIndicators(p: StagePredicate, computed: ReadonlySet<string>): RawIndicator[] {
  if (p.kind === 'search') {
    const l = p.leaf;
    if (l.k === 'cmp') return [{ field: l.field, operator: SEARCH_OPS[l.op]!, values: [l.value], offset: l.offset }];
    if (l.k === 'in') return [{ field: l.field, operator: 'in', values: l.values, offset: l.offset }];
    // TERM(EventCode=4688): a raw-token search for a field=value pair
    if (l.k === 'TERM') {
      const m = /^([A-Za-z_][\w.]*)=(.+)$/.exec(l.value);
      if (m) return [{ field: m[1]!, operator: 'eq', values: [m[2]!], offset: l.offset }];
    }
    return [];
  }
  const e = unparen(p.expr);
  const fields = (x: Expr) => fieldsRead(x).filter((f) => !computed.has(f));
  const lit = (x: Expr) => {
    const u = unparen(x);
    return u.k === 'str' ? u.value : u.k === 'num' ? String(u.value) : undefined;
  };
  const out: RawIndicator[] = [];
  const add = (target: Expr, operator: string, values: string[]) => {
    for (const f of fields(target)) out.push({ field: f, operator, values, offset: p.offset });
  };
  if (e.k === 'bin' && (COMPARISONS.has(e.op) || e.op === 'LIKE')) {
    const op = e.op === 'LIKE' ? 'like' : SEARCH_OPS[e.op === '==' ? '=' : e.op]!;
    const rv = lit(e.right);
    const lv = lit(e.left);
    if (rv !== undefined) add(e.left, op, [rv]);
    else if (lv !== undefined) add(e.right, op, [lv]);
  } else if (e.k === 'in') {
    const values = e.list.map(lit).filter((v): v is string => v !== undefined);
    add(e.operand, 'in', values);
  } else if (e.k === 'call') {
    const [a0, a1] = e.args;
    switch (e.name) {
      case 'match':
      case 'like': {
        const v = a1 && lit(a1);
        if (a0 && v !== undefined) add(a0, e.name, [v]);
        break;
      }
      case 'cidrmatch': {
        const v = a0 && lit(a0);
        if (a1 && v !== undefined) add(a1, 'cidr', [v]);
        break;
      }
      case 'in': {
        const values = e.args.slice(1).map(lit).filter((v): v is string => v !== undefined);
        if (a0) add(a0, 'in', values);
        break;
      }
      case 'isnull':
      case 'isnotnull':
        if (a0) add(a0, e.name, []);
        break;
      default:
    }
  }
  return out;
}

/** Fields the pipeline assigns itself (eval, rex, rename targets, stats outputs) before index i. */
export function computedFields(commands: readonly CompiledCommand[], upTo = commands.length): Set<string> {
  const out = new Set<string>();
  for (const c of commands.slice(0, upTo)) {
    const ast = c.ast;
    if (ast.k === 'eval') for (const a of ast.assignments) out.add(a.target);
    else if (ast.k === 'rename') for (const p of ast.pairs) out.add(p.to);
    else if (ast.k === 'stats') for (const a of ast.aggregations) out.add(a.as);
    else if (ast.k === 'rex' && ast.regex) for (const m of ast.regex.value.matchAll(/\(\?P?<([A-Za-z_]\w*)>/g)) out.add(m[1]!);
  }
  return out;
}

/** The user's text of an expanded range: from the first to the last original character it maps to, macro calls whole. */
export function originalText(src: SplSource, start: number, end: number): string {
  if (end <= start) return '';
  let lo = Infinity;
  let hi = -1;
  for (let i = start; i < end; i++) {
    const o = src.originalOffset(i);
    if (o < lo) lo = o;
    if (o > hi) hi = o;
  }
  // a range ending inside a macro expansion maps to the call's backtick: include the whole call
  if (src.original[hi] === '`' && src.text[end - 1] !== '`') {
    const close = src.original.indexOf('`', hi + 1);
    if (close > 0) hi = close;
  }
  return src.original.slice(lo, hi + 1).trim();
}

/** The expanded text of a node (what the parser read), white space runs folded to one space. */
export function expandedText(src: SplSource, start: number, end: number): string {
  return src.text.slice(start, end).replace(/\s+/g, ' ').trim();
}
