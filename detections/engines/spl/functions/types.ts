// The shape of an eval function: arity, static return type, which arguments must be Boolean or are
// regexes, and the implementation (eager over values, or lazy over argument thunks).
import type { Call } from '../expr/ast.ts';
import type { NullSettings } from '../expr/semantics.ts';
import type { StaticType } from '../expr/types.ts';
import type { SplRegex } from '../regex.ts';
import type { Row } from '../row.ts';
import type { EvalValue } from '../values.ts';

/** Per-run state shared by every compiled expression of a rule. */
export interface Runtime {
  /** search start time, epoch seconds (now()) */
  now: number;
  nulls: NullSettings;
}

export interface CallInfo {
  node: Call;
  /** argument i is a quoted string literal */
  literal: boolean[];
  /** the regex of argument i: precompiled for a literal, cached otherwise; null when invalid */
  regex(i: number, pattern: string): SplRegex | null;
  runtime: Runtime;
}

export type Thunk = (row: Row) => EvalValue;

export interface FnSpec {
  min: number;
  max: number;
  returns: StaticType | ((args: StaticType[]) => StaticType);
  /** arguments that must be Boolean expressions */
  boolArgs?(i: number, n: number): boolean;
  /** arguments that are PCRE patterns */
  regexArgs?: number[];
  /** extra arity rule (e.g. case() takes pairs) */
  arity?(n: number): boolean;
  eager?(args: EvalValue[], call: CallInfo): EvalValue;
  lazy?(args: Thunk[], row: Row, call: CallInfo): EvalValue;
}
