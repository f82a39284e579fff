// One event or result travelling through the pipeline: named field values in insertion order, the
// position of the input event it came from, and lazily computed views of `_raw` for the search
// command (lower-cased text, indexed tokens) that are dropped whenever `_raw` changes.
import { parseTime } from './time.ts';
import { type Value, valueFromInput } from './values.ts';

export class Row {
  readonly fields: Map<string, Value>;
  /** index of the input event (for whyNot and tie-breaking); -1 for generated rows */
  seq: number;
  /** `_time` of the input event as read (the initial search orders by it), NaN when none */
  eventTime = Number.NaN;
  private rawLowerCache: string | undefined;
  private rawTokenCache: RawTokens | undefined;

  constructor(fields: Map<string, Value> = new Map(), seq = -1) {
    this.fields = fields;
    this.seq = seq;
  }

  get(name: string): Value {
    const v = this.fields.get(name);
    return v === undefined ? null : v;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Sets a field; NULL removes it ("eval erases the value in the result field", spl.md §1). */
  set(name: string, v: Value): void {
    if (v === null || (Array.isArray(v) && v.length === 0)) this.fields.delete(name);
    else this.fields.set(name, v);
    if (name === '_raw') this.invalidateRaw();
  }

  delete(name: string): void {
    this.fields.delete(name);
    if (name === '_raw') this.invalidateRaw();
  }

  clone(): Row {
    return this.derive(new Map(this.fields));
  }

  /** A row with other fields but the same origin (input position and event time). */
  derive(fields: Map<string, Value>): Row {
    const r = new Row(fields, this.seq);
    r.eventTime = this.eventTime;
    return r;
  }

  /** `_raw` lower-cased, or undefined when the row has no `_raw`. */
  rawLower(): string | undefined {
    if (this.rawLowerCache === undefined) {
      const raw = this.fields.get('_raw');
      if (raw === undefined || raw === null) return undefined;
      this.rawLowerCache = (Array.isArray(raw) ? raw.join('\n') : String(raw)).toLowerCase();
    }
    return this.rawLowerCache;
  }

  rawTokens(build: (rawLower: string) => RawTokens): RawTokens | undefined {
    if (this.rawTokenCache === undefined) {
      const lower = this.rawLower();
      if (lower === undefined) return undefined;
      this.rawTokenCache = build(lower);
    }
    return this.rawTokenCache;
  }

  private invalidateRaw(): void {
    this.rawLowerCache = undefined;
    this.rawTokenCache = undefined;
  }
}

/** What the search command looks up in `_raw` (segment.ts builds it). */
export interface RawTokens {
  /** every indexed token (major segments and minor sub-tokens), lower case */
  all: Set<string>;
  /** whole major segments only (what TERM() matches), lower case */
  majors: Set<string>;
}

/**
 * A ViewEvent as a row. Keys are kept as given (field names are case-sensitive, [FNAMES]); nested
 * objects are flattened with dots (`a.b`), as Splunk's JSON extraction names them; `_time` becomes
 * epoch seconds (number) when it parses as a time, so that sorting, `bin` and strftime work.
 */
export function rowFromEvent(event: Record<string, unknown>, seq: number): Row {
  const fields = new Map<string, Value>();
  const put = (prefix: string, obj: Record<string, unknown>) => {
    for (const key in obj) {
      const raw = obj[key];
      const name = prefix + key;
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        put(`${name}.`, raw as Record<string, unknown>);
        continue;
      }
      const v = valueFromInput(raw);
      if (v !== null) fields.set(name, v);
    }
  };
  put('', event);
  const t = fields.get('_time');
  if (t !== undefined && t !== null && !Array.isArray(t)) {
    const epoch = parseTime(t);
    if (epoch !== undefined) fields.set('_time', epoch);
  }
  const row = new Row(fields, seq);
  const time = fields.get('_time');
  if (typeof time === 'number') row.eventTime = time;
  return row;
}
