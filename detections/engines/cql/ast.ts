// Syntax tree of a LogScale query. Every node carries `start`/`end` offsets into the query text;
// source.ts turns them into line:column.

export interface Span {
  start: number;
  end: number;
}

export interface Pipeline extends Span {
  kind: 'pipeline';
  steps: Step[];
}

export type Step =
  | (Span & { kind: 'filter'; expr: FilterExpr })
  | (Span & { kind: 'case'; clauses: Pipeline[] })
  | (Span & { kind: 'assign'; field: string; fieldSpan: Span; expr: Expr })
  | (Span & { kind: 'call'; call: Call });

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'like';

/** the right side of a field filter or a free-text term */
export type Pattern =
  | (Span & { kind: 'string'; text: string; quoted: boolean })
  | (Span & { kind: 'regex'; pattern: string; flags: string; patternStart: number });

export type FilterExpr =
  | (Span & { kind: 'and'; items: FilterExpr[] })
  | (Span & { kind: 'or'; items: FilterExpr[] })
  | (Span & { kind: 'not'; item: FilterExpr })
  | (Span & { kind: 'compare'; field: string; fieldSpan: Span; op: CompareOp; value: Pattern })
  | (Span & { kind: 'freetext'; value: Pattern })
  | (Span & { kind: 'call'; call: Call })
  | (Span & { kind: 'all' });

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '+' | '-' | '*' | '/' | '%';

export type Expr =
  | (Span & { kind: 'str'; value: string })
  | (Span & { kind: 'num'; value: string })
  | (Span & { kind: 'field'; name: string })
  | (Span & { kind: 'call'; call: Call })
  | (Span & { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr })
  | (Span & { kind: 'unary'; op: '-' | '!'; operand: Expr })
  | (Span & { kind: 'array'; items: Expr[] })
  | (Span & { kind: 'regex'; pattern: string; flags: string })
  | (Span & { kind: 'subquery'; pipeline: Pipeline });

export interface Call extends Span {
  name: string;
  nameSpan: Span;
  args: Arg[];
  /** written as `!f(...)` or `not f(...)` */
  negated: boolean;
}

export interface Arg extends Span {
  name?: string;
  nameSpan?: Span;
  value: Expr;
}
