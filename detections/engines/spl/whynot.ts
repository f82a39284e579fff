// whyNot(): for a miss, run the per-event stages (the initial search and the streaming commands
// after it) with tracing, and report for the events that got furthest which predicates held and
// which did not, with what the event had ("ParentImage is missing; coalesce(ParentImage, "", ...)
// gave """).
import type { MissExplanation, NearMiss, PredicateOutcome, ViewEvent } from '../types.ts';
import { type StagePredicate, expandedText, stagePredicates } from './analysis.ts';
import type { Tracing } from './commands/types.ts';
import type { Expr } from './expr/ast.ts';
import { walk } from './expr/ast.ts';
import { type CompiledPipeline, type PipelineOptions, compilePipeline } from './runtime.ts';
import { type Row, rowFromEvent } from './row.ts';
import type { SearchLeaf } from './search/ast.ts';
import type { SplSource } from './source.ts';
import { formatTimeIso } from './time.ts';
import { type EvalValue, formatNumber } from './values.ts';

const MAX_TEXT = 120;

function quote(s: string): string {
  const t = s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s;
  return JSON.stringify(t);
}

export function describeValue(v: EvalValue, name?: string): string {
  if (v === null) return 'NULL';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'number') return name === '_time' ? formatTimeIso(v) : formatNumber(v);
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === 'number' ? formatNumber(x) : quote(x))).join(', ')}]`;
  return quote(v);
}

function fieldDetail(name: string, v: EvalValue): string {
  return v === null ? `${name} is missing` : `${name} = ${describeValue(v, name)}`;
}

interface Trace {
  exprs: Map<Expr, EvalValue>;
  leaves: Map<SearchLeaf, boolean>;
}

function searchDetail(leaf: SearchLeaf, row: Row): string {
  switch (leaf.k) {
    case 'cmp':
    case 'in':
      return fieldDetail(leaf.field, row.get(leaf.field));
    case 'time':
      return fieldDetail('_time', row.get('_time'));
    case 'all':
      return '';
    default: {
      if (row.rawLower() === undefined) return 'the event has no _raw';
      if (leaf.k === 'TERM') return `_raw has no token "${leaf.value}" bounded by major breakers`;
      if (leaf.k === 'CASE') return `_raw has no token "${leaf.value}" (case-sensitive)`;
      return leaf.k === 'term' && leaf.quoted ? `_raw does not contain the phrase "${leaf.value}" as indexed terms` : `_raw has no token "${leaf.value}"`;
    }
  }
}

function exprDetail(src: SplSource, leaf: Expr, values: Map<Expr, EvalValue>): string {
  const parts: string[] = [];
  const calls: string[] = [];
  const seen = new Set<string>();
  for (const n of walk(leaf)) {
    if (!values.has(n)) continue;
    const v = values.get(n)!;
    if (n.k === 'field' && !seen.has(n.name)) {
      seen.add(n.name);
      parts.push(fieldDetail(n.name, v));
    } else if (n.k === 'call' && n !== leaf && (n.name === 'coalesce' || v === null)) {
      calls.unshift(`${expandedText(src, n.offset, n.end)} gave ${describeValue(v)}`);
    }
  }
  parts.push(...calls);
  if (values.has(leaf)) parts.push(`the condition is ${describeValue(values.get(leaf)!)}`);
  return parts.join('; ');
}

function outcome(src: SplSource, p: StagePredicate, row: Row, t: Trace): { ok: boolean; o: PredicateOutcome } | undefined {
  const predicate = expandedText(src, p.offset, p.end);
  const position = src.pos(p.offset);
  if (p.kind === 'search') {
    const r = t.leaves.get(p.leaf);
    if (r === undefined) return undefined;
    const detail = searchDetail(p.leaf, row);
    return { ok: r, o: { predicate, position, ...(detail ? { detail } : {}) } };
  }
  if (!t.exprs.has(p.expr)) return undefined;
  const v = t.exprs.get(p.expr)!;
  return { ok: v === true, o: { predicate, position, detail: exprDetail(src, p.expr, t.exprs) } };
}

export function explainMiss(src: SplSource, options: PipelineOptions, events: readonly ViewEvent[], limit = 3): MissExplanation {
  const trace: Trace = { exprs: new Map(), leaves: new Map() };
  const tracing: Tracing = {
    expr: { record: (node, value) => trace.exprs.set(node, value) },
    search: (leaf, r) => trace.leaves.set(leaf, r),
  };
  const p: CompiledPipeline = compilePipeline(src, { ...options, tracing });
  p.runtime.now = p.fixedNow ?? Date.now() / 1000;
  const cmds = p.commands;
  if (cmds[0]!.generate) return { nearest: [], summary: 'The rule starts with a generating command; it does not read events.' };
  if (events.length === 0) return { nearest: [], summary: 'No events were given.' };
  const stages = cmds.slice(0, p.streamingPrefix + 1);
  const predicates = stages.map(stagePredicates);
  const results: (NearMiss & { reached: number; dropped: PredicateOutcome[] })[] = [];
  events.forEach((ev, eventIndex) => {
    let row: Row | undefined = rowFromEvent(ev, eventIndex);
    const passed: PredicateOutcome[] = [];
    const failed: PredicateOutcome[] = [];
    let reached = stages.length;
    let dropped: PredicateOutcome[] = [];
    for (let k = 0; k < stages.length && row; k++) {
      trace.exprs.clear();
      trace.leaves.clear();
      const c = stages[k]!;
      const before = row;
      const out = c.stream!(row);
      row = out === null ? undefined : Array.isArray(out) ? out[0] : out;
      const stageFailed: PredicateOutcome[] = [];
      for (const sp of predicates[k]!) {
        const r = outcome(src, sp, before, trace);
        if (r) (r.ok ? passed : stageFailed).push(r.o);
      }
      failed.push(...stageFailed);
      if (!row) {
        reached = k;
        dropped = stageFailed;
      }
    }
    results.push({ eventIndex, passed, failed, reached, dropped });
  });
  results.sort((a, b) => b.reached - a.reached || b.passed.length - a.passed.length || a.eventIndex - b.eventIndex);
  const nearest = results.slice(0, limit).map(({ eventIndex, passed, failed }) => ({ eventIndex, passed, failed }));
  const through = results.filter((r) => r.reached === stages.length).length;
  let summary: string;
  if (through > 0) {
    const later = cmds.slice(stages.length).map((c) => c.name);
    summary = `${through} of ${events.length} event(s) pass every per-event stage (${stages.map((c) => c.name).join(', ')})${later.length ? `; the rows come from the later stages (${later.join(', ')})` : ''}.`;
  } else {
    const best = results[0]!;
    const stage = stages[best.reached]!;
    const firstFail = best.dropped[0];
    summary = `No event passes stage ${best.reached + 1} (${stage.name})${firstFail ? `: the nearest, event #${best.eventIndex}, fails ${firstFail.predicate}${firstFail.detail ? ` (${firstFail.detail})` : ''}` : ''}.`;
  }
  return { nearest, summary };
}
