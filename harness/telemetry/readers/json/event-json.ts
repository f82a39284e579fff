// `{"Event":{"System":…,"EventData":…}}` objects → WinEvent. Two renderers write this shape
// (telemetry.md §3):
// - the Rust `evtx` crate: attributes under "#attributes", numbers as JSON numbers, named
//   EventData as plain keys, positional items as {"Data":{"#text":[…]}}, GUIDs without braces;
// - PowerShell's XML→JSON: attributes as "@Name", everything a string, named items as
//   [{"@Name":…,"#text":…}], positional items collapsed into one ", "-joined string (split again
//   by collapsed-data.ts), Binary as dash-separated hex, SystemTime with a space and no Z.
// Renderer damage that has one right answer is undone so the WinEvent equals the EVTX's: bare
// GUID values get Windows' `{UPPER-CASE}` form back, and Binary loses its dashes. SystemTime is
// kept as rendered (the normalizer reads every form).
import type { SourceFormat, WinEvent, WinEventDataItem } from '../../model.ts';
import { splitCollapsedData } from '../../normalize/collapsed-data.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const BARE_GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** true for `{"Event":{"System":{…}}}` */
export function isEventJson(o: Obj): boolean {
  const e = o.Event;
  return isObj(e) && isObj(e.System);
}

/** Which renderer wrote it: PowerShell writes `@` attributes, the Rust crate `#attributes`. */
export function eventJsonFormat(o: Obj): Extract<SourceFormat, 'json-evtx-rs' | 'json-powershell'> {
  const provider = ((o.Event as Obj).System as Obj).Provider;
  return isObj(provider) && '@Name' in provider ? 'json-powershell' : 'json-evtx-rs';
}

function scalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return BARE_GUID.test(v) ? `{${v.toUpperCase()}}` : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

function attr(node: unknown, name: string): string | undefined {
  if (!isObj(node)) return undefined;
  const attrs = node['#attributes'];
  return scalar(isObj(attrs) ? attrs[name] : undefined) ?? scalar(node[`@${name}`]);
}

/** Element text: the value itself, or its "#text" when it also has attributes. */
function text(node: unknown): string | undefined {
  if (isObj(node)) {
    const t = node['#text'];
    return Array.isArray(t) ? t.map((x) => scalar(x) ?? '').join('') : scalar(t);
  }
  return scalar(node);
}

function hexBinary(v: unknown): string | undefined {
  const s = text(v);
  if (s === undefined || s === '') return undefined;
  return s.replace(/-/g, '').toUpperCase();
}

function dataItems(v: unknown, collapsed: (s: string) => string[]): WinEventDataItem[] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'string') return collapsed(v).map((value) => ({ value }));
  if (Array.isArray(v)) return v.flatMap((item) => dataItems(item, (s) => [s]));
  if (isObj(v)) {
    const name = attr(v, 'Name');
    if (name !== undefined) return [{ name, value: text(v) ?? '' }];
    const t = v['#text'];
    if (Array.isArray(t)) return t.map((x) => ({ value: scalar(x) ?? '' }));
    return [{ value: text(v) ?? '' }];
  }
  return [{ value: scalar(v) ?? '' }];
}

/** Leaf elements of UserData, by their own names, in document order. */
function flattenUserData(node: unknown, out: WinEventDataItem[], name?: string): void {
  if (isObj(node) && !('#text' in node)) {
    for (const [k, v] of Object.entries(node)) {
      if (k === '#attributes' || k.startsWith('@')) continue;
      flattenUserData(v, out, k);
    }
  } else if (Array.isArray(node)) {
    for (const v of node) flattenUserData(v, out, name);
  } else if (name !== undefined) {
    out.push({ name, value: text(node) ?? '' });
  }
}

export function winEventFromJson(o: Obj): WinEvent {
  const e = o.Event as Obj;
  const s = e.System as Obj;
  const powershell = eventJsonFormat(o) === 'json-powershell';
  const providerName = attr(s.Provider, 'Name') ?? '';
  const eventId = Number(text(s.EventID));
  const ev: WinEvent = {
    namespaced: isObj(e['#attributes']) ? attr(e, 'xmlns') !== undefined : providerName !== 'Linux-Sysmon',
    provider: { name: providerName },
    eventId,
    systemTime: attr(s.TimeCreated, 'SystemTime') ?? '',
    channel: text(s.Channel) ?? '',
    computer: text(s.Computer) ?? '',
    data: [],
  };
  const guid = attr(s.Provider, 'Guid');
  if (guid !== undefined) ev.provider.guid = guid.startsWith('{') ? guid : `{${guid.toUpperCase()}}`;
  const source = attr(s.Provider, 'EventSourceName');
  if (source !== undefined) ev.provider.eventSourceName = source;
  const optional: Array<[keyof WinEvent, string | undefined]> = [
    ['qualifiers', attr(s.EventID, 'Qualifiers')],
    ['version', text(s.Version)],
    ['level', text(s.Level)],
    ['task', text(s.Task)],
    ['opcode', text(s.Opcode)],
    ['keywords', text(s.Keywords)],
    ['eventRecordId', text(s.EventRecordID)],
    ['userId', attr(s.Security, 'UserID') ?? attr(s.Security, 'UserId')],
  ];
  for (const [k, v] of optional) if (v !== undefined) (ev as unknown as Obj)[k] = v;
  const activityId = attr(s.Correlation, 'ActivityID');
  const relatedActivityId = attr(s.Correlation, 'RelatedActivityID');
  if (activityId !== undefined || relatedActivityId !== undefined) {
    ev.correlation = {};
    if (activityId !== undefined) ev.correlation.activityId = activityId;
    if (relatedActivityId !== undefined) ev.correlation.relatedActivityId = relatedActivityId;
  }
  const processId = attr(s.Execution, 'ProcessID');
  const threadId = attr(s.Execution, 'ThreadID');
  if (processId !== undefined || threadId !== undefined) {
    ev.execution = {};
    if (processId !== undefined) ev.execution.processId = processId;
    if (threadId !== undefined) ev.execution.threadId = threadId;
  }

  const collapsed = powershell ? (t: string) => splitCollapsedData(providerName, eventId, t) : (t: string) => [t];
  const data = e.EventData;
  if (isObj(data)) {
    for (const [k, v] of Object.entries(data)) {
      if (k === '#attributes' || k.startsWith('@')) continue;
      if (k === 'Binary') {
        const b = hexBinary(v);
        if (b !== undefined) ev.binary = b;
      } else if (k === 'Data') ev.data.push(...dataItems(v, collapsed));
      else ev.data.push({ name: k, value: text(v) ?? '' });
    }
  }
  if (isObj(e.UserData)) {
    const root = Object.keys(e.UserData).find((k) => k !== '#attributes' && !k.startsWith('@'));
    if (root !== undefined) {
      ev.userData = { name: root };
      const xmlns = attr(e.UserData[root], 'xmlns');
      if (xmlns !== undefined) ev.userData.xmlns = xmlns;
    }
    flattenUserData(e.UserData, ev.data);
  }
  return ev;
}
