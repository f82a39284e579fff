// Compiling a whole pipeline and running it.
//
// Result order (spl.md §6: "Historical searches return events newest first"): the initial search
// yields events ordered by their `_time` as read, newest first. CHOICE for what the docs leave open:
// events with the same `_time` come in reverse input order (the later line of a file is the more
// recently indexed), and events without a usable `_time` come after all timed ones, also in
// reverse input order. Streaming commands directly after the initial search do not depend on
// order, so they run on each event as it is read, and only the survivors are buffered and ordered.
import { RuleError } from '../../../harness/core/errors.ts';
import type { ResultRow } from '../types.ts';
import { compileCommand } from './commands/index.ts';
import type { CommandContext, CompiledCommand, EngineSettings, Tracing } from './commands/types.ts';
import type { ExprContext } from './expr/compile.ts';
import type { StrLit } from './expr/ast.ts';
import type { NullSettings } from './expr/semantics.ts';
import type { Runtime } from './functions/index.ts';
import { splitPipeline } from './pipeline.ts';
import { type Row, rowFromEvent } from './row.ts';
import { parseSearch } from './search/parse.ts';
import { compileSearch, type SearchContext } from './search/match.ts';
import { SplSource } from './source.ts';
import { formatTimeIso } from './time.ts';
import { formatNumber, type Scalar } from './values.ts';

export interface CompiledPipeline {
  src: SplSource;
  commands: CompiledCommand[];
  runtime: Runtime;
  /** how many commands after the first run per event before results are ordered */
  streamingPrefix: number;
  /** the search time given in the settings; else the clock at each run */
  fixedNow: number | undefined;
}

export interface PipelineOptions {
  settings: EngineSettings;
  nulls: NullSettings;
  /** fixed search time (epoch seconds) instead of the clock */
  now?: number;
  tracing?: Tracing;
  /**
   * Analysis mode: commands that do not compile are kept as placeholders (no behaviour) and their
   * errors handed here instead of thrown.
   */
  lenient?: (errors: RuleError) => void;
}

export function compilePipeline(src: SplSource, options: PipelineOptions): CompiledPipeline {
  const runtime: Runtime = { now: options.now ?? Date.now() / 1000, nulls: options.nulls };
  const search: SearchContext = {
    src,
    now: () => runtime.now,
    ...(options.tracing ? { trace: options.tracing.search } : {}),
  };
  const expr: ExprContext = {
    src,
    runtime,
    ...(options.tracing ? { tracer: options.tracing.expr } : {}),
    searchmatch: (lit: StrLit) => {
      // the search string of searchmatch("..."), with positions inside the literal
      const map = Int32Array.from([...lit.value].map((_, i) => src.originalOffset(lit.charOffsets[i] ?? lit.offset)).concat(src.originalOffset(lit.end)));
      const sub = new SplSource(src.file, src.original, lit.value, map);
      const node = parseSearch(sub, 0, lit.value.length);
      return node ? compileSearch(node, { ...search, src: sub }) : () => true;
    },
  };
  const ctx: CommandContext = { src, runtime, settings: options.settings, expr, search, ...(options.tracing ? { tracing: options.tracing } : {}) };
  // every command is compiled, so that one RuleError can carry the problems of all of them
  const errors: RuleError[] = [];
  const commands = splitPipeline(src).map((c): CompiledCommand => {
    try {
      return compileCommand(c, ctx);
    } catch (e) {
      if (!(e instanceof RuleError)) throw e;
      errors.push(e);
      return { name: c.name, text: c, ast: { k: 'other' } };
    }
  });
  if (errors.length > 0) {
    const [first, ...more] = errors as [RuleError, ...RuleError[]];
    const error = new RuleError(first.code, first.message, first.position, { cause: first, more });
    if (!options.lenient) throw error;
    options.lenient(error);
  }
  let streamingPrefix = 0;
  if (!commands[0]!.generate) {
    while (streamingPrefix + 1 < commands.length && commands[streamingPrefix + 1]!.stream) streamingPrefix++;
  }
  return { src, commands, runtime, streamingPrefix, fixedNow: options.now };
}

/** Applies one streaming command to a list of rows. */
export function streamAll(cmd: CompiledCommand, rows: Row[]): Row[] {
  const out: Row[] = [];
  for (const r of rows) {
    const x = cmd.stream!(r);
    if (x === null) continue;
    if (Array.isArray(x)) out.push(...x);
    else out.push(x);
  }
  return out;
}

/** Newest first by the event's `_time`; ties and untimed events in reverse input order. */
export function searchOrder(a: Row, b: Row): number {
  const ta = a.eventTime;
  const tb = b.eventTime;
  const na = Number.isNaN(ta);
  const nb = Number.isNaN(tb);
  if (na !== nb) return na ? 1 : -1;
  if (!na && ta !== tb) return tb - ta;
  return b.seq - a.seq;
}

export async function* runPipeline(
  p: CompiledPipeline,
  events: AsyncIterable<Record<string, unknown>> | Iterable<Record<string, unknown>>,
  prefilter?: (event: Record<string, unknown>) => boolean,
): AsyncIterable<ResultRow> {
  const cmds = p.commands;
  p.runtime.now = p.fixedNow ?? Date.now() / 1000;
  let rows: Row[];
  let next: number;
  if (cmds[0]!.generate) {
    rows = cmds[0]!.generate();
    next = 1;
  } else {
    const prefix = cmds.slice(0, p.streamingPrefix + 1);
    rows = [];
    let seq = 0;
    for await (const ev of events) {
      const index = seq++;
      if (prefilter && !prefilter(ev)) continue;
      let current: Row[] = [rowFromEvent(ev, index)];
      for (const c of prefix) {
        current = current.length === 1 ? single(c, current[0]!) : streamAll(c, current);
        if (current.length === 0) break;
      }
      for (const r of current) rows.push(r);
    }
    rows.sort(searchOrder);
    next = prefix.length;
  }
  for (let i = next; i < cmds.length; i++) {
    const c = cmds[i]!;
    rows = c.run ? c.run(rows) : streamAll(c, rows);
  }
  for (const r of rows) yield renderRow(r);
}

function single(c: CompiledCommand, r: Row): Row[] {
  const x = c.stream!(r);
  if (x === null) return [];
  return Array.isArray(x) ? x : [x];
}

function text(name: string, v: Scalar): string {
  if (typeof v === 'string') return v;
  return name === '_time' ? formatTimeIso(v) : formatNumber(v);
}

/**
 * A row as the product exports it: strings (numbers in their textual form, `_time` as
 * `2024-10-26T15:13:49.911+00:00`), multivalue fields as arrays of strings, NULL fields omitted.
 */
export function renderRow(r: Row): ResultRow {
  const out: ResultRow = {};
  for (const [name, v] of r.entries()) {
    if (v === null) continue;
    if (Array.isArray(v)) {
      if (v.length === 0) continue;
      out[name] = v.length === 1 ? text(name, v[0]!) : v.map((x) => text(name, x));
    } else out[name] = text(name, v);
  }
  return out;
}
