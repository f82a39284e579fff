// Expression tree → closure over a row, with Splunk's static checks: unknown functions, wrong
// argument counts, type errors of literals and operators, invalid or unsupported regex literals —
// all RuleErrors at the user's line:column before anything runs.
import { FUNCTIONS, type CallInfo, type Runtime, type Thunk } from '../functions/index.ts';
import { RegexError, SplRegex } from '../regex.ts';
import type { Row } from '../row.ts';
import { SPL_ERRORS, type SplSource } from '../source.ts';
import type { EvalValue } from '../values.ts';
import type { Expr, StrLit } from './ast.ts';
import { and, arithmetic, compare, concat, likeMatch, negate, not, or, text, xor } from './semantics.ts';
import { type StaticType, type TypeEnv, staticType } from './types.ts';

/** Records the value of every evaluated node (whyNot). */
export interface Tracer {
  record(node: Expr, value: EvalValue): void;
}

export interface ExprContext {
  src: SplSource;
  runtime: Runtime;
  tracer?: Tracer;
  /** compiles the search string of searchmatch("...") */
  searchmatch(literal: StrLit): (row: Row) => boolean;
}

export const TYPE_ENV: TypeEnv = {
  returnType(name: string, args: StaticType[]): StaticType {
    const f = FUNCTIONS.get(name);
    if (!f) return 'any';
    return typeof f.returns === 'function' ? f.returns(args) : f.returns;
  },
};

export function typeOf(e: Expr): StaticType {
  return staticType(e, TYPE_ENV);
}

function typeError(ctx: ExprContext, message: string, offset: number): never {
  throw ctx.src.error(SPL_ERRORS.typecheck, `Typechecking failed. ${message}`, offset);
}

/** Compiles a regex string literal, mapping a regex error to the character it concerns. */
export function compileRegexLiteral(ctx: ExprContext, lit: StrLit): SplRegex {
  try {
    return new SplRegex(lit.value);
  } catch (e) {
    if (!(e instanceof RegexError)) throw e;
    const at = lit.charOffsets[e.index] ?? lit.offset + 1;
    throw ctx.src.error(e.unsupported ? SPL_ERRORS.regexUnsupported : SPL_ERRORS.regexSyntax, e.message, at);
  }
}

function isLiteralString(e: Expr): boolean {
  while (e.k === 'paren') e = e.inner;
  return e.k === 'str';
}

export function compileExpr(e: Expr, ctx: ExprContext): Thunk {
  const f = compileNode(e, ctx);
  const tracer = ctx.tracer;
  if (!tracer) return f;
  return (row) => {
    const v = f(row);
    tracer.record(e, v);
    return v;
  };
}

function compileNode(e: Expr, ctx: ExprContext): Thunk {
  const nulls = ctx.runtime.nulls;
  switch (e.k) {
    case 'num': {
      const v = e.value;
      return () => v;
    }
    case 'str': {
      const v = e.value;
      return () => v;
    }
    case 'field': {
      const name = e.name;
      return (row) => row.get(name);
    }
    case 'paren':
      return compileExpr(e.inner, ctx);
    case 'neg': {
      const t = typeOf(e.operand);
      if (t === 'str' || t === 'bool') typeError(ctx, "'-' only takes numbers.", e.offset);
      const x = compileExpr(e.operand, ctx);
      return (row) => negate(x(row));
    }
    case 'not': {
      const t = typeOf(e.operand);
      if (t !== 'bool' && t !== 'any') typeError(ctx, "'NOT' only takes boolean arguments.", e.offset);
      const x = compileExpr(e.operand, ctx);
      return (row) => not(x(row), nulls);
    }
    case 'in': {
      const x = compileExpr(e.operand, ctx);
      const lits = e.list.map(isLiteralString);
      const xs = e.list.map((a) => compileExpr(a, ctx));
      const xLit = isLiteralString(e.operand);
      return (row) => {
        const v = x(row);
        if (v === null) return null;
        for (let i = 0; i < xs.length; i++) if (compare('=', v, xs[i]!(row), xLit, lits[i]) === true) return true;
        return false;
      };
    }
    case 'bin':
      return compileBinary(e, ctx);
    case 'call':
      return compileCall(e, ctx);
  }
}

