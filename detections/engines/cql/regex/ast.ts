// Abstract syntax of a LogScale regular expression, after the product's own syntax (cql.md §7,
// [RXSYN]). The parser rejects what LogScale rejects; the emitters turn the tree into JavaScript or
// RE2 source with the same meaning.

/** A set of UTF-16 code unit ranges, plus named shorthand classes kept symbolic. */
export interface ClassItem {
  kind: 'range' | 'shorthand';
  from?: number;
  to?: number;
  /** d D s S w W */
  shorthand?: string;
}

export type RxNode =
  | { type: 'empty' }
  | { type: 'char'; code: number; fold: boolean }
  | { type: 'class'; negated: boolean; items: ClassItem[]; fold: boolean }
  | { type: 'dot'; dotAll: boolean }
  | { type: 'assert'; kind: 'start' | 'end' | 'lineStart' | 'lineEnd' | 'wordB' | 'notWordB' | 'textStart' | 'textEndNl' | 'textEnd' }
  | { type: 'group'; capture: boolean; name?: string; index?: number; body: RxNode }
  | { type: 'look'; ahead: true; negative: boolean; body: RxNode }
  | { type: 'seq'; items: RxNode[] }
  | { type: 'alt'; branches: RxNode[] }
  | { type: 'repeat'; min: number; max: number; lazy: boolean; body: RxNode };

export interface RxFlags {
  /** i: ignore case */
  i: boolean;
  /** m: ^ and $ at line boundaries */
  m: boolean;
  /** d (LogScale) / s (inline): dot matches newline */
  d: boolean;
}

export interface ParsedRegex {
  root: RxNode;
  /** capture groups in order; name undefined for unnamed groups */
  groups: Array<{ index: number; name?: string }>;
  hasLookaround: boolean;
}
