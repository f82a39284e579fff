// The eval/where expression tree. Offsets are in the expanded text (SplSource.pos turns them into
// the user's line:column).

export type BinaryOp = 'AND' | 'OR' | 'XOR' | '=' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '+' | '-' | '*' | '/' | '%' | '.' | 'LIKE';

interface Node {
  offset: number;
  end: number;
}

export interface NumLit extends Node {
  k: 'num';
  value: number;
}

export interface StrLit extends Node {
  k: 'str';
  value: string;
  /** expanded-text offset of each character of `value` (for regex error positions) */
  charOffsets: number[];
}

export interface FieldRef extends Node {
  k: 'field';
  name: string;
  /** written as 'name' */
  quoted: boolean;
}

export interface Call extends Node {
  k: 'call';
  /** lower case */
  name: string;
  args: Expr[];
}

export interface Binary extends Node {
  k: 'bin';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  opOffset: number;
}

export interface Unary extends Node {
  k: 'not' | 'neg';
  operand: Expr;
}

export interface InList extends Node {
  k: 'in';
  operand: Expr;
  list: Expr[];
}

export interface Paren extends Node {
  k: 'paren';
  inner: Expr;
}

export type Expr = NumLit | StrLit | FieldRef | Call | Binary | Unary | InList | Paren;

export const COMPARISONS = new Set<BinaryOp>(['=', '==', '!=', '<', '>', '<=', '>=']);
export const LOGICAL = new Set<BinaryOp>(['AND', 'OR', 'XOR']);

/** Every node of a tree, depth first, parents before children. */
export function* walk(e: Expr): Generator<Expr> {
  yield e;
  switch (e.k) {
    case 'call':
      for (const a of e.args) yield* walk(a);
      break;
    case 'bin':
      yield* walk(e.left);
      yield* walk(e.right);
      break;
    case 'not':
    case 'neg':
      yield* walk(e.operand);
      break;
    case 'in':
      yield* walk(e.operand);
      for (const a of e.list) yield* walk(a);
      break;
    case 'paren':
      yield* walk(e.inner);
      break;
    default:
  }
}

/** The expression without enclosing parentheses. */
export function unparen(e: Expr): Expr {
  while (e.k === 'paren') e = e.inner;
  return e;
}

/** Field names an expression reads. */
export function fieldsRead(e: Expr): string[] {
  const out: string[] = [];
  for (const n of walk(e)) if (n.k === 'field' && !out.includes(n.name)) out.push(n.name);
  return out;
}
