// Function signatures and LogScale's argument rules (cql.md §4, [SUBSET], [IF], [DROP]):
// named arguments must be parameters of the function; at most one argument may be unnamed and it
// binds to the function's one unnamed-capable parameter; required parameters must be given.
import type { Arg, Call, Expr, Pipeline, Span } from '../ast.ts';
import type { CompileContext, ValueFn } from '../context.ts';
import type { AccumulatorFactory, StageFactory, StreamFn } from '../runtime.ts';
import type { Ev } from '../values.ts';

export type ParamType =
  | 'field' // one field name
  | 'fields' // a field name or an array of them
  | 'string'
  | 'strings' // a string or an array of strings
  | 'number'
  | 'boolean'
  | 'expression' // evaluated per event
  | 'functions' // an aggregate call or an array of them
  | 'query'; // a { subquery }

export interface ParamSpec {
  name: string;
  type: ParamType;
  required?: boolean;
  /** this parameter may be passed without its name (at most one per function) */
  unnamed?: boolean;
  /** allowed values for a string parameter */
  choices?: readonly string[];
}

export interface FunctionSpec {
  name: string;
  params: ParamSpec[];
  /** a filter function: keeps or drops events; also usable in expressions (true/false) and with `!` */
  filter?: (a: BoundArgs, ctx: CompileContext) => (ev: Ev) => boolean;
  /** a value for an expression or for the `as` field of the pipeline step */
  value?: (a: BoundArgs, ctx: CompileContext) => ValueFn;
  /** output field when the step form has no `as=` */
  defaultAs?: string;
  /** a streaming transformation step */
  transform?: (a: BoundArgs, ctx: CompileContext) => StreamFn;
  /** an aggregate step */
  stage?: (a: BoundArgs, ctx: CompileContext) => StageFactory;
  /** for whyNot: the aggregate step applied to one event, when that is meaningful (join) */
  replay?: (a: BoundArgs, ctx: CompileContext) => (ev: Ev) => Ev[];
  /** an aggregate function usable inside groupBy(function=...) or alone */
  accumulator?: (a: BoundArgs, ctx: CompileContext) => AccumulatorFactory;
}

/** the arguments of one call, bound to parameter names, with typed readers */
export class BoundArgs {
  constructor(
    readonly call: Call,
    readonly spec: FunctionSpec,
    private readonly byName: Map<string, Arg>,
    private readonly ctx: CompileContext,
  ) {}

  has(name: string): boolean {
    return this.byName.has(name);
  }

  arg(name: string): Arg | undefined {
    return this.byName.get(name);
  }

  span(name: string): Span {
    return this.byName.get(name)?.value ?? this.call.nameSpan;
  }

  private bad(name: string, what: string): void {
    const a = this.byName.get(name);
    this.ctx.error('CQL_BAD_ARGUMENT', `parameter '${name}' of ${this.spec.name}() ${what}`, a?.value.start ?? this.call.start);
  }

  field(name: string, fallback?: string): string {
    const a = this.byName.get(name);
    if (!a) return fallback ?? '';
    const t = literalText(a.value);
    if (t === null) {
      this.bad(name, 'takes a field name');
      return '';
    }
    return t;
  }

  fields(name: string, fallback: string[] = []): string[] {
    const a = this.byName.get(name);
    if (!a) return fallback;
    const items = a.value.kind === 'array' ? a.value.items : [a.value];
    const out: string[] = [];
    for (const item of items) {
      const t = literalText(item);
      if (t === null) this.bad(name, 'takes field names');
      else out.push(t);
    }
    return out;
  }

  string(name: string, fallback = ''): string {
    const a = this.byName.get(name);
    if (!a) return fallback;
    const t = literalText(a.value);
    if (t === null) {
      this.bad(name, 'takes a string');
      return fallback;
    }
    const choices = this.spec.params.find((p) => p.name === name)?.choices;
    if (choices && !choices.includes(t)) {
      this.bad(name, `must be one of ${choices.join(', ')} (got '${t}')`);
      return fallback;
    }
    return t;
  }

  strings(name: string, fallback: string[] = []): string[] {
    return this.fields(name, fallback);
  }

  number(name: string, fallback: number, max?: number): number {
    const a = this.byName.get(name);
    if (!a) return fallback;
    const t = literalText(a.value);
    if (t === 'max' && max !== undefined) return max;
    const n = t === null ? NaN : Number(t);
    if (!Number.isFinite(n)) {
      this.bad(name, 'takes a number');
      return fallback;
    }
    if (max !== undefined && n > max) {
      this.bad(name, `must be at most ${max}`);
      return max;
    }
    return n;
  }

  boolean(name: string, fallback: boolean): boolean {
    const a = this.byName.get(name);
    if (!a) return fallback;
    const t = literalText(a.value);
    if (t !== 'true' && t !== 'false') {
      this.bad(name, 'takes true or false');
      return fallback;
    }
    return t === 'true';
  }

