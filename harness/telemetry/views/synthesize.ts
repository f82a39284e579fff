// Canonical events that did not come from a Windows-shaped record (Wine trace, strace, auditd) are
// given the shape of the Sysmon event a real sensor would have written, so every view renders
// them the same way as recorded telemetry. Mapping: telemetry.md §7. Fields the lab cannot know
// (hashes, file version, logon ids, integrity level) are "-", as Sysmon writes for unknowns; the
// origin stays marked synthetic.
import { createHash } from 'node:crypto';
import type { CanonicalEvent, WinEvent, WinEventDataItem } from '../model.ts';

const WINDOWS = {
  provider: { name: 'Microsoft-Windows-Sysmon', guid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}' },
  channel: 'Microsoft-Windows-Sysmon/Operational',
  namespaced: true,
  userId: 'S-1-5-18',
};
const LINUX = {
  provider: { name: 'Linux-Sysmon', guid: '{ff032593-a8d3-4f13-b0d6-01fc615a0f97}' },
  channel: 'Linux-Sysmon/Operational',
  namespaced: false,
  userId: '0',
};

const SCHEMA: Record<string, { id: number; version: string; fields: string[] }> = {
  process_creation: {
    id: 1,
    version: '5',
    fields: [
      'RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'FileVersion', 'Description', 'Product', 'Company',
      'OriginalFileName', 'CommandLine', 'CurrentDirectory', 'User', 'LogonGuid', 'LogonId', 'TerminalSessionId',
      'IntegrityLevel', 'Hashes', 'ParentProcessGuid', 'ParentProcessId', 'ParentImage', 'ParentCommandLine', 'ParentUser',
    ],
  },
  network_connection: {
    id: 3,
    version: '5',
    fields: [
      'RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'User', 'Protocol', 'Initiated', 'SourceIsIpv6',
      'SourceIp', 'SourceHostname', 'SourcePort', 'SourcePortName', 'DestinationIsIpv6', 'DestinationIp',
      'DestinationHostname', 'DestinationPort', 'DestinationPortName',
    ],
  },
  file_event: {
    id: 11,
    version: '2',
    fields: ['RuleName', 'UtcTime', 'ProcessGuid', 'ProcessId', 'Image', 'TargetFilename', 'CreationUtcTime', 'User'],
  },
};

/** Sysmon's `UtcTime` form: `YYYY-MM-DD HH:MM:SS.mmm`. */
export function sysmonUtcTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(iso);
  if (!m) return iso;
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/** Windows renders SystemTime with 7 fraction digits. */
function windowsSystemTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?/.exec(iso);
  if (!m) return iso;
  return `${m[1]}.${(m[2] ?? '').padEnd(7, '0').slice(0, 7)}Z`;
}

/** A stable process GUID from host + pid + image, in Sysmon's brace form. */
export function processGuid(host: string, pid: string | undefined, image: string | undefined, linux: boolean): string {
  const h = createHash('sha1').update(`${host}\0${pid ?? ''}\0${image ?? ''}`).digest('hex');
  const g = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return `{${linux ? g : g.toUpperCase()}}`;
}

function isIpv6(ip: string | undefined): string {
  return ip !== undefined && ip.includes(':') ? 'true' : 'false';
}

/** The Sysmon-shaped WinEvent for a canonical event, or null when Sysmon has no such event. */
export function synthesizeSysmon(event: CanonicalEvent): WinEvent | null {
  const schema = SCHEMA[event.kind];
  if (!schema) return null;
  const linux = event.platform === 'linux';
  const base = linux ? LINUX : WINDOWS;
  const host = event.host ?? (linux ? 'localhost' : 'WINE');
  const p = event.process ?? {};
  const parent = event.parent ?? {};
  const dash = (v: string | undefined) => (v === undefined || v === '' ? '-' : v);
  const values: Record<string, string> = {
    RuleName: '-',
    UtcTime: sysmonUtcTime(event.time),
    ProcessGuid: p.guid ?? processGuid(host, p.pid, p.image, linux),
    ProcessId: dash(p.pid),
    Image: dash(p.image),
    FileVersion: '-',
    Description: '-',
    Product: '-',
    Company: '-',
    OriginalFileName: dash(p.originalFileName),
    CommandLine: dash(p.commandLine),
    CurrentDirectory: dash(p.currentDirectory),
    User: dash(p.user),
    LogonGuid: '-',
    LogonId: '-',
    TerminalSessionId: '-',
    IntegrityLevel: linux ? 'no level' : dash(p.integrityLevel),
    Hashes: dash(p.hashes),
    ParentProcessGuid: parent.guid ?? (parent.pid ? processGuid(host, parent.pid, parent.image, linux) : '-'),
    ParentProcessId: dash(parent.pid),
    ParentImage: dash(parent.image),
    ParentCommandLine: dash(parent.commandLine),
    ParentUser: dash(parent.user),
    Protocol: dash(event.network?.protocol),
    Initiated: event.network?.initiated === false ? 'false' : 'true',
    SourceIsIpv6: isIpv6(event.network?.sourceIp),
    SourceIp: dash(event.network?.sourceIp),
    SourceHostname: '-',
    SourcePort: dash(event.network?.sourcePort),
    SourcePortName: '-',
    DestinationIsIpv6: isIpv6(event.network?.destinationIp),
    DestinationIp: dash(event.network?.destinationIp),
    DestinationHostname: dash(event.network?.destinationHostname),
    DestinationPort: dash(event.network?.destinationPort),
    DestinationPortName: '-',
    TargetFilename: dash(event.file?.path),
    CreationUtcTime: sysmonUtcTime(event.file?.creationTime ?? event.time),
  };
  const data: WinEventDataItem[] = schema.fields.map((name) => ({ name, value: values[name] ?? '-' }));
  return {
    namespaced: base.namespaced,
    provider: { ...base.provider },
    eventId: schema.id,
    version: schema.version,
    level: '4',
    task: String(schema.id),
    opcode: '0',
    keywords: '0x8000000000000000',
    systemTime: linux ? event.time : windowsSystemTime(event.time),
    ...(event.origin.record !== undefined ? { eventRecordId: String(event.origin.record) } : {}),
    execution: { processId: '0', threadId: '0' },
    channel: base.channel,
    computer: host,
    userId: base.userId,
    data,
  };
}

/** The Windows-shaped record of an event: its own when it has one, else the synthesised Sysmon one. */
export function winEventOf(event: CanonicalEvent): WinEvent | null {
  return event.record.type === 'win' ? event.record.event : synthesizeSysmon(event);
}
