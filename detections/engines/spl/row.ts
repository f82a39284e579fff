// One event or result travelling through the pipeline.
//
// Lazy extraction (performance.md): a row made from an input event reads the event's fields only
// when a command asks for them, converting each on first use; changes are kept beside the event.
// Only when a command needs the whole field list (table, stats, output) is the row materialised
// into an ordered map. `_raw`'s lower-cased text and token set are cached and dropped whenever
// `_raw` changes.
import { parseTime } from './time.ts';
import { type Value, valueFromInput } from './values.ts';

/** What the search command looks up in `_raw` (segment.ts builds it). */
export interface RawTokens {
  /** every indexed token (major segments and minor sub-tokens), lower case */
  all: Set<string>;
  /** whole major segments only (what TERM() matches), lower case */
  majors: Set<string>;
}

type Event = Record<string, unknown>;

/** A field of an input event: its own key, or a dotted path into nested objects (`a.b`). */
function readEventField(event: Event, name: string): Value {
  const v = event[name];
  if (v !== undefined) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return null;
    const value = valueFromInput(v);
    if (name === '_time' && value !== null && !Array.isArray(value)) return parseTime(value) ?? value;
    return value;
  }
  if (!name.includes('.')) return null;
  let cur: unknown = event;
  for (const part of name.split('.')) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return null;
    cur = (cur as Event)[part];
  }
  if (cur === undefined || (cur !== null && typeof cur === 'object' && !Array.isArray(cur))) return null;
  return valueFromInput(cur);
}

/** Every field of an input event in key order, nested objects flattened with dots. */
function eventFields(event: Event): Map<string, Value> {
  const out = new Map<string, Value>();
  const put = (prefix: string, obj: Event) => {
    for (const key in obj) {
      const raw = obj[key];
      const name = prefix + key;
      if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
        put(`${name}.`, raw as Event);
        continue;
      }
      const v = name === '_time' ? readEventField(obj, key) : valueFromInput(raw);
      if (v !== null) out.set(name, v);
    }
  };
  put('', event);
  return out;
}

export class Row {
  /** the input event, while the row has not been materialised */
  private event: Event | undefined;
  /** fields read or changed on top of the event; NULL = removed */
  private overlay: Map<string, Value> | undefined;
  /** all fields in order, once materialised */
  private map: Map<string, Value> | undefined;
  /** index of the input event (for whyNot and tie-breaking); -1 for generated rows */
  seq: number;
  private time: number | undefined;
  private rawLowerCache: string | undefined;
  private rawTokenCache: RawTokens | undefined;

  constructor(fields: Map<string, Value> = new Map(), seq = -1) {
    this.map = fields;
    this.seq = seq;
  }

  /** A row over an input event (fields read on demand). */
  static ofEvent(event: Event, seq: number): Row {
    const r = new Row(undefined, seq);
    r.map = undefined;
    r.event = event;
    return r;
  }

  /** `_time` of the input event as read (the initial search orders by it), NaN when none. */
  get eventTime(): number {
    if (this.time === undefined) {
      const t = this.event ? readEventField(this.event, '_time') : this.get('_time');
      this.time = typeof t === 'number' ? t : Number.NaN;
    }
    return this.time;
  }

  get(name: string): Value {
    if (this.map) return this.map.get(name) ?? null;
    let v = this.overlay?.get(name);
    if (v === undefined) {
      v = readEventField(this.event!, name);
      (this.overlay ??= new Map()).set(name, v);
    }
    return v;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  /** Sets a field; NULL removes it ("eval erases the value in the result field", spl.md §1). */
  set(name: string, v: Value): void {
    const value = v === null || (Array.isArray(v) && v.length === 0) ? null : v;
    if (this.map) {
      if (value === null) this.map.delete(name);
      else this.map.set(name, value);
    } else (this.overlay ??= new Map()).set(name, value);
    if (name === '_raw') this.invalidateRaw();
  }

  delete(name: string): void {
    this.set(name, null);
  }

  /** The fields in order (the event's, then new ones), materialising the row. */
  entries(): Map<string, Value> {
    if (!this.map) {
      const m = eventFields(this.event!);
      for (const [k, v] of this.overlay ?? []) {
        if (v === null) m.delete(k);
        else m.set(k, v);
      }
      this.time ??= this.eventTime;
      this.map = m;
      this.event = undefined;
      this.overlay = undefined;
    }
    return this.map;
  }

  names(): IterableIterator<string> {
    return this.entries().keys();
  }

  clone(): Row {
    return this.derive(new Map(this.entries()));
  }

  /** A row with other fields but the same origin (input position and event time). */
  derive(fields: Map<string, Value>): Row {
    const r = new Row(fields, this.seq);
    r.time = this.eventTime;
    return r;
  }

  /** `_raw` lower-cased, or undefined when the row has no `_raw`. */
  rawLower(): string | undefined {
    if (this.rawLowerCache === undefined) {
      const raw = this.get('_raw');
      if (raw === null) return undefined;
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

/**
 * A ViewEvent as a row. Keys are kept as given (field names are case-sensitive, [FNAMES]); nested
 * objects are flattened with dots (`a.b`), as Splunk's JSON extraction names them; `_time` becomes
 * epoch seconds (number) when it parses as a time, so that sorting, `bin` and strftime work.
 */
export function rowFromEvent(event: Event, seq: number): Row {
  return Row.ofEvent(event, seq);
}
