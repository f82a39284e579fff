// The compiler: syntax tree → executable steps, collecting every compile error with its offset.
import type { Call, Expr, FilterExpr, Pattern, Pipeline, Span, Step } from './ast.ts';
import { bindArgs } from './functions/spec.ts';
import { lookupFunction } from './functions/index.ts';
import { LsRegex, RegexSyntaxError } from './regex/compile.ts';
import { aggregateStage, composeStream, streamStage, type StageFactory, type StreamFn } from './runtime.ts';
import type { CqlSettings } from './settings.ts';
import type { Diagnostic, QuerySource } from './source.ts';
import { formatNumber, globMatcher, isTagField, mutable, originOf, toNumber, type Ev } from './values.ts';

/** an expression's value: a string, or null for "no value" (missing field, wrong type) */
export type ValueFn = (ev: Ev) => string | null;

/** A leaf predicate of a filter, kept for explain and whyNot. */
export interface LeafPredicate {
  text: string;
  span: Span;
  field?: string;
  operator: string;
  values: string[];
  test(ev: Ev): boolean;
  /** what the event had, for whyNot */
  detail(ev: Ev): string;
}

/** A compiled filter: the test, plus its leaves with their polarity for explanations. */
export interface CompiledFilter {
  test(ev: Ev): boolean;
  leaves: LeafPredicate[];
}

/** What a compiled step is, for explain and whyNot. */
export interface StepInfo {
  step: Step;
  kind: 'filter' | 'case' | 'assign' | 'function';
  name: string;
  filter?: CompiledFilter;
  clauses?: Array<{ pipeline: Pipeline; steps: StepInfo[] }>;
  /** groupBy keys: events lacking one are dropped (setting groupby-missing=drop) */
  groupKeys?: string[];
  /** the step as a streaming function (absent for aggregates) */
  stream?: StreamFn;
  /** an aggregate step applied to one event, for whyNot (join) */
  replay?: (ev: Ev) => Ev[];
}

export interface CompiledPipeline {
  factories: StageFactory[];
  /** the pipeline as one streaming function, when it has no aggregate step */
  stream: StreamFn | null;
  steps: StepInfo[];
}

/** a subquery that must see every input event (join): filled before the main pipeline is flushed */
export interface SideQuery {
  pipeline: CompiledPipeline;
  rows: Ev[];
}

export class CompileContext {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly regexCache = new Map<string, LsRegex>();
  readonly sideQueries: SideQuery[] = [];
  /** aggregate steps are not allowed here (inside case clauses and composite functions) */
  private streamingOnly = 0;

  constructor(
    readonly source: QuerySource,
    readonly settings: CqlSettings,
  ) {}

  error(code: string, message: string, offset: number): void {
    this.diagnostics.push({ code, message, offset });
  }

  errorCount(): number {
    return this.diagnostics.length;
  }

  errors(): Diagnostic[] {
    return this.diagnostics;
  }

  text(span: Span): string {
    return this.source.slice(span).replace(/\s+/g, ' ').trim();
  }

  regex(pattern: string, flags: string, offset: number, defaultFlags = ''): LsRegex | null {
    const allFlags = flags || defaultFlags;
    const key = `${allFlags}/${pattern}`;
    const hit = this.regexCache.get(key);
    if (hit) return hit;
    try {
      const re = new LsRegex(pattern, { flags: allFlags, defaultEngine: this.settings.regexEngine });
      this.regexCache.set(key, re);
      return re;
    } catch (e) {
      if (e instanceof RegexSyntaxError) {
        const at = e.offset >= 0 ? offset + e.offset : offset;
        this.error('CQL_REGEX', `invalid regular expression: ${e.message}`, at);
        return null;
      }
      throw e;
    }
  }

  // ---------------------------------------------------------------------------- pipelines

