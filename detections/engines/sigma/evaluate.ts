// Evaluation of a loaded detection over one event, in three-valued logic (logic.ts).
// Per event, an EventContext (shared by every rule through a WeakMap) caches the field values, their
// lower-cased forms and which log-source selectors the event belongs to, so a run of many rules
// folds each CommandLine once.
import type { Cond } from './condition.ts';
import { type Selector, getPipeline, mapField, selects } from './logsource.ts';
import { F, T, U, type TV, and, not, or } from './logic.ts';
import { type FieldValue, type Lookup, toFieldValue } from './modifiers/values.ts';
import type { DetNode, Detection, Item } from './rule.ts';

/** Field access of one event through one selector's mapping (given to fieldref tests). */
class Scope {
  constructor(
    readonly ctx: EventContext,
    readonly sel: Selector | undefined,
  ) {}
  readonly lookup: Lookup = this.find.bind(this);
  private find(field: string): FieldValue | null | 'unsupported' {
    return lookupField(this.ctx, this.sel, field);
  }
}

export class EventContext {
  readonly unlabelled: boolean;
  private scopes: Scope[] = [];
  private fields = new Map<string, FieldValue | null>();
  private sel: (boolean | undefined)[] = [];
  private all?: FieldValue;

  constructor(readonly event: Record<string, unknown>) {
    this.unlabelled = getPipeline().isUnlabelled(event);
  }

  selected(s: Selector): boolean {
    let r = this.sel[s.id];
    if (r === undefined) this.sel[s.id] = r = selects(s, this.event);
    return r;
  }

  lookup(sel: Selector | undefined): Lookup {
    const i = sel ? sel.id + 1 : 0;
    return (this.scopes[i] ??= new Scope(this, sel)).lookup;
  }

  /** raw event field (after mapping); null when absent or null */
  value(name: string): FieldValue | null {
    let v = this.fields.get(name);
    if (v === undefined) {
      const raw = this.event[name];
      v = raw === undefined || raw === null ? null : toFieldValue(raw);
      this.fields.set(name, v);
    }
    return v;
  }

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.event, name) && this.event[name] !== undefined;
  }

  /** every value of the event, for keyword search */
  allValues(): FieldValue {
    if (!this.all) {
      const strs: string[] = [];
      for (const v of Object.values(this.event)) if (v !== null && v !== undefined) strs.push(...toFieldValue(v).strs);
      this.all = { raw: null, strs };
    }
    return this.all;
  }
}

function noLookup(): 'unsupported' {
  return 'unsupported';
}
const NO_LOOKUP: Lookup = noLookup;

const contexts = new WeakMap<object, EventContext>();
export function contextOf(event: Record<string, unknown>): EventContext {
  let c = contexts.get(event);
  if (!c) {
    c = new EventContext(event);
    contexts.set(event, c);
  }
  return c;
}

/** A field of the event as the taxonomy names it, through the source's mapping. */
export function lookupField(ctx: EventContext, sel: Selector | undefined, field: string): FieldValue | null | 'unsupported' {
  const name = sel ? mapField(sel, field) : field;
  if (name === 'unsupported') return name;
  const v = ctx.value(name);
  const table = sel?.values?.get(field);
  if (!v || !table) return v;
  return toFieldValue(v.strs.map((s) => table.get(s.toLowerCase()) ?? s));
}

export function evalItem(item: Item, ctx: EventContext, sel: Selector | undefined): TV {
  return (item.evalFn ??= compileItem(item))(ctx, sel);
}

export type ItemFn = (ctx: EventContext, sel: Selector | undefined) => TV;

/**
 * The common item shape — one field, values linked by OR merged into one test, no neq/null/exists —
 * becomes a direct closure; everything else goes through the general evaluator.
 */
