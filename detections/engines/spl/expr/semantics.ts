// Operator semantics of eval/where, with NULL kept distinct from "" (spl.md §1, §3).
//
// - Comparisons on NULL are NULL ([HEAD]: "if ... a value in field x does not exist, the
//   <eval-expression> evaluates to NULL instead of true or false").
// - Dual typing: two operands are compared as numbers when both are numbers or field values that
//   parse as numbers; a quoted literal is always a string ([INFO]: "a literal string in an evaluator
//   expression is considered a string, not a number"), else the comparison is a case-sensitive
//   string comparison ([WHERE]: "The <eval-expression> is case-sensitive"). UNSURE for mixed
//   number/string (spl.md §3), this is the documented model.
// - Multivalue operands: CHOICE (undocumented) — a comparison is TRUE when any value satisfies it.
// - Boolean sinks treat NULL as FALSE (where, if, case); NOT NULL is TRUE (one experiment, [QIITA],
//   setting `null-not=true`, the default) or NULL (`null-not=null`); AND/OR take NULL as FALSE
//   (setting `null-logic=false`, the default) or follow SQL three-valued logic
//   (`null-logic=three-valued`).
import { wildcardMatch } from '../glob.ts';
import { type EvalValue, type Scalar, asNumber, formatNumber, scalarText, valuesOf } from '../values.ts';

export interface NullSettings {
  notNull: 'true' | 'null';
  logic: 'false' | 'three-valued';
}

type Cmp = '=' | '==' | '!=' | '<' | '>' | '<=' | '>=';

function cmpScalars(op: Cmp, a: Scalar, b: Scalar, aLiteral: boolean, bLiteral: boolean): boolean {
  const na = aLiteral && typeof a === 'string' ? undefined : asNumber(a);
  const nb = bLiteral && typeof b === 'string' ? undefined : asNumber(b);
  let c: number;
  if (na !== undefined && nb !== undefined) c = na < nb ? -1 : na > nb ? 1 : 0;
  else {
    const sa = scalarText(a);
    const sb = scalarText(b);
    c = sa < sb ? -1 : sa > sb ? 1 : 0;
  }
  switch (op) {
    case '=':
    case '==':
      return c === 0;
    case '!=':
      return c !== 0;
    case '<':
      return c < 0;
    case '>':
      return c > 0;
    case '<=':
      return c <= 0;
    case '>=':
      return c >= 0;
  }
}

/** `a op b` → TRUE, FALSE or NULL. `aLiteral`/`bLiteral`: the operand is a quoted string literal. */
export function compare(op: Cmp, a: EvalValue, b: EvalValue, aLiteral = false, bLiteral = false): boolean | null {
  if (a === null || b === null) return null;
  if (typeof a === 'boolean' || typeof b === 'boolean') {
    if (typeof a !== 'boolean' || typeof b !== 'boolean') return null;
    return op === '!=' ? a !== b : op === '=' || op === '==' ? a === b : null;
  }
  if (!Array.isArray(a) && !Array.isArray(b)) return cmpScalars(op, a, b, aLiteral, bLiteral);
  for (const x of valuesOf(a)) for (const y of valuesOf(b)) if (cmpScalars(op, x, y, aLiteral, bLiteral)) return true;
  return false;
}

/** Truth of a value in a Boolean sink: only TRUE is true. */
export function isTrue(v: EvalValue): boolean {
  return v === true;
}

export function not(v: EvalValue, s: NullSettings): boolean | null {
  if (v === null) return s.notNull === 'true' ? true : null;
  return v !== true;
}

export function and(a: EvalValue, b: () => EvalValue, s: NullSettings): boolean | null {
  if (a === false) return false;
  const r = b();
  if (s.logic === 'false') return a === true && r === true;
  if (r === false) return false;
  return a === true && r === true ? true : null;
}

export function or(a: EvalValue, b: () => EvalValue, s: NullSettings): boolean | null {
  if (a === true) return true;
  const r = b();
  if (s.logic === 'false') return r === true;
  if (r === true) return true;
  return a === false && r === false ? false : null;
}

export function xor(a: EvalValue, b: EvalValue, s: NullSettings): boolean | null {
  if (a === null || b === null) return s.logic === 'false' ? (a === true) !== (b === true) : null;
  return (a === true) !== (b === true);
}

function single(v: EvalValue): Scalar | null | undefined {
  if (v === null) return null;
  if (typeof v === 'boolean' || Array.isArray(v)) return undefined;
  return v;
}

/**
 * Arithmetic ([EVAL]: "+ adds numbers or concatenates strings"; - * / % take numbers; division by
 * zero "results in a null field"). NULL, Booleans, multivalues and non-numbers give NULL; for `+`,
 * two strings that are not both numeric concatenate.
 */
export function arithmetic(op: '+' | '-' | '*' | '/' | '%', a: EvalValue, b: EvalValue, aLiteral: boolean, bLiteral: boolean): EvalValue {
  const x = single(a);
  const y = single(b);
  if (x === null || y === null || x === undefined || y === undefined) return null;
  const nx = aLiteral && typeof x === 'string' ? undefined : asNumber(x);
  const ny = bLiteral && typeof y === 'string' ? undefined : asNumber(y);
  if (nx === undefined || ny === undefined) {
    if (op === '+' && typeof x === 'string' && typeof y === 'string') return x + y;
    return null;
  }
  switch (op) {
    case '+':
      return nx + ny;
    case '-':
      return nx - ny;
    case '*':
      return nx * ny;
    case '/':
      return ny === 0 ? null : nx / ny;
    case '%':
      return ny === 0 ? null : nx % ny;
  }
}

/** `.` concatenation: numbers in their textual form; NULL if either side is NULL. */
export function concat(a: EvalValue, b: EvalValue): EvalValue {
  const x = single(a);
  const y = single(b);
  if (x === null || y === null || x === undefined || y === undefined) return null;
  return scalarText(x) + scalarText(y);
}

export function negate(a: EvalValue): EvalValue {
  const x = single(a);
  if (x === null || x === undefined) return null;
  const n = asNumber(x);
  return n === undefined ? null : -n;
}

/**
 * like(): `%` any run, `_` one character, whole-string match ([COND]). CHOICE: case-sensitive
 * (spl.md §2: "believed sensitive", UNSURE).
 */
export function likeMatch(s: string, pattern: string): boolean {
  return wildcardMatch(pattern, s, '%', '_');
}

/** Text of a single value for string functions (numbers formatted); undefined for NULL/Boolean. */
export function text(v: EvalValue): string | undefined {
  if (v === null || typeof v === 'boolean') return undefined;
  if (Array.isArray(v)) return undefined;
  return typeof v === 'number' ? formatNumber(v) : v;
}