  pipeline(p: Pipeline, opts: { streamingOnly?: boolean; where?: string } = {}): CompiledPipeline {
    if (opts.streamingOnly) this.streamingOnly++;
    const factories: StageFactory[] = [];
    const streams: StreamFn[] = [];
    const steps: StepInfo[] = [];
    let allStreaming = true;
    for (const step of p.steps) {
      const c = this.step(step, opts.where);
      if (!c) continue;
      steps.push(c.info);
      if (c.stream) c.info.stream = c.stream;
      if (c.stream) {
        streams.push(c.stream);
        factories.push(streamStage(c.stream));
      } else if (c.factory) {
        allStreaming = false;
        factories.push(c.factory);
      }
    }
    if (opts.streamingOnly) this.streamingOnly--;
    return { factories, stream: allStreaming ? composeStream(streams.length ? streams : [(ev, out) => out(ev)]) : null, steps };
  }

  private step(step: Step, where?: string): { info: StepInfo; stream?: StreamFn; factory?: StageFactory } | null {
    switch (step.kind) {
      case 'filter': {
        const f = this.filter(step.expr);
        return { info: { step, kind: 'filter', name: 'filter', filter: f }, stream: (ev, out) => { if (f.test(ev)) out(ev); } };
      }
      case 'case': {
        const clauses = step.clauses.map((c) => ({ pipeline: c, compiled: this.pipeline(c, { streamingOnly: true, where: 'a case clause' }) }));
        const fns = clauses.map((c) => c.compiled.stream ?? ((_ev: Ev, _out: (e: Ev) => void) => undefined));
        // first clause that returns the event wins; each clause starts from the original event;
        // no clause → the event is dropped ([CASE], cql.md §2)
        const stream: StreamFn = (ev, out) => {
          for (const fn of fns) {
            let matched = false;
            fn(ev, (e) => {
              matched = true;
              out(e);
            });
            if (matched) return;
          }
        };
        return { info: { step, kind: 'case', name: 'case', clauses: clauses.map((c) => ({ pipeline: c.pipeline, steps: c.compiled.steps })) }, stream };
      }
      case 'assign': {
        const value = this.expression(step.expr);
        return { info: { step, kind: 'assign', name: ':=' }, stream: assignStream(step.field, value) };
      }
      case 'call':
        return this.callStep(step, where);
    }
  }

  private callStep(step: Step & { kind: 'call' }, where?: string): { info: StepInfo; stream?: StreamFn; factory?: StageFactory } | null {
    const call = step.call;
    const spec = this.lookup(call);
    if (!spec) return null;
    const info: StepInfo = { step, kind: 'function', name: spec.name };
    if (call.negated && !spec.filter) {
      this.error('CQL_NOT_NEGATABLE', `${spec.name}() is not a filter function and cannot be negated`, call.start);
      return null;
    }
    const aggregate = spec.stage || (spec.accumulator && !spec.value);
    if (aggregate && this.streamingOnly > 0) {
      this.error('CQL_AGGREGATE_NOT_ALLOWED', `the aggregate function ${spec.name}() cannot be used in ${where ?? 'this position'}`, call.nameSpan.start);
      return null;
    }
    if (spec.name === 'eval') return this.evalStep(step, info);
    const a = bindArgs(call, spec, this);
    if (!a) return null;
    if (spec.filter) {
      const test = spec.filter(a, this);
      const neg = call.negated;
      const t = neg ? (ev: Ev) => !test(ev) : test;
      info.filter = { test: t, leaves: [this.callLeaf(call, t)] };
      // regex() also extracts its named groups, unless negated
      if (!spec.transform || neg) {
        info.kind = 'filter';
        const f = info.filter;
        return { info, stream: (ev, out) => { if (f.test(ev)) out(ev); } };
      }
    }
    if (spec.transform) return { info, stream: spec.transform(a, this) };
    if (spec.stage) {
      const factory = spec.stage(a, this);
      if (spec.name === 'groupBy' && this.settings.groupbyMissing === 'drop') info.groupKeys = a.fields('field');
      if (spec.replay) info.replay = spec.replay(a, this);
      return { info, factory };
    }
    if (spec.value) {
      const value = spec.value(a, this);
      const as = a.field('as', spec.defaultAs === '$field' ? a.field('field') : spec.defaultAs ?? '_' + spec.name);
      return { info, stream: assignStream(as, value) };
    }
    if (spec.accumulator) {
      const make = spec.accumulator(a, this);
      const factory = aggregateStage(() => {
        const acc = make();
        return {
          add: (ev) => acc.add(ev),
          rows: () => [Object.fromEntries(acc.result())],
        };
      });
      return { info, factory };
    }
    return null;
  }

