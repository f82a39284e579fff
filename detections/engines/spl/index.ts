// The embedded SPL engine: Splunk search semantics over view events (spl.md).
//
// Settings (CompileOptions.settings), each a documented open point of spl.md:
//   now=<epoch seconds>             fixes now() / relative time modifiers (default: the clock)
//   null-not=true|null              NOT of NULL (default true, [QIITA] experiment, spl.md §1)
//   null-logic=false|three-valued   NULL inside AND/OR (default false: NULL acts as FALSE)
//   bin-without-field=time|error    `bin span=1s` with no field (default: bin _time + a lint)
//   prefilter=on|off                skip events that lack the rule's required literals (default on)
import { RuleError } from '../../../harness/core/errors.ts';
import type { CompileOptions, CompiledRule, Engine, Explanation, RuleMetadata, ViewEvent } from '../types.ts';
import { findComments } from './comments.ts';
import type { EngineSettings } from './commands/types.ts';
import type { NullSettings } from './expr/semantics.ts';
import { explainPipeline } from './explain.ts';
import { preprocess } from './preprocess.ts';
import { type PipelineOptions, compilePipeline, runPipeline } from './runtime.ts';
import { derivePrefilter, prefilterEventTest } from './prefilter.ts';
import { SPL_ERRORS } from './source.ts';
import { explainMiss } from './whynot.ts';

export { loadMacros } from './macros.ts';

function choice<T extends string>(settings: Readonly<Record<string, string>>, key: string, allowed: readonly T[], fallback: T, file: string): T {
  const v = settings[key];
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw new RuleError(SPL_ERRORS.setting, `setting ${key}=${v}: expected one of ${allowed.join(', ')}`, { file });
  }
  return v as T;
}

export function pipelineOptions(options: CompileOptions): PipelineOptions {
  const s = options.settings ?? {};
  const nulls: NullSettings = {
    notNull: choice(s, 'null-not', ['true', 'null'], 'true', options.file),
    logic: choice(s, 'null-logic', ['false', 'three-valued'], 'false', options.file),
  };
  const settings: EngineSettings = { binWithoutField: choice(s, 'bin-without-field', ['time', 'error'], 'time', options.file) };
  let now: number | undefined;
  if (s.now !== undefined) {
    now = Number(s.now);
    if (!Number.isFinite(now)) throw new RuleError(SPL_ERRORS.setting, `setting now=${s.now}: expected epoch seconds`, { file: options.file });
  }
  return { settings, nulls, ...(now !== undefined ? { now } : {}) };
}

/** Title of a rule: the first line of a comment that opens the file. */
function metadata(text: string): RuleMetadata {
  const first = findComments(text)[0];
  if (!first || text.slice(0, first.offset).trim() !== '') return {};
  const title = first.text.split('\n')[0]!.trim();
  return title ? { title } : {};
}

export const splEngine: Engine = {
  language: 'spl',
  extensions: ['.spl'],
  /**
   * explain for a rule that does not compile: the commands that do are analysed as usual, the
   * others stay as bare stages; the compile errors come back as 'error' lints. A rule whose text
   * cannot be split into commands (macros, quotes, comments) still throws.
   */
  analyze(text: string, options: CompileOptions): Explanation {
    const src = preprocess(text, options.file, options.macros);
    const errors: RuleError[] = [];
    const pipeline = compilePipeline(src, { ...pipelineOptions(options), lenient: (e) => errors.push(...e.all()) });
    const x = explainPipeline(pipeline, metadata(text));
    x.lints.unshift(...errors.map((e) => ({ code: e.code, severity: 'error' as const, message: e.message, ...(e.position ? { position: e.position } : {}) })));
    return x;
  },
  compile(text: string, options: CompileOptions): CompiledRule {
    const opts = pipelineOptions(options);
    const src = preprocess(text, options.file, options.macros);
    const pipeline = compilePipeline(src, opts);
    const meta = metadata(text);
    const clauses = derivePrefilter(pipeline.commands, pipeline.streamingPrefix);
    const usePrefilter = choice(options.settings ?? {}, 'prefilter', ['on', 'off'], 'on', options.file) === 'on' && clauses.length > 0;
    const skip = usePrefilter ? prefilterEventTest(clauses) : undefined;
    let explanation: Explanation | undefined;
    return {
      language: 'spl',
      file: options.file,
      meta,
      view: 'splunk',
      ...(clauses.length > 0 ? { prefilter: clauses } : {}),
      evaluate: (events) => runPipeline(pipeline, events as Iterable<Record<string, unknown>>, skip),
      whyNot: (events: readonly ViewEvent[], o?: { limit?: number }) => explainMiss(src, opts, events, o?.limit),
      explain: () => (explanation ??= explainPipeline(pipeline, meta)),
    };
  },
};
