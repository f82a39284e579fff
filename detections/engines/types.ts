// The engine seam shared by SPL, LogScale (CQL) and Sigma:
//   compile(ruleText) → CompiledRule; rule.evaluate(view events) → result rows.
// Engines never read files or print: the CLI commands and the verdict code do that.
import type { SourcePosition } from '../../harness/core/errors.ts';

export type Language = 'spl' | 'cql' | 'sigma';

/** Which product view an engine evaluates over (harness/telemetry/views). */
export type ViewName = 'splunk' | 'falcon' | 'sigma';

/**
 * One event as the product sees it: a flat object whose keys are the product's field names.
 * Values as given: strings mostly; JSON input may carry numbers, booleans, null or arrays
 * (multivalue). Engines apply the product's own typing rules to them.
 */
export type ViewEvent = Record<string, unknown>;

/**
 * A result row as the product exports it: every value a string (numbers in their textual form),
 * multivalue fields as arrays of strings, null fields omitted.
 */
export type ResultRow = Record<string, string | string[]>;

export interface CompileOptions {
  /** the rule's path, used in every error position */
  file: string;
  /** SPL: macro name (with arity suffix `name(2)` when it takes arguments) → definition */
  macros?: ReadonlyMap<string, MacroDefinition>;
  /** engine-specific switches, e.g. CQL `groupby-missing=drop|keep` */
  settings?: Readonly<Record<string, string>>;
}

export interface MacroDefinition {
  name: string;
  args: string[];
  definition: string;
  /** where it was defined */
  source?: SourcePosition;
}

export interface RuleMetadata {
  title?: string;
  id?: string;
  description?: string;
  level?: string;
  tags?: string[];
}

export interface CompiledRule {
  language: Language;
  file: string;
  meta: RuleMetadata;
  /** the view this rule reads by default */
  view: ViewName;
  /**
   * Runs the rule over events in input order and yields rows in the order the query produces them
   * (for Sigma: each matching event, as given, plus "sigma.rule_id" and "sigma.title").
   */
  evaluate(events: AsyncIterable<ViewEvent> | Iterable<ViewEvent>): AsyncIterable<ResultRow>;
  /**
   * Optional literal prefilter (performance.md): clauses of lower-case literals. An event none of
   * whose field values contains any literal of some clause (case-insensitively) cannot produce or
   * change a result, so a reader may skip it unparsed — e.g. by testing the text of a flat JSON line
   * of view fields. Not valid against raw formats whose view adds values (index, sourcetype, CIM
   * fields). The engine applies it itself to the events given to evaluate().
   */
  prefilter?: readonly (readonly string[])[];
  /** For a miss: the predicates that were false on the events nearest to matching. */
  whyNot(events: readonly ViewEvent[], options?: { limit?: number }): MissExplanation;
  /** Static analysis for `atomic-lab explain`. */
  explain(): Explanation;
}

export interface Engine {
  language: Language;
  /** file extensions, lower case with the dot */
  extensions: readonly string[];
  /** throws RuleError (exit 2) with the product-style reason and line:column */
  compile(text: string, options: CompileOptions): CompiledRule;
  /**
   * Optional: static analysis of a rule that may not compile (e.g. the verbatim seed CQL rule), for
   * `atomic-lab explain`. The compile errors appear as lints of severity 'error'. Throws RuleError
   * only when the text cannot be parsed at all.
   */
  analyze?(text: string, options: CompileOptions): Explanation;
}

// ---------------------------------------------------------------------------------------------
// explain

export interface Predicate {
  /** the predicate as written in the rule */
  text: string;
  field?: string;
  operator?: string;
  values?: string[];
  position?: SourcePosition;
}

export interface Stage {
  index: number;
  /** command or section name: search, where, eval, case branch, selection, condition, ... */
  name: string;
  text: string;
  position?: SourcePosition;
  predicates: Predicate[];
}

export interface Indicator {
  field: string;
  /** eq, match, regex, contains, startswith, in, ... */
  operator: string;
  values: string[];
  position?: SourcePosition;
}

export interface SearchTerm {
  stage: number;
  term: string;
  position?: SourcePosition;
}

export interface LintFinding {
  /** stable code, e.g. SPL_COALESCE_EMPTY_STRING */
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  position?: SourcePosition;
}

export interface Explanation {
  language: Language;
  file: string;
  meta: RuleMetadata;
  stages: Stage[];
  indicators: Indicator[];
  terms: SearchTerm[];
  lints: LintFinding[];
  /** engine-specific structure (Sigma selections and condition tree, ...) */
  details?: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// why a rule did not fire

export interface PredicateOutcome {
  predicate: string;
  position?: SourcePosition;
  /** what the event had instead, e.g. 'ParentImage is missing', 'Image = "C:\\...\\cmd.exe"' */
  detail?: string;
}

export interface NearMiss {
  /** index of the event in the input given to whyNot */
  eventIndex: number;
  passed: PredicateOutcome[];
  failed: PredicateOutcome[];
}

export interface MissExplanation {
  /** the events nearest to matching, best first */
  nearest: NearMiss[];
  /** one sentence for a person reading a red run */
  summary: string;
}