  /** eval(a = expr, b = expr): every argument is named and assigns its field, in order */
  private evalStep(step: Step & { kind: 'call' }, info: StepInfo): { info: StepInfo; stream: StreamFn } | null {
    const fns: StreamFn[] = [];
    for (const arg of step.call.args) {
      if (arg.name === undefined) {
        this.error('CQL_BAD_ARGUMENT', 'eval() takes assignments: eval(field = expression)', arg.start);
        continue;
      }
      fns.push(assignStream(arg.name, this.expression(arg.value)));
    }
    if (fns.length === 0) {
      this.error('CQL_MISSING_PARAMETER', 'eval() needs at least one assignment: eval(field = expression)', step.call.nameSpan.start);
      return null;
    }
    return { info: { ...info, kind: 'assign' }, stream: composeStream(fns) };
  }

  lookup(call: Call) {
    const found = lookupFunction(call.name);
    if (found.kind === 'ok') return found.spec;
    if (found.kind === 'unsupported') {
      this.error('CQL_UNSUPPORTED', `${call.name}() is a LogScale function this engine does not implement (unsupported feature)`, call.nameSpan.start);
    } else {
      this.error('CQL_UNKNOWN_FUNCTION', `unknown function '${call.name}'${found.suggestion ? ` (did you mean ${found.suggestion}()?)` : ''}`, call.nameSpan.start);
    }
    return null;
  }

  /** an aggregate call inside groupBy(function=...) */
  accumulator(call: Call) {
    const spec = this.lookup(call);
    if (!spec) return null;
    if (!spec.accumulator) {
      this.error('CQL_NOT_AGGREGATE', `${spec.name}() is not an aggregate function and cannot be used as function= here`, call.nameSpan.start);
      return null;
    }
    const a = bindArgs(call, spec, this);
    return a ? spec.accumulator(a, this) : null;
  }

  // ---------------------------------------------------------------------------- filters

  filter(e: FilterExpr): CompiledFilter {
    const leaves: LeafPredicate[] = [];
    const test = this.filterTest(e, leaves);
    return { test, leaves };
  }

  private filterTest(e: FilterExpr, leaves: LeafPredicate[]): (ev: Ev) => boolean {
    switch (e.kind) {
      case 'and': {
        const parts = e.items.map((i) => this.filterTest(i, leaves));
        return (ev) => {
          for (const p of parts) if (!p(ev)) return false;
          return true;
        };
      }
      case 'or': {
        const parts = e.items.map((i) => this.filterTest(i, leaves));
        return (ev) => {
          for (const p of parts) if (p(ev)) return true;
          return false;
        };
      }
      case 'not': {
        const inner = this.filterTest(e.item, leaves);
        return (ev) => !inner(ev);
      }
      case 'all':
        return () => true;
      case 'compare': {
        const leaf = this.compareLeaf(e);
        leaves.push(leaf);
        return leaf.test;
      }
      case 'freetext': {
        const leaf = this.freeTextLeaf(e.value, e);
        leaves.push(leaf);
        return leaf.test;
      }
      case 'call': {
        const spec = this.lookup(e.call);
        if (!spec) return () => false;
        if (!spec.filter) {
          this.error('CQL_NOT_A_FILTER', `${spec.name}() is not a filter function and cannot be combined with AND, OR or NOT`, e.call.nameSpan.start);
          return () => false;
        }
        const a = bindArgs(e.call, spec, this);
        if (!a) return () => false;
        const t = spec.filter(a, this);
        const test = e.call.negated ? (ev: Ev) => !t(ev) : t;
        leaves.push(this.callLeaf(e.call, test));
        return test;
      }
    }
  }