function compileBinary(e: Extract<Expr, { k: 'bin' }>, ctx: ExprContext): Thunk {
  const nulls = ctx.runtime.nulls;
  const lt = typeOf(e.left);
  const rt = typeOf(e.right);
  const l = compileExpr(e.left, ctx);
  const r = compileExpr(e.right, ctx);
  const lLit = isLiteralString(e.left);
  const rLit = isLiteralString(e.right);
  switch (e.op) {
    case 'AND':
    case 'OR':
    case 'XOR':
      for (const t of [lt, rt]) if (t !== 'bool' && t !== 'any') typeError(ctx, `'${e.op}' only takes boolean arguments.`, e.opOffset);
      if (e.op === 'AND') return (row) => and(l(row), () => r(row), nulls);
      if (e.op === 'OR') return (row) => or(l(row), () => r(row), nulls);
      return (row) => xor(l(row), r(row), nulls);
    case '=':
    case '==':
    case '!=':
    case '<':
    case '>':
    case '<=':
    case '>=': {
      const op = e.op;
      return (row) => compare(op, l(row), r(row), lLit, rLit);
    }
    case 'LIKE':
      return (row) => {
        const p = text(r(row));
        const v = l(row);
        if (p === undefined || v === null || typeof v === 'boolean') return null;
        const values = Array.isArray(v) ? v : [v];
        return values.some((x) => likeMatch(typeof x === 'number' ? String(x) : x, p));
      };
    case '.':
      return (row) => concat(l(row), r(row));
    case '+':
      if (lt === 'bool' || rt === 'bool') typeError(ctx, "'+' only takes two numbers or two strings.", e.opOffset);
      return (row) => arithmetic('+', l(row), r(row), lLit, rLit);
    default: {
      const op = e.op;
      for (const t of [lt, rt]) if (t === 'str' || t === 'bool') typeError(ctx, `'${op}' only takes numbers.`, e.opOffset);
      return (row) => arithmetic(op, l(row), r(row), lLit, rLit);
    }
  }
}

function compileCall(e: Extract<Expr, { k: 'call' }>, ctx: ExprContext): Thunk {
  const spec = FUNCTIONS.get(e.name);
  if (!spec) throw ctx.src.error(SPL_ERRORS.unknownFunction, `The '${e.name}' function is unsupported or undefined.`, e.offset);
  const n = e.args.length;
  if (n < spec.min || n > spec.max || (spec.arity && !spec.arity(n))) {
    throw ctx.src.error(SPL_ERRORS.arguments, `The arguments to the '${e.name}' function are invalid.`, e.offset);
  }
  e.args.forEach((a, i) => {
    if (spec.boolArgs?.(i, n)) {
      const t = typeOf(a);
      if (t !== 'bool' && t !== 'any') typeError(ctx, `The '${e.name}' function requires a Boolean expression as argument ${i + 1}.`, a.offset);
    }
  });
  if (e.name === 'searchmatch') {
    const arg = e.args[0]!;
    if (arg.k !== 'str') throw ctx.src.error(SPL_ERRORS.unsupported, 'searchmatch() is supported with a quoted search string only.', arg.offset);
    const test = ctx.searchmatch(arg);
    return (row) => test(row);
  }
  const literal = e.args.map(isLiteralString);
  const fixed = new Map<number, SplRegex>();
  for (const i of spec.regexArgs ?? []) {
    const a = e.args[i];
    if (a?.k === 'str') fixed.set(i, compileRegexLiteral(ctx, a));
  }
  const cache = new Map<string, SplRegex | null>();
  const call: CallInfo = {
    node: e,
    literal,
    runtime: ctx.runtime,
    regex(i, pattern) {
      const f = fixed.get(i);
      if (f) return f;
      let re = cache.get(pattern);
      if (re === undefined) {
        try {
          re = new SplRegex(pattern);
        } catch {
          re = null; // a pattern built at run time that does not compile: no match
        }
        if (cache.size > 1000) cache.clear();
        cache.set(pattern, re);
      }
      return re;
    },
  };
  const args = e.args.map((a) => compileExpr(a, ctx));
  if (spec.lazy) {
    const lazy = spec.lazy;
    return (row) => lazy(args, row, call);
  }
  const eager = spec.eager!;
  if (n === 1) {
    const a0 = args[0]!;
    return (row) => eager([a0(row)], call);
  }
  if (n === 2) {
    const a0 = args[0]!;
    const a1 = args[1]!;
    return (row) => eager([a0(row), a1(row)], call);
  }
  return (row) => eager(args.map((a) => a(row)), call);
}
