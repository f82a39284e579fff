// The value model of the SPL engine.
//
// A field holds a string (as extracted: dual-typed, usable as a number when it parses as one,
// spl.md §3 [INFO] "values that can be processed as either strings or numeric values based on their
// context"), a number (JSON input, eval arithmetic), or a multivalue list. A missing field is NULL
// (spl.md §1: "A field absent from the event; distinct from "" and 0"). Booleans exist only inside
// expressions: "The result of an eval expression cannot be a Boolean" [EVAL].

export type Scalar = string | number;
/** A field value: NULL, a single value, or a multivalue (two or more values). */
export type Value = Scalar | Scalar[] | null;
/** An expression value: a field value or a Boolean (TRUE/FALSE; NULL stays null). */
export type EvalValue = Value | boolean;

const NUMERIC = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a value stands for when used numerically, or undefined when it is not a number. */
export function asNumber(v: Scalar): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return NUMERIC.test(v) ? Number(v) : undefined;
}

/**
 * The textual form of a number as results show it: integers without a fraction, others in the
 * shortest round-trip form. CHOICE (undocumented): Splunk's exact float formatting is not pinned
 * down by the sources; shortest round-trip is what `tostring()` users most often see.
 */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

export function scalarText(v: Scalar): string {
  return typeof v === 'number' ? formatNumber(v) : v;
}

/** The values of a field as a list (NULL → [], single → [v]). */
export function valuesOf(v: Value): Scalar[] {
  if (v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A list of values as a field value: [] → NULL, [x] → x, more → multivalue. */
export function fromValues(list: Scalar[]): Value {
  if (list.length === 0) return null;
  if (list.length === 1) return list[0]!;
  return list;
}

/**
 * A ViewEvent value as a field value. Strings and finite numbers are kept; booleans become
 * "true"/"false" (JSON extraction yields text); null/undefined are a missing field; arrays are
 * multivalue; nested objects are flattened by the caller (see rowFromEvent).
 */
export function valueFromInput(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) {
    const out: Scalar[] = [];
    for (const x of v) {
      const s = valueFromInput(x);
      if (s === null) continue;
      if (Array.isArray(s)) out.push(...s);
      else out.push(s);
    }
    return fromValues(out);
  }
  return JSON.stringify(v);
}

/** Type name as typeof() reports it ([INFO]: "NumberStringBoolInvalid"). */
export function typeName(v: EvalValue): string {
  if (v === null) return 'Invalid';
  if (typeof v === 'boolean') return 'Bool';
  if (typeof v === 'number') return 'Number';
  if (Array.isArray(v)) return 'Multivalue';
  return 'String';
}