  private callLeaf(call: Call, test: (ev: Ev) => boolean): LeafPredicate {
    const field = call.args.find((a) => a.name === 'field' || (a.name === undefined && a.value.kind === 'field'));
    const fieldName = field && (field.value.kind === 'field' || field.value.kind === 'str') ? (field.value.kind === 'field' ? field.value.name : field.value.value) : undefined;
    return {
      text: this.text(call),
      span: call,
      field: fieldName,
      operator: (call.negated ? '!' : '') + call.name,
      values: call.args.filter((a) => a !== field && a.name !== 'as').map((a) => this.text(a.value)),
      test,
      detail: (ev) => (fieldName === undefined ? 'false' : describeField(ev, fieldName)),
    };
  }

  private compareLeaf(e: FilterExpr & { kind: 'compare' }): LeafPredicate {
    const field = e.field;
    const value = e.value;
    const base = { text: this.text(e), span: e as Span, field, detail: (ev: Ev) => describeField(ev, field) };
    if (value.kind === 'regex') {
      const re = this.regex(value.pattern, value.flags, value.patternStart);
      const match = re ? (v: string) => re.test(v) : () => false;
      // a comparison on a missing field fails, unless it is != ([OPS], cql.md §1.7)
      const test = e.op === '!='
        ? (ev: Ev) => { const v = ev[field]; return v === undefined || !match(v); }
        : (ev: Ev) => { const v = ev[field]; return v !== undefined && match(v); };
      if (e.op !== '=' && e.op !== '!=') this.error('CQL_SYNTAX', `a regular expression can only follow = or !=`, value.start);
      return { ...base, operator: e.op === '!=' ? 'not-regex' : 'regex', values: [`/${value.pattern}/${value.flags}`], test };
    }
    const text = value.text;
    if (e.op === '=' || e.op === '!=') {
      const m = globMatcher(text);
      const test = e.op === '!='
        ? (ev: Ev) => { const v = ev[field]; return v === undefined || !m(v); }
        : (ev: Ev) => { const v = ev[field]; return v !== undefined && m(v); };
      const operator = text === '*' ? (e.op === '=' ? 'exists' : 'not-exists') : text.includes('*') ? (e.op === '=' ? 'match' : 'not-match') : e.op === '=' ? 'eq' : 'neq';
      return { ...base, operator, values: [text], test };
    }
    if (e.op === 'like') {
      // `like` is a case-sensitive contains ([OPS])
      return { ...base, operator: 'contains', values: [text], test: (ev) => { const v = ev[field]; return v !== undefined && v.includes(text); } };
    }
    const n = toNumber(text);
    if (n === null) this.error('CQL_SYNTAX', `'${e.op}' needs a number on its right side (got '${text}')`, value.start);
    const cmp = numericCompare(e.op);
    return {
      ...base,
      operator: e.op,
      values: [text],
      test: (ev) => {
        const v = toNumber(ev[field]);
        return v !== null && n !== null && cmp(v, n);
      },
    };
  }

  private freeTextLeaf(value: Pattern, span: Span): LeafPredicate {
    // free text searches every field present at the start of the pipeline, tag fields excepted,
    // as if wrapped in *…* ([FILTERS] "Free-Text Filters"); a bare /regex/ likewise
    let match: (v: string) => boolean;
    if (value.kind === 'regex') {
      const re = this.regex(value.pattern, value.flags, value.patternStart);
      match = re ? (v) => re.test(v) : () => false;
    } else {
      const g = globMatcher(`*${value.text}*`);
      match = g;
    }
    const test = (ev: Ev) => {
      const orig = originOf(ev);
      for (const k in orig) {
        if (!isTagField(k) && match(orig[k]!)) return true;
      }
      return false;
    };
    const shown = value.kind === 'regex' ? `/${value.pattern}/${value.flags}` : value.text;
    return { text: this.text(span), span, operator: value.kind === 'regex' ? 'regex' : 'contains', values: [shown], test, detail: () => `no field contains ${shown}` };
  }

  // ---------------------------------------------------------------------------- expressions

