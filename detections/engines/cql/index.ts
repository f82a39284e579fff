// The embedded LogScale (CQL) engine: compile a query with LogScale's rules, evaluate it over
// Falcon view events with LogScale's semantics, explain it, and say why it missed.
import type { CompiledRule, CompileOptions, Engine, Explanation, ResultRow, ViewEvent } from '../types.ts';
import type { Pipeline } from './ast.ts';
import { CompileContext, type CompiledPipeline } from './context.ts';
import { explainAnalysis } from './explain.ts';
import { sideRunner } from './functions/aggregates.ts';
import { parseQuery, SyntaxFailure } from './parser.ts';
import { chain, type Stage } from './runtime.ts';
import { readSettings, type CqlSettings } from './settings.ts';
import { CqlCompileError, QuerySource, type Diagnostic } from './source.ts';
import { toEvent, toRow } from './values.ts';
import { whyNot } from './whynot.ts';

export { CqlCompileError } from './source.ts';
export { SETTING_NAMES } from './settings.ts';

/** Everything known about a query after parsing and compiling, errors included. */
export interface Analysis {
  source: QuerySource;
  settings: CqlSettings;
  ast: Pipeline | null;
  ctx: CompileContext;
  main: CompiledPipeline | null;
  errors: Diagnostic[];
}

export function analyze(text: string, options: CompileOptions): Analysis {
  const settings = readSettings(options.settings, options.file);
  const source = new QuerySource(text, options.file);
  const ctx = new CompileContext(source, settings);
  let ast: Pipeline | null = null;
  try {
    ast = parseQuery(text);
  } catch (e) {
    if (!(e instanceof SyntaxFailure)) throw e;
    return { source, settings, ast: null, ctx, main: null, errors: [e.diagnostic] };
  }
  const main = ctx.pipeline(ast);
  return { source, settings, ast, ctx, main, errors: ctx.errors() };
}

/**
 * Static analysis of a query, also when LogScale would reject it: the compile errors appear as
 * lint findings of severity error, beside the other defects.
 */
export function explainCql(text: string, options: CompileOptions): Explanation {
  return explainAnalysis(analyze(text, options));
}

export class CqlRuleError extends CqlCompileError {
  /** the static analysis of the rejected query (stages, indicators, lints) */
  explanation?: Explanation;
}

function compile(text: string, options: CompileOptions): CompiledRule {
  const analysis = analyze(text, options);
  if (analysis.errors.length > 0 || !analysis.main) {
    const err = new CqlRuleError(analysis.source, analysis.errors);
    err.explanation = explainAnalysis(analysis);
    throw err;
  }
  const main = analysis.main;
  const sides = analysis.ctx.sideQueries;
  return {
    language: 'cql',
    file: options.file,
    meta: metadata(text),
    view: 'falcon',
    async *evaluate(events: AsyncIterable<ViewEvent> | Iterable<ViewEvent>): AsyncIterable<ResultRow> {
      const rows: ResultRow[] = [];
      const sink: Stage = { push: (ev) => void rows.push(toRow(ev)), flush: () => undefined };
      const stage = chain(main.factories, sink);
      // join subqueries see every input event; their rows are complete before the main flush
      const sideStages = sides.map((s) => {
        s.rows = [];
        return sideRunner(s.pipeline.factories, s.rows);
      });
      const push = (input: ViewEvent) => {
        const ev = toEvent(input);
        for (const s of sideStages) s.push(ev);
        stage.push(ev);
      };
      if (Symbol.iterator in events) {
        for (const input of events as Iterable<ViewEvent>) {
          push(input);
          if (rows.length) {
            yield* rows;
            rows.length = 0;
          }
        }
      } else {
        for await (const input of events) {
          push(input);
          if (rows.length) {
            yield* rows;
            rows.length = 0;
          }
        }
      }
      for (const s of sideStages) s.flush();
      stage.flush();
      yield* rows;
    },
    whyNot: (events, opts) => whyNot(analysis, main, events, opts?.limit ?? 3),
    explain: () => explainAnalysis(analysis),
  };
}

/** `// title: …`, `// id: …`, `// level: …` lines at the top of a rule file, if any */
function metadata(text: string): CompiledRule['meta'] {
  const meta: CompiledRule['meta'] = {};
  for (const line of text.split('\n')) {
    const m = /^\s*\/\/\s*(title|id|description|level)\s*:\s*(.+?)\s*$/.exec(line);
    if (m) meta[m[1] as 'title'] = m[2]!;
    else if (line.trim() !== '' && !line.trim().startsWith('//') && !line.trim().startsWith('/*') && !line.trim().startsWith('*')) break;
  }
  return meta;
}

export const cqlEngine: Engine & { analyze(text: string, options: CompileOptions): Explanation } = {
  language: 'cql',
  extensions: ['.cql', '.logscale'],
  compile,
  analyze: explainCql,
};
