// CrowdStrike Falcon events (FDR NDJSON, or LogScale objects with `#event_simpleName`) →
// canonical events (telemetry.md §6). Every FDR value is a string; the fields are kept unchanged
// as the record (record.type 'falcon').
//
// - ProcessRollup2 / SyntheticProcessRollup2 → process_creation: pid = RawProcessId, guid =
//   TargetProcessId, parent guid = ParentProcessId, parent name = ParentBaseFileName (a base name
//   only, so parent.image stays unset unless the parent's own PR2 was read earlier, see below).
//   ImageFileName is kept as the sensor wrote it (a \Device\HarddiskVolumeN\… path on Windows).
// - NetworkConnectIP4/IP6 → network_connection (initiated: ConnectionDirection 0 = outbound);
//   NetworkReceiveAcceptIP4/IP6 → network_connection, initiated false. They carry only
//   ContextProcessId (= the PR2's TargetProcessId on the same aid).
// - The join the sensor's consumers do (aid + ContextProcessId/ParentProcessId ↔ TargetProcessId) is
//   done here for PR2s read earlier in the same stream: a bounded table (LRU-ish, 100k processes)
//   fills in image, pid and command line. Without the PR2 only the guid is known.
// - Everything else (DnsRequest, TerminateProcess, ...) → kind 'raw'.
import type { CanonicalEvent, EventOrigin, NetworkInfo, Platform, ProcessInfo } from '../model.ts';
import { epochTime } from './time.ts';

const PLATFORMS: Record<string, Platform> = { Win: 'windows', Lin: 'linux', Mac: 'macos' };
const PROTOCOLS: Record<string, string> = { '6': 'tcp', '17': 'udp' };
const PROCESS_TYPES = new Set(['ProcessRollup2', 'SyntheticProcessRollup2']);
const CONNECT_TYPES = new Set(['NetworkConnectIP4', 'NetworkConnectIP6']);
const ACCEPT_TYPES = new Set(['NetworkReceiveAcceptIP4', 'NetworkReceiveAcceptIP6']);
const MAX_PROCESSES = 100_000;

/** true when a flat object is a Falcon event (has the event type and a Falcon id or time field). */
export function isFalconObject(o: Record<string, unknown>): boolean {
  const type = o.event_simpleName ?? o['#event_simpleName'];
  return typeof type === 'string' && ('aid' in o || 'timestamp' in o || '@timestamp' in o || 'ContextTimeStamp' in o);
}

function asStrings(o: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

function timeOf(f: Record<string, string>): string {
  const ms = f.timestamp ?? f['@timestamp'];
  const fromMs = ms !== undefined ? epochTime(ms, 'ms') : undefined;
  if (fromMs) return fromMs;
  const s = f.ContextTimeStamp ?? f.ProcessStartTime;
  return (s !== undefined ? epochTime(s, 's') : undefined) ?? '';
}

function hashes(f: Record<string, string>): string | undefined {
  const parts: string[] = [];
  if (f.MD5HashData) parts.push(`MD5=${f.MD5HashData}`);
  if (f.SHA256HashData) parts.push(`SHA256=${f.SHA256HashData}`);
  return parts.length ? parts.join(',') : undefined;
}

function put<T extends object>(target: T, key: keyof T, value: string | boolean | undefined): void {
  if (value !== undefined && value !== '') (target as Record<keyof T, unknown>)[key] = value;
}

export interface FalconWhere {
  file?: string;
  line?: number;
}

/** Stateful over one stream (the process table joins later events to earlier PR2s). */
export class FalconNormalizer {
  private readonly processes = new Map<string, ProcessInfo>();

  normalize(object: Record<string, unknown>, where: FalconWhere = {}): CanonicalEvent {
    const f = asStrings(object);
    const type = f.event_simpleName ?? f['#event_simpleName'] ?? '';
    const origin: EventOrigin = { format: 'json-falcon-fdr', sensor: 'falcon', synthetic: false };
    if (where.file !== undefined) origin.file = where.file;
    if (where.line !== undefined) origin.line = where.line;
    const out: CanonicalEvent = {
      kind: 'raw',
      time: timeOf(f),
      platform: PLATFORMS[f.event_platform ?? ''] ?? 'unknown',
      origin,
      record: { type: 'falcon', fields: f },
    };
    const host = f.ComputerName ?? f.aid;
    if (host) out.host = host;
    const aid = f.aid ?? '';

    if (PROCESS_TYPES.has(type)) {
      out.kind = 'process_creation';
      const p: ProcessInfo = {};
      put(p, 'pid', f.RawProcessId);
      put(p, 'guid', f.TargetProcessId);
      put(p, 'image', f.ImageFileName);
      put(p, 'commandLine', f.CommandLine);
      put(p, 'user', f.UserName ?? f.UserSid ?? f.UID);
      put(p, 'hashes', hashes(f));
      out.process = p;
      const parent: ProcessInfo = { ...this.known(aid, f.ParentProcessId) };
      put(parent, 'guid', f.ParentProcessId);
      if (parent.image === undefined) put(parent, 'name', f.ParentBaseFileName);
      out.parent = parent;
      if (p.guid !== undefined) this.remember(`${aid}|${p.guid}`, p);
    } else if (CONNECT_TYPES.has(type) || ACCEPT_TYPES.has(type)) {
      out.kind = 'network_connection';
      const p: ProcessInfo = { ...this.known(aid, f.ContextProcessId) };
      put(p, 'guid', f.ContextProcessId);
      out.process = p;
      const n: NetworkInfo = {};
      const proto = f.Protocol;
      put(n, 'protocol', proto === undefined ? undefined : (PROTOCOLS[proto] ?? proto));
      const dir = f.ConnectionDirection;
      put(n, 'initiated', ACCEPT_TYPES.has(type) ? false : dir === '0' ? true : dir === '1' ? false : undefined);
      put(n, 'sourceIp', f.LocalAddressIP4 ?? f.LocalAddressIP6);
      put(n, 'sourcePort', f.LocalPort);
      put(n, 'destinationIp', f.RemoteAddressIP4 ?? f.RemoteAddressIP6);
      put(n, 'destinationPort', f.RemotePort);
      out.network = n;
    }
    return out;
  }

  private known(aid: string, id: string | undefined): ProcessInfo {
    if (id === undefined) return {};
    const p = this.processes.get(`${aid}|${id}`);
    if (!p) return {};
    const out: ProcessInfo = {};
    put(out, 'pid', p.pid);
    put(out, 'image', p.image);
    put(out, 'commandLine', p.commandLine);
    return out;
  }

  private remember(key: string, p: ProcessInfo): void {
    this.processes.delete(key);
    this.processes.set(key, p);
    if (this.processes.size > MAX_PROCESSES) {
      const oldest = this.processes.keys().next().value;
      if (oldest !== undefined) this.processes.delete(oldest);
    }
  }
}