  expression(e: Expr): ValueFn {
    switch (e.kind) {
      case 'str': {
        const v = e.value;
        return () => v;
      }
      case 'num': {
        const v = e.value;
        return () => v;
      }
      case 'field': {
        const name = e.name;
        return (ev) => ev[name] ?? null;
      }
      case 'regex':
        this.error(
          'CQL_REGEX_NOT_EXPRESSION',
          'a regex literal /…/ is a filter, not an expression; use regex("…", field=…) or test() here',
          e.start,
        );
        return () => null;
      case 'array':
        this.error('CQL_SYNTAX', 'an array is not an expression', e.start);
        return () => null;
      case 'subquery':
        this.error('CQL_SYNTAX', 'a subquery {…} is not an expression', e.start);
        return () => null;
      case 'unary': {
        const inner = this.expression(e.operand);
        if (e.op === '-') {
          return (ev) => {
            const n = toNumber(inner(ev));
            return n === null ? null : formatNumber(-n);
          };
        }
        return (ev) => {
          const v = inner(ev);
          return v === null ? null : v === 'true' ? 'false' : 'true';
        };
      }
      case 'binary':
        return this.binary(e);
      case 'call': {
        const spec = this.lookup(e.call);
        if (!spec) return () => null;
        const a = bindArgs(e.call, spec, this);
        if (!a) return () => null;
        if (spec.filter) {
          const t = spec.filter(a, this);
          const neg = e.call.negated;
          return (ev) => (t(ev) !== neg ? 'true' : 'false');
        }
        if (spec.value) return spec.value(a, this);
        this.error('CQL_NOT_AN_EXPRESSION', `${spec.name}() cannot be used inside an expression`, e.call.nameSpan.start);
        return () => null;
      }
    }
  }

  private binary(e: Expr & { kind: 'binary' }): ValueFn {
    const l = this.expression(e.left);
    const r = this.expression(e.right);
    const op = e.op;
    if (op === '==' || op === '!=') {
      const want = op === '==';
      return (ev) => {
        const a = l(ev);
        const b = r(ev);
        if (a === null || b === null) return null; // null operands give null (EXPR)
        const na = toNumber(a);
        const nb = toNumber(b);
        const eq = na !== null && nb !== null ? na === nb : a === b;
        return eq === want ? 'true' : 'false';
      };
    }
    if (op === '<' || op === '<=' || op === '>' || op === '>=') {
      const cmp = numericCompare(op);
      return (ev) => {
        const a = toNumber(l(ev));
        const b = toNumber(r(ev));
        if (a === null || b === null) return null; // wrong-type operations give null (EXPR)
        return cmp(a, b) ? 'true' : 'false';
      };
    }
    const arith: Record<string, (a: number, b: number) => number> = {
      '+': (a, b) => a + b,
      '-': (a, b) => a - b,
      '*': (a, b) => a * b,
      '/': (a, b) => a / b,
      '%': (a, b) => a % b,
    };
    const f = arith[op]!;
    return (ev) => {
      const a = toNumber(l(ev));
      const b = toNumber(r(ev));
      if (a === null || b === null) return null;
      const v = f(a, b);
      return Number.isFinite(v) ? formatNumber(v) : null;
    };
  }
}

export function numericCompare(op: string): (a: number, b: number) => boolean {
  switch (op) {
    case '<': return (a, b) => a < b;
    case '<=': return (a, b) => a <= b;
    case '>': return (a, b) => a > b;
    default: return (a, b) => a >= b;
  }
}

/** `field := value`: a null value neither creates nor overwrites the field ([EXPR], C13) */
export function assignStream(field: string, value: ValueFn): StreamFn {
  return (ev, out) => {
    const v = value(ev);
    if (v === null) {
      out(ev);
      return;
    }
    const copy = mutable(ev);
    copy[field] = v;
    out(copy);
  };
}

export function describeField(ev: Ev, field: string): string {
  const v = ev[field];
  if (v === undefined) return `${field} is missing`;
  const shown = v.length > 120 ? v.slice(0, 117) + '...' : v;
  return `${field} = ${JSON.stringify(shown)}`;
}