function compileItem(item: Item): ItemFn {
  const c = item.chain;
  const field = item.field;
  const only = c.tests.length === 1 && c.tests[0]!.length === 1 ? c.tests[0]![0]! : undefined;
  if (field === null || !only || c.neq || c.isNull || c.exists !== undefined || c.needsLookup) {
    return function general(ctx, sel) {
      return evalItemGeneral(item, ctx, sel);
    };
  }
  return function direct(ctx, sel) {
    const v = sel === undefined ? ctx.value(field) : lookupField(ctx, sel, field);
    if (v === null) return F;
    if (v === 'unsupported') return U;
    return only(v, NO_LOOKUP) ? T : F;
  };
}

function evalItemGeneral(item: Item, ctx: EventContext, sel: Selector | undefined): TV {
  const c = item.chain;
  let fv: FieldValue | null;
  if (item.field === null) fv = ctx.allValues();
  else {
    if (c.exists !== undefined) {
      const name = mapField(sel, item.field);
      if (name === 'unsupported') return U;
      return ctx.has(name) === c.exists ? T : F;
    }
    const v = lookupField(ctx, sel, item.field);
    if (v === 'unsupported') return U;
    fv = v;
  }
  if (c.isNull) return fv === null ? T : F;
  if (fv === null) return F;
  const lookup = c.needsLookup ? ctx.lookup(sel) : NO_LOOKUP;
  let result: TV = c.linkAll ? T : F;
  for (const alts of c.tests) {
    let g: TV = F;
    for (const t of alts) {
      const r = t(fv, lookup);
      if (r === true) {
        g = T;
        break;
      }
      if (r === undefined) g = U;
    }
    result = c.linkAll ? and(result, g) : or(result, g);
    if (c.linkAll ? result === F : result === T) break;
  }
  return c.neq ? not(result) : result;
}

/** A selection's value on one event (whyNot). */
export function evalNode(n: DetNode, ctx: EventContext, sel: Selector | undefined): TV {
  return compileNode(n)(ctx, sel);
}

type NodeFn = ItemFn;

function allOf(fns: NodeFn[]): NodeFn {
  return function andFn(ctx, sel) {
    let acc: TV = T;
    for (let i = 0; i < fns.length; i++) {
      const v = fns[i]!(ctx, sel);
      if (v === F) return F;
      if (v === U) acc = U;
    }
    return acc;
  };
}

function anyOf(fns: NodeFn[]): NodeFn {
  return function orFn(ctx, sel) {
    let acc: TV = F;
    for (let i = 0; i < fns.length; i++) {
      const v = fns[i]!(ctx, sel);
      if (v === T) return T;
      if (v === U) acc = U;
    }
    return acc;
  };
}

function compileNode(n: DetNode): NodeFn {
  if (n.k === 'item') {
    const item = n.item;
    return (item.evalFn ??= compileItem(item));
  }
  const fns = n.items.map(compileNode);
  if (fns.length === 1) return fns[0]!;
  return n.k === 'and' ? allOf(fns) : anyOf(fns);
}

function compileCond(c: Cond, det: Detection): NodeFn {
  switch (c.k) {
    case 'id':
      return compileNode(det.selections.get(c.name)!.node);
    case 'not': {
      const f = compileCond(c.item, det);
      return function notFn(ctx, sel) {
        const v = f(ctx, sel);
        return v === U ? U : v === T ? F : T;
      };
    }
    case 'of': {
      const fns = c.names.map((name) => compileNode(det.selections.get(name)!.node));
      return c.quant === 'all' ? allOf(fns) : anyOf(fns);
    }
    case 'and':
    case 'or': {
      const fns = c.items.map((i) => compileCond(i, det));
      return c.k === 'and' ? allOf(fns) : anyOf(fns);
    }
  }
}

/** The detection compiled into closures once; its condition list is OR-ed (spec: a list of conditions). */
const compiledDetections = new WeakMap<Detection, NodeFn>();
export function detectionFn(det: Detection): NodeFn {
  let f = compiledDetections.get(det);
  if (!f) {
    const fns = det.conditions.map((c) => compileCond(c.tree, det));
    f = fns.length === 1 ? fns[0]! : anyOf(fns);
    compiledDetections.set(det, f);
  }
  return f;
}

export function evalDetection(det: Detection, ctx: EventContext, sel: Selector | undefined): TV {
  return detectionFn(det)(ctx, sel);
}
