// Problems found while loading a Sigma rule. Every problem has a position (file:line:column) and a
// kind: 'error' (the rule is invalid under the specification, as pySigma would refuse it) or
// 'unsupported' (valid Sigma that this engine does not evaluate, e.g. correlation rules or a regex
// feature RE2 lacks). compile() throws the first one as a RuleError; checkRules() collects them all
// (pySigma's collect_errors mode).
import { RuleError, type SourcePosition } from '../../../harness/core/errors.ts';

export type ProblemKind = 'error' | 'unsupported';

export interface Problem {
  file: string;
  line?: number;
  column?: number;
  reason: string;
  kind: ProblemKind;
  /** stable code, e.g. E_SIGMA_MODIFIER */
  code: string;
}

export interface Pos {
  line: number;
  column: number;
}

export class Diagnostics {
  readonly problems: Problem[] = [];
  constructor(readonly file: string) {}

  add(code: string, reason: string, pos?: Pos, kind: ProblemKind = 'error'): void {
    this.problems.push({ file: this.file, ...(pos ? { line: pos.line, column: pos.column } : {}), reason, kind, code });
  }

  unsupported(reason: string, pos?: Pos): void {
    this.add('E_SIGMA_UNSUPPORTED', reason, pos, 'unsupported');
  }

  get failed(): boolean {
    return this.problems.length > 0;
  }
}

export function problemToError(p: Problem, more: readonly Problem[] = []): RuleError {
  const pos: SourcePosition = { file: p.file };
  if (p.line !== undefined) pos.line = p.line;
  if (p.column !== undefined) pos.column = p.column;
  // the code (E_SIGMA_UNSUPPORTED) tells an unsupported feature from an invalid rule
  return new RuleError(p.code, p.reason, pos, { more: more.map((m) => problemToError(m)) });
}

/** One RuleError for all the problems of a file: the first, with the others in `more`. */
export function problemsToError(problems: readonly Problem[]): RuleError {
  return problemToError(problems[0]!, problems.slice(1));
}

/** Thrown inside a compile step to abandon one item; the problem is already recorded. */
export class Abandon extends Error {
  constructor() {
    super('abandoned');
  }
}
