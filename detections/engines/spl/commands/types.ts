// What a command compiles to: a per-row transform (streaming commands) or a whole-result transform
// (everything that needs all results or their order), plus its parsed form for explain and lints.
import type { Expr, StrLit } from '../expr/ast.ts';
import type { ExprContext, Tracer } from '../expr/compile.ts';
import type { Runtime } from '../functions/index.ts';
import type { CommandText } from '../pipeline.ts';
import type { Row } from '../row.ts';
import type { SearchLeaf, SearchNode } from '../search/ast.ts';
import type { SearchContext } from '../search/match.ts';
import type { SplSource } from '../source.ts';

export interface FieldToken {
  name: string;
  offset: number;
}

export type CommandAst =
  | { k: 'search'; node: SearchNode | undefined }
  | { k: 'where'; expr: Expr }
  | { k: 'eval'; assignments: { target: string; offset: number; expr: Expr }[] }
  | { k: 'fields'; mode: 'keep' | 'remove' | 'table'; fields: FieldToken[] }
  | { k: 'rename'; pairs: { from: string; to: string; offset: number }[] }
  | { k: 'sort'; count: number | undefined; keys: { field: string; descending: boolean; offset: number }[] }
  | { k: 'bin'; field: FieldToken | undefined; span: string | undefined }
  | { k: 'stats'; aggregations: { fn: string; field: string | undefined; as: string; offset: number }[]; by: FieldToken[] }
  | { k: 'rex'; field: string; regex: StrLit | undefined }
  | { k: 'regex'; field: string; negated: boolean; regex: StrLit }
  | { k: 'dedup'; fields: FieldToken[] }
  | { k: 'other' };

export interface CompiledCommand {
  name: string;
  text: CommandText;
  ast: CommandAst;
  /** per-row: the row (possibly changed), null to drop it, or several rows */
  stream?: (row: Row) => Row | null | Row[];
  /** the whole result set at once (order-dependent or aggregating commands) */
  run?: (rows: Row[]) => Row[];
  /** generates rows without input (makeresults) */
  generate?: () => Row[];
}

/** Tracers whyNot passes to record what each predicate saw. */
export interface Tracing {
  expr: Tracer;
  search(leaf: SearchLeaf, outcome: boolean, row: Row): void;
}

export interface EngineSettings {
  /** `bin` without a field: bin `_time` (default) or reject the rule */
  binWithoutField: 'time' | 'error';
}

export interface CommandContext {
  src: SplSource;
  runtime: Runtime;
  settings: EngineSettings;
  expr: ExprContext;
  search: SearchContext;
  tracing?: Tracing;
}

export type CommandCompiler = (cmd: CommandText, ctx: CommandContext) => CompiledCommand;
