// The values a modifier chain works on, and the event-side value they are compared with.
import type { SigmaString } from '../sigma-string.ts';

export type Val =
  | { t: 'str'; s: SigmaString; raw?: string }
  | { t: 'num'; n: number }
  | { t: 'bool'; b: boolean }
  | { t: 'null' }
  | { t: 're'; source: string; flags: string }
  | { t: 'cidr'; text: string }
  | { t: 'ref'; field: string; mode: 'eq' | 'startswith' | 'endswith' | 'contains' };

/**
 * Values after transformation: the outer list is linked by OR (AND with `all`); each inner list
 * holds alternatives of one written value (windash, base64offset expansions), always OR.
 */
export type ValGroups = Val[][];

/** One field of one event as the matchers see it; computed once per event and field. */
export interface FieldValue {
  raw: unknown;
  /** textual forms: one per element for arrays (multivalue), numbers/booleans in their text form */
  strs: string[];
  /** lower-cased forms, filled on first use */
  lowers?: string[];
}

export function lowers(fv: FieldValue): string[] {
  return (fv.lowers ??= fv.strs.map((s) => s.toLowerCase()));
}

export function toFieldValue(raw: unknown): FieldValue {
  if (typeof raw === 'string') return { raw, strs: [raw] };
  const strs: string[] = [];
  const add = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) v.forEach(add);
    else if (typeof v === 'object') strs.push(JSON.stringify(v));
    else strs.push(String(v));
  };
  add(raw);
  return { raw, strs };
}

/** Test of one (transformed) value against a present, non-null field. */
export type Lookup = (field: string) => FieldValue | null | 'unsupported';
/** true/false, or undefined when the answer depends on a field the log source lacks */
export type ValueTest = (fv: FieldValue, lookup: Lookup) => boolean | undefined;
