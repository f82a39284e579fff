// The search-command expression tree (offsets in the expanded text).

interface Node {
  offset: number;
  end: number;
}

export type SearchOp = '=' | '!=' | '<' | '>' | '<=' | '>=';

export interface AndNode extends Node {
  k: 'and';
  items: SearchNode[];
}

export interface OrNode extends Node {
  k: 'or';
  items: SearchNode[];
  /** offsets of the OR keywords */
  ors: number[];
}

export interface NotNode extends Node {
  k: 'not';
  item: SearchNode;
}

export interface GroupNode extends Node {
  k: 'group';
  item: SearchNode;
}

/** field op value (`Image=*\msiexec.exe`, `EventCode!=4688`, `count>10`) */
export interface CmpNode extends Node {
  k: 'cmp';
  field: string;
  op: SearchOp;
  value: string;
  quoted: boolean;
  valueOffset: number;
}

export interface InNode extends Node {
  k: 'in';
  field: string;
  values: string[];
}

/** a bare term (quoted = a quoted phrase); both are looked up in `_raw` */
export interface TermNode extends Node {
  k: 'term';
  value: string;
  quoted: boolean;
}

/** TERM(x): x as one token bounded by major breakers; CASE(x): case-sensitive term */
export interface DirectiveNode extends Node {
  k: 'TERM' | 'CASE';
  value: string;
}

/** `*`: every event */
export interface AllNode extends Node {
  k: 'all';
}

/** earliest= / latest= time modifiers */
export interface TimeNode extends Node {
  k: 'time';
  bound: 'earliest' | 'latest';
  value: string;
}

export type SearchNode = AndNode | OrNode | NotNode | GroupNode | CmpNode | InNode | TermNode | DirectiveNode | AllNode | TimeNode;

export type SearchLeaf = CmpNode | InNode | TermNode | DirectiveNode | AllNode | TimeNode;

export function isLeaf(n: SearchNode): n is SearchLeaf {
  return n.k !== 'and' && n.k !== 'or' && n.k !== 'not' && n.k !== 'group';
}

export function* searchLeaves(n: SearchNode): Generator<SearchLeaf> {
  if (isLeaf(n)) yield n;
  else if (n.k === 'and' || n.k === 'or') for (const i of n.items) yield* searchLeaves(i);
  else yield* searchLeaves(n.item);
}

export function* searchNodes(n: SearchNode): Generator<SearchNode> {
  yield n;
  if (n.k === 'and' || n.k === 'or') for (const i of n.items) yield* searchNodes(i);
  else if (n.k === 'not' || n.k === 'group') yield* searchNodes(n.item);
}
