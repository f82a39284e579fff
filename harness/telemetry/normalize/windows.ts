// WinEvent → CanonicalEvent, driven by the mapping in windows.yml (which events become which kind,
// and which EventData item gives which fact). This file holds only the mechanics and the value
// transforms the mapping names.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type {
  CanonicalEvent,
  EventKind,
  EventOrigin,
  Platform,
  Sensor,
  SourceFormat,
  WinEvent,
} from '../model.ts';
import { isoTime, windowsTime } from './time.ts';

// ---------------------------------------------------------------------------------------------
// the mapping file

type FactSpec = string | { from: string | string[]; as?: string };
type Section = 'process' | 'parent' | 'network' | 'file' | 'installer';
const SECTIONS: readonly Section[] = ['process', 'parent', 'network', 'file', 'installer'];

interface MappingFile {
  providers: Record<string, { sensor: Sensor; platform: Platform }>;
  default: { sensor: Sensor; platform: Platform };
  events: Array<{ providers: string[]; eventIds: number[]; kind: EventKind } & Partial<Record<Section, Record<string, FactSpec>>>>;
}

/** Values of one event, looked up by EventData name, positional index or `@binary`. */
interface Lookup {
  named: Map<string, string>;
  positional: string[];
  binary: string | undefined;
}

type Getter = (l: Lookup) => unknown;
interface CompiledRule {
  kind: EventKind;
  sections: Array<[Section, Array<[string, Getter]>]>;
}

// ---------------------------------------------------------------------------------------------
// transforms named in windows.yml

const INTEGRITY: Record<string, string> = {
  'S-1-16-0': 'Untrusted',
  'S-1-16-4096': 'Low',
  'S-1-16-8192': 'Medium',
  'S-1-16-8448': 'MediumPlus',
  'S-1-16-12288': 'High',
  'S-1-16-16384': 'System',
  'S-1-16-20480': 'Protected',
};

/** `%%1936` etc. are message references (telemetry.md §1.3); renderers that resolve them write the enum name. */
const ELEVATION: Record<string, 'default' | 'full' | 'limited'> = {
  '%%1936': 'default',
  '%%1937': 'full',
  '%%1938': 'limited',
};

const absent = (v: string | undefined): boolean => v === undefined || v === '' || v === '-';

const TRANSFORMS: Record<string, (values: Array<string | undefined>) => unknown> = {
  /** 4688 ids are hex (`0x00000b2c`, `0xf84`); Sysmon's are decimal already */
  'hex-pid': ([v]) => (v !== undefined && /^0x[0-9a-f]+$/i.test(v) ? String(parseInt(v, 16)) : v),
  boolean: ([v]) => (v === undefined ? undefined : v.toLowerCase() === 'true'),
  time: ([v]) => (v === undefined ? undefined : (isoTime(v) ?? v)),
  'dash-absent': ([v]) => (v === '-' ? undefined : v),
  /** pairs of (domain, user): the first pair with a user gives `DOMAIN\user` */
  account: (values) => {
    for (let i = 0; i + 1 < values.length; i += 2) {
      const domain = values[i];
      const user = values[i + 1];
      if (absent(user)) continue;
      return absent(domain) ? user : `${domain}\\${user}`;
    }
    return undefined;
  },
  /** MandatoryLabel SID (or its resolved name `Mandatory Label\High Mandatory Level`) → Sysmon's words */
  'mandatory-label': ([v]) => {
    if (v === undefined) return undefined;
    const byName = /^Mandatory Label\\(\w+) Mandatory Level$/i.exec(v);
    return INTEGRITY[v.toUpperCase()] ?? byName?.[1] ?? v;
  },
  'token-elevation': ([v]) => {
    if (v === undefined) return undefined;
    const resolved = /TokenElevationType(Default|Full|Limited)/i.exec(v)?.[1]?.toLowerCase();
    return ELEVATION[v] ?? resolved;
  },
  /** classic MsiInstaller Binary: ASCII `{ProductCode}` then an opaque tail (telemetry.md §1.4) */
  'product-code': ([v]) => {
    if (v === undefined || !/^([0-9a-f]{2})+$/i.test(v)) return undefined;
    const ascii = Buffer.from(v.slice(0, 76), 'hex').toString('latin1');
    return /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}/i.exec(ascii)?.[0];
  },
  'msi-product': ([v]) => (v === undefined ? undefined : /^Product: (.*?) -- /s.exec(v)?.[1]),
};

function compileSource(name: string): (l: Lookup) => string | undefined {
  if (name === '@binary') return (l) => l.binary;
  const pos = /^#(\d+)$/.exec(name);
  if (pos) {
    const i = Number(pos[1]) - 1;
    return (l) => {
      const v = l.positional[i];
      return v === '(NULL)' ? undefined : v;
    };
  }
  return (l) => l.named.get(name);
}

