// Pipeline execution: streaming steps call the next step per event; aggregate steps keep state and
// emit on flush (end of input), as LogScale's aggregates produce their rows when the search ends.
import type { Ev } from './values.ts';

export type Emit = (ev: Ev) => void;

/** a streaming step: 0..n output events per input event */
export type StreamFn = (ev: Ev, out: Emit) => void;

export interface Stage {
  push(ev: Ev): void;
  /** end of input: emit what is held, then flush the next stage */
  flush(): void;
}

/** creates a fresh stage (with fresh state) in front of `next` */
export type StageFactory = (next: Stage) => Stage;

export function streamStage(fn: StreamFn): StageFactory {
  return (next) => {
    const out: Emit = (e) => next.push(e);
    return { push: (ev) => fn(ev, out), flush: () => next.flush() };
  };
}

/** an aggregate: collects every event, emits rows at the end */
export function aggregateStage(make: () => { add(ev: Ev): void; rows(): Ev[] }): StageFactory {
  return (next) => {
    const state = make();
    return {
      push: (ev) => state.add(ev),
      flush: () => {
        for (const row of state.rows()) next.push(row);
        next.flush();
      },
    };
  };
}

export function chain(factories: StageFactory[], sink: Stage): Stage {
  let stage = sink;
  for (let i = factories.length - 1; i >= 0; i--) stage = factories[i]!(stage);
  return stage;
}

/** compose streaming steps into one streaming function */
export function composeStream(fns: StreamFn[]): StreamFn {
  if (fns.length === 1) return fns[0]!;
  return fns.reduceRight<StreamFn>((next, fn) => (ev, out) => fn(ev, (e) => next(e, out)), (ev, out) => out(ev));
}

/** Accumulator of an aggregate function (count, collect, min, ...) inside groupBy or alone. */
export interface Accumulator {
  add(ev: Ev): void;
  /** output fields in order */
  result(): Array<[string, string]>;
}

export type AccumulatorFactory = () => Accumulator;
