// Why a query returned nothing for some events: replay each event through the streaming part of
// the pipeline, step by step, and record which predicates held and which did not. For a case,
// the clause the event got furthest in is reported. groupBy keys an event lacks count as failed
// predicates when groupby-missing=drop (the event would vanish there).
import type { MissExplanation, NearMiss, PredicateOutcome, ViewEvent } from '../types.ts';
import type { CompiledPipeline, StepInfo } from './context.ts';
import { describeField } from './context.ts';
import type { Analysis } from './index.ts';
import { sideRunner } from './functions/aggregates.ts';
import { toEvent, type Ev } from './values.ts';

interface Trace {
  passed: PredicateOutcome[];
  failed: PredicateOutcome[];
  /** the event got through every step that was replayed */
  through: boolean;
}

export function whyNot(analysis: Analysis, main: CompiledPipeline, events: readonly ViewEvent[], limit: number): MissExplanation {
  const input = events.map(toEvent);
  // join subqueries see every event first, as in evaluate()
  for (const side of analysis.ctx.sideQueries) {
    side.rows = [];
    const stage = sideRunner(side.pipeline.factories, side.rows);
    for (const ev of input) stage.push(ev);
    stage.flush();
  }
  const traces = input.map((ev, i) => ({ i, t: replay(analysis, main.steps, ev) }));
  const through = traces.filter((x) => x.t.through).length;
  const nearest = traces
    .filter((x) => !x.t.through)
    .sort((a, b) => b.t.passed.length - a.t.passed.length || a.t.failed.length - b.t.failed.length || a.i - b.i)
    .slice(0, limit)
    .map((x): NearMiss => ({ eventIndex: x.i, passed: x.t.passed, failed: x.t.failed }));
  let summary: string;
  if (events.length === 0) summary = 'no events to evaluate';
  else if (through > 0 && nearest.length === 0) summary = `all ${events.length} events pass every filter of the query`;
  else {
    const best = nearest[0];
    const why = best?.failed.map((f) => `${f.predicate}${f.detail ? ` (${f.detail})` : ''}`).join('; ');
    summary =
      `${through} of ${events.length} events pass every filter; ` +
      (best ? `the nearest miss (event ${best.eventIndex}) failed: ${why}` : 'no near miss');
  }
  return { nearest, summary };
}

function replay(analysis: Analysis, steps: StepInfo[], ev: Ev): Trace {
  const trace: Trace = { passed: [], failed: [], through: true };
  let current: Ev[] = [ev];
  for (const step of steps) {
    if (current.length === 0) break;
    const e = current[0]!;
    if (step.filter) {
      const ok = step.filter.test(e);
      outcome(analysis, step, e, ok, trace);
      if (!ok) {
        trace.through = false;
        return trace;
      }
    } else if (step.clauses) {
      // the clause that matched, or the one the event got furthest in
      let best: Trace | null = null;
      for (const clause of step.clauses) {
        const t = replay(analysis, clause.steps, e);
        if (t.through) {
          best = t;
          break;
        }
        if (!best || t.passed.length > best.passed.length) best = t;
      }
      if (best) {
        trace.passed.push(...best.passed);
        trace.failed.push(...best.failed);
        if (!best.through) {
          trace.through = false;
          return trace;
        }
      }
    } else if (step.groupKeys) {
      for (const k of step.groupKeys) {
        const o = { predicate: `groupBy key ${k} present`, position: analysis.source.position(step.step.start), detail: describeField(e, k) };
        (e[k] === undefined ? trace.failed : trace.passed).push(o);
      }
      if (trace.failed.length > 0) trace.through = false;
      return trace;
    }
    if (!step.stream && !step.replay) return trace; // an aggregate: the replay stops here
    const next: Ev[] = [];
    if (step.stream) step.stream(e, (x) => void next.push(x));
    else next.push(...step.replay!(e));
    if (next.length === 0 && !step.filter) {
      trace.failed.push({ predicate: step.step.kind === 'case' ? 'a case clause' : analysis.ctx.text(step.step), position: analysis.source.position(step.step.start), detail: 'the event left the pipeline here' });
      trace.through = false;
      return trace;
    }
    current = next;
  }
  return trace;
}

function outcome(analysis: Analysis, step: StepInfo, ev: Ev, stepOk: boolean, trace: Trace): void {
  for (const leaf of step.filter!.leaves) {
    const ok = leaf.test(ev);
    const o: PredicateOutcome = { predicate: leaf.text, position: analysis.source.position(leaf.span.start), detail: leaf.detail(ev) };
    if (ok) trace.passed.push(o);
    else if (!stepOk) trace.failed.push(o);
  }
}