  expression(name: string): ValueFn {
    const a = this.byName.get(name);
    if (!a) return () => null;
    return this.ctx.expression(a.value);
  }

  functions(name: string): Call[] {
    const a = this.byName.get(name);
    if (!a) return [];
    const items = a.value.kind === 'array' ? a.value.items : [a.value];
    const calls: Call[] = [];
    for (const item of items) {
      if (item.kind === 'call') calls.push(item.call);
      else this.ctx.error('CQL_BAD_ARGUMENT', `parameter '${name}' of ${this.spec.name}() takes aggregate function calls such as count()`, item.start);
    }
    return calls;
  }

  query(name: string): Pipeline | null {
    const a = this.byName.get(name);
    if (!a) return null;
    if (a.value.kind !== 'subquery') {
      this.bad(name, 'takes a subquery in braces: {...}');
      return null;
    }
    return a.value.pipeline;
  }
}

/** the text of a literal argument value: a string, a number or a bare word (field name) */
export function literalText(e: Expr): string | null {
  if (e.kind === 'str' || e.kind === 'num') return e.value;
  if (e.kind === 'field') return e.name;
  return null;
}

/**
 * Binds a call's arguments to the function's parameters, reporting every violation of LogScale's
 * rules: an unknown parameter name, a second unnamed argument, an unnamed argument to a function
 * that has no unnamed parameter, a parameter given twice, a missing required parameter, and a
 * regex literal where an expression is expected ([APPA]: `a:=/fisk/i` is a syntax error).
 */
export function bindArgs(call: Call, spec: FunctionSpec, ctx: CompileContext): BoundArgs | null {
  const before = ctx.errorCount();
  const byName = new Map<string, Arg>();
  const names = spec.params.map((p) => p.name);
  const unnamedParam = spec.params.find((p) => p.unnamed);
  let unnamedSeen = 0;
  for (const a of call.args) {
    let pname: string;
    if (a.name !== undefined) {
      pname = a.name;
      if (!names.includes(pname)) {
        const hint =
          a.value.kind === 'regex'
            ? ` — \`${a.name}=/…/\` is read as a named argument, not a filter; test a regex with regex("…", field=${a.name})`
            : '';
        ctx.error(
          'CQL_UNKNOWN_PARAMETER',
          `${spec.name}() has no parameter named '${pname}' (parameters: ${names.join(', ') || 'none'})${hint}`,
          a.nameSpan!.start,
        );
        checkRegexLiteral(a, spec, ctx);
        continue;
      }
    } else {
      unnamedSeen++;
      if (!unnamedParam) {
        ctx.error('CQL_UNNAMED_ARGUMENT', `${spec.name}() has no unnamed parameter: name this argument (parameters: ${names.join(', ')})`, a.start);
        continue;
      }
      if (unnamedSeen > 1) {
        const others = spec.params.filter((p) => !p.unnamed && !byName.has(p.name)).map((p) => `${p.name}=…`);
        ctx.error(
          'CQL_UNNAMED_ARGUMENT',
          `only one argument may be unnamed and ${spec.name}() takes '${unnamedParam.name}' unnamed: name this one${others.length ? ` (${others.join(' or ')})` : ''}`,
          a.start,
        );
        continue;
      }
      pname = unnamedParam.name;
    }
    if (byName.has(pname)) {
      ctx.error('CQL_DUPLICATE_PARAMETER', `parameter '${pname}' of ${spec.name}() is given twice`, a.start);
      continue;
    }
    checkRegexLiteral(a, spec, ctx);
    byName.set(pname, a);
  }
  for (const p of spec.params) {
    if (p.required && !byName.has(p.name)) {
      ctx.error('CQL_MISSING_PARAMETER', `${spec.name}() is missing its required parameter '${p.name}'`, call.nameSpan.start);
    }
  }
  if (ctx.errorCount() > before) {
    // still check nested calls, so that every error of the query is reported at once
    const nested = (e: Expr): void => {
      if (e.kind === 'call') ctx.expression(e);
      else if (e.kind === 'array') e.items.forEach(nested);
    };
    call.args.forEach((a) => nested(a.value));
    return null;
  }
  return new BoundArgs(call, spec, byName, ctx);
}

function checkRegexLiteral(a: Arg, spec: FunctionSpec, ctx: CompileContext): void {
  const check = (e: Expr): void => {
    if (e.kind === 'regex') {
      ctx.error(
        'CQL_REGEX_NOT_EXPRESSION',
        `a regex literal /…/ is a filter, not an expression, and cannot be an argument of ${spec.name}(); use regex("…", field=…) (or test()) instead`,
        e.start,
      );
    } else if (e.kind === 'array') e.items.forEach(check);
  };
  check(a.value);
}
