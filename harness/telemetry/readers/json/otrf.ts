// OTRF Security-Datasets / nxlog-style flat Windows JSON → WinEvent (telemetry.md §3): one object
// per event, System values under their own top-level names (EventID integer, SourceName,
// ProviderGuid, Channel, Hostname, TimeCreated/@timestamp, Task, Level, Keywords), the EventData
// items at the top level too, and collector metadata (Message, @timestamp, nxlog's EventTime,
// Severity…) mixed in. Everything that is not a known System or collector key is an EventData item.
// The samples have no Version and no EventRecordID; 4688's version then shows in which items exist.
import type { WinEvent } from '../../model.ts';

type Obj = Record<string, unknown>;

/** System values by the names nxlog/OTRF use (first present wins). */
const SYSTEM: Record<string, readonly string[]> = {
  provider: ['SourceName', 'ProviderName'],
  guid: ['ProviderGuid'],
  channel: ['Channel'],
  computer: ['Hostname', 'Computer', 'computer_name'],
  time: ['TimeCreated', '@timestamp', 'EventTime'],
  version: ['Version'],
  level: ['Level'],
  task: ['Task'],
  opcode: ['OpcodeValue'],
  keywords: ['Keywords'],
  record: ['EventRecordID', 'RecordNumber'],
  activity: ['ActivityID'],
  userId: ['UserID'],
  execThread: ['ThreadID', 'ExecutionThreadID'],
  execProcess: ['ExecutionProcessID'],
};

/** collector metadata, not part of the event */
const META = new Set([
  'EventID', 'Message', '@timestamp', '@version', 'EventTime', 'EventReceivedTime', 'EventType', 'SeverityValue',
  'Severity', 'SourceModuleName', 'SourceModuleType', 'Category', 'Opcode', 'Domain', 'AccountName', 'AccountType',
  'host', 'tags', 'port', 'type',
]);
const SYSTEM_KEYS = new Set(Object.values(SYSTEM).flat());

/** true for a flat object that is recognisably a Windows event of this shape. */
export function isOtrfObject(o: Obj): boolean {
  const id = o.EventID;
  return (typeof id === 'number' || (typeof id === 'string' && /^\d+$/.test(id)))
    && typeof (o.SourceName ?? o.ProviderName) === 'string'
    && typeof o.Channel === 'string';
}

function str(v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function pick(o: Obj, names: readonly string[]): string | undefined {
  for (const name of names) {
    const v = str(o[name]);
    if (v !== undefined) return v;
  }
  return undefined;
}

const OPTIONAL: ReadonlyArray<[keyof WinEvent, readonly string[]]> = [
  ['version', SYSTEM.version!],
  ['level', SYSTEM.level!],
  ['task', SYSTEM.task!],
  ['opcode', SYSTEM.opcode!],
  ['keywords', SYSTEM.keywords!],
  ['eventRecordId', SYSTEM.record!],
  ['userId', SYSTEM.userId!],
];

export function winEventFromOtrf(o: Obj): WinEvent {
  const provider = pick(o, SYSTEM.provider!) ?? '';
  const ev: WinEvent = {
    namespaced: provider !== 'Linux-Sysmon',
    provider: { name: provider },
    eventId: Number(o.EventID),
    systemTime: pick(o, SYSTEM.time!) ?? '',
    channel: pick(o, SYSTEM.channel!) ?? '',
    computer: pick(o, SYSTEM.computer!) ?? '',
    data: [],
  };
  const guid = pick(o, SYSTEM.guid!);
  if (guid !== undefined) ev.provider.guid = guid.startsWith('{') ? guid.toUpperCase() : `{${guid.toUpperCase()}}`;
  for (const [key, names] of OPTIONAL) {
    const v = pick(o, names);
    if (v !== undefined) (ev as unknown as Obj)[key] = v;
  }
  const activity = pick(o, SYSTEM.activity!);
  if (activity !== undefined) ev.correlation = { activityId: activity };
  const pid = pick(o, SYSTEM.execProcess!);
  const tid = pick(o, SYSTEM.execThread!);
  if (pid !== undefined || tid !== undefined) {
    ev.execution = {};
    if (pid !== undefined) ev.execution.processId = pid;
    if (tid !== undefined) ev.execution.threadId = tid;
  }
  for (const k in o) {
    if (META.has(k) || SYSTEM_KEYS.has(k)) continue;
    ev.data.push({ name: k, value: str(o[k]) ?? '' });
  }
  return ev;
}