function compileFact(spec: FactSpec, where: string): Getter {
  if (typeof spec === 'string') {
    const get = compileSource(spec);
    return (l) => {
      const v = get(l);
      return v === '' ? undefined : v;
    };
  }
  const sources = (Array.isArray(spec.from) ? spec.from : [spec.from]).map(compileSource);
  const transform = spec.as === undefined ? ([v]: Array<string | undefined>) => v : TRANSFORMS[spec.as];
  if (!transform) throw new Error(`windows.yml: unknown transform '${spec.as}' at ${where}`);
  return (l) => {
    const out = transform(sources.map((s) => {
      const v = s(l);
      return v === '' ? undefined : v;
    }));
    return out === '' ? undefined : out;
  };
}

interface Compiled {
  rules: Map<string, CompiledRule>;
  providers: Map<string, { sensor: Sensor; platform: Platform }>;
  fallback: { sensor: Sensor; platform: Platform };
}

function compileMapping(m: MappingFile): Compiled {
  const rules = new Map<string, CompiledRule>();
  for (const [n, rule] of m.events.entries()) {
    const sections: CompiledRule['sections'] = [];
    for (const section of SECTIONS) {
      const facts = rule[section];
      if (!facts) continue;
      sections.push([section, Object.entries(facts).map(([k, spec]) => [k, compileFact(spec, `events[${n}].${section}.${k}`)])]);
    }
    for (const provider of rule.providers) {
      for (const id of rule.eventIds) rules.set(`${provider.toLowerCase()}|${id}`, { kind: rule.kind, sections });
    }
  }
  const providers = new Map(Object.entries(m.providers).map(([k, v]) => [k.toLowerCase(), v]));
  return { rules, providers, fallback: m.default };
}

let compiled: Compiled | undefined;
function mapping(): Compiled {
  compiled ??= compileMapping(parseYaml(readFileSync(new URL('./windows.yml', import.meta.url), 'utf8')) as MappingFile);
  return compiled;
}

// ---------------------------------------------------------------------------------------------

/** Where the WinEvent was read: the reader fills format and position; sensor comes from the provider. */
export interface WinOrigin {
  format: SourceFormat;
  file?: string;
  line?: number;
  offset?: number;
}

function lookupOf(event: WinEvent): Lookup {
  const named = new Map<string, string>();
  const positional: string[] = [];
  for (const item of event.data) {
    if (item.name === undefined) positional.push(item.value);
    else if (!named.has(item.name)) named.set(item.name, item.value);
  }
  return { named, positional, binary: event.binary };
}

/**
 * One canonical event for one Windows-shaped event. Sysmon 1/3/11 (Windows and Linux), Security
 * 4688 and MsiInstaller 1033/1034/1040/1042/117xx become typed events (windows.yml); everything
 * else is kind 'raw'. The WinEvent is kept as the record (`text`: the XML it was parsed from).
 */
export function normalizeWinEvent(event: WinEvent, where: WinOrigin, text?: string): CanonicalEvent {
  const m = mapping();
  const providerKey = event.provider.name.toLowerCase();
  const { sensor, platform } = m.providers.get(providerKey) ?? m.fallback;
  const recordNo = event.eventRecordId !== undefined && /^\d+$/.test(event.eventRecordId) ? Number(event.eventRecordId) : undefined;
  const origin: EventOrigin = { format: where.format, sensor, synthetic: false };
  if (where.file !== undefined) origin.file = where.file;
  if (where.line !== undefined) origin.line = where.line;
  if (where.offset !== undefined) origin.offset = where.offset;
  if (recordNo !== undefined) origin.record = recordNo;

  const out: CanonicalEvent = {
    kind: 'raw',
    time: (event.namespaced ? windowsTime(event.systemTime) : isoTime(event.systemTime)) ?? event.systemTime,
    platform,
    origin,
    record: text === undefined ? { type: 'win', event } : { type: 'win', event, text },
  };
  if (event.computer) out.host = event.computer;

  const rule = m.rules.get(`${providerKey}|${event.eventId}`);
  if (!rule) return out;
  out.kind = rule.kind;
  const lookup = lookupOf(event);
  for (const [section, facts] of rule.sections) {
    const obj: Record<string, unknown> = section === 'installer' ? { eventId: event.eventId } : {};
    let any = section === 'installer';
    for (const [key, get] of facts) {
      const v = get(lookup);
      if (v === undefined) continue;
      obj[key] = v;
      any = true;
    }
    if (any) (out as unknown as Record<string, unknown>)[section] = obj;
  }
  return out;
}
