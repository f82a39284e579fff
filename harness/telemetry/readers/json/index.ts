// JSON inputs → canonical events. Each object is classified by its shape (telemetry.md §3):
//
// | shape                         | flatJson 'view' (detect)              | flatJson 'normalize' (events, replay)       |
// |-------------------------------|---------------------------------------|---------------------------------------------|
// | {"Event":{…}} Rust evtx / PS  | parsed to a WinEvent, normalized      | same                                        |
// | {"result":{…}} Splunk export  | the result object, flat, as-is        | `_raw` holding event XML is parsed; else flat |
// | Falcon FDR / LogScale         | flat, as-is                           | FalconNormalizer (record.type 'falcon')     |
// | OTRF / nxlog flat Windows     | flat, as-is                           | parsed to a WinEvent, normalized            |
// | any other object              | flat, as-is                           | flat, as-is                                 |
//
// Flat means kind 'raw', record.type 'flat' with the object's own keys (CONTRACTS.md: the
// product's own view, no renaming). A value that is not an object (a number, a nested array) is
// an input error naming its line.
import { InputError } from '../../../core/errors.ts';
import type { CanonicalEvent, EventOrigin, Sensor, SourceFormat, WinEvent } from '../../model.ts';
import { FalconNormalizer, isFalconObject } from '../../normalize/falcon.ts';
import { normalizeWinEvent } from '../../normalize/windows.ts';
import type { ReadOptions } from '../types.ts';
import { eventJsonFormat, isEventJson, winEventFromJson } from './event-json.ts';
import { isOtrfObject, winEventFromOtrf } from './otrf.ts';
import { jsonBatches } from './values.ts';

type Obj = Record<string, unknown>;

/** Parses Windows event XML held in a JSON field (Splunk `_raw`); provided by the XML reader. */
export type XmlParser = (text: string) => WinEvent[];

const SPLUNK_ENVELOPE = new Set(['preview', 'offset', 'lastrow', 'result', 'messages', 'init_offset']);

function isSplunkExport(o: Obj): boolean {
  const r = o.result;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) return false;
  for (const k in o) if (!SPLUNK_ENVELOPE.has(k)) return false;
  return true;
}

/** A best-effort time for a flat object (its own fields stay untouched). */
function flatTime(o: Obj): string {
  const v = o._time ?? o['@timestamp'] ?? o.timestamp ?? o.TimeCreated ?? o.UtcTime;
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function flatHost(o: Obj): string | undefined {
  const v = o.host ?? o.Computer ?? o.Hostname ?? o.ComputerName ?? o.aid;
  return typeof v === 'string' ? v : undefined;
}

function flatEvent(fields: Obj, format: SourceFormat, sensor: Sensor, file: string, line: number): CanonicalEvent {
  const origin: EventOrigin = { format, sensor, file, line, synthetic: false };
  const e: CanonicalEvent = { kind: 'raw', time: flatTime(fields), platform: 'unknown', origin, record: { type: 'flat', fields } };
  const host = flatHost(fields);
  if (host !== undefined) e.host = host;
  return e;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

export async function* readJson(
  head: Buffer,
  chunks: AsyncIterable<Buffer>,
  options: ReadOptions,
  parseXml: XmlParser | undefined,
): AsyncGenerator<CanonicalEvent[]> {
  const { file } = options;
  const normalize = options.flatJson === 'normalize';
  const falcon = new FalconNormalizer();
  const warn = options.onWarning ?? (() => {});

  const convert = (v: unknown, line: number): CanonicalEvent => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      throw new InputError('E_INPUT_JSON', `expected a JSON object (one event), got ${typeName(v)}`, { file, line });
    }
    const o = v as Obj;
    if (isEventJson(o)) return normalizeWinEvent(winEventFromJson(o), { format: eventJsonFormat(o), file, line });
    if (isSplunkExport(o)) {
      const result = o.result as Obj;
      const raw = result._raw;
      if (normalize && parseXml && typeof raw === 'string' && /^\s*<Event[\s>]/.test(raw)) {
        let problem: string;
        try {
          const parsed = parseXml(raw);
          if (parsed.length === 1) return normalizeWinEvent(parsed[0]!, { format: 'json-splunk-export', file, line }, raw);
          problem = `${parsed.length} events in one _raw`;
        } catch (e) {
          problem = (e as Error).message;
        }
        warn(`${file}:${line}: the _raw of this Splunk result is not one readable event XML (${problem}); kept as the flat result`);
      }
      return flatEvent(result, 'json-splunk-export', 'unknown', file, line);
    }
    if (isFalconObject(o)) return normalize ? falcon.normalize(o, { file, line }) : flatEvent(o, 'json-falcon-fdr', 'falcon', file, line);
    if (isOtrfObject(o)) return normalize ? normalizeWinEvent(winEventFromOtrf(o), { format: 'json-otrf', file, line }) : flatEvent(o, 'json-otrf', 'unknown', file, line);
    return flatEvent(o, 'json-flat', 'unknown', file, line);
  };

  for await (const batch of jsonBatches(head, chunks, file)) {
    const out: CanonicalEvent[] = new Array(batch.values.length);
    const { values, lines } = batch;
    for (let i = 0; i < values.length; i++) {
      try {
        out[i] = convert(values[i], lines[i]!);
      } catch (e) {
        if (i > 0) yield out.slice(0, i);
        throw e;
      }
    }
    yield out;
  }
}
