// Matching canonical events against the lab's event matches (lab-spec.ts): text matches are
// case-insensitive; `parent` walks up the process tree, one creation event per level (the latest
// creation of the parent's pid at or before the child's time, so reused pids are handled); when the
// parent's own creation was not captured, its fields on the child event are all there is.
import type { CanonicalEvent, ProcessInfo } from '../telemetry/model.ts';
import type { EventMatch, TextMatch } from './lab-spec.ts';

export function textMatches(value: string | undefined, m: TextMatch): boolean {
  if (value === undefined) return false;
  const v = value.toLowerCase();
  if (m.equals !== undefined && v !== m.equals.toLowerCase()) return false;
  if (m.startswith !== undefined && !v.startsWith(m.startswith.toLowerCase())) return false;
  if (m.endswith !== undefined && !v.endsWith(m.endswith.toLowerCase())) return false;
  if (m.contains && !m.contains.every((c) => v.includes(c.toLowerCase()))) return false;
  if (m.regex !== undefined && !new RegExp(m.regex, 'i').test(value)) return false;
  return true;
}

interface Subject {
  info: ProcessInfo;
  parent(): Subject | undefined;
}

const baseName = (p: string | undefined) => (p === undefined ? undefined : p.slice(Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\')) + 1));

export class EventIndex {
  private readonly creations = new Map<string, CanonicalEvent[]>();

  constructor(readonly events: readonly CanonicalEvent[]) {
    for (const e of events) {
      if (e.kind !== 'process_creation' || !e.process?.pid) continue;
      const k = `${e.host ?? ''}\0${e.process.pid}`;
      const list = this.creations.get(k) ?? [];
      list.push(e);
      this.creations.set(k, list);
    }
  }

  /** The creation event of `pid` current at `time`. */
  creationOf(host: string | undefined, pid: string, time: string): CanonicalEvent | undefined {
    const list = this.creations.get(`${host ?? ''}\0${pid}`);
    if (!list) return undefined;
    let best: CanonicalEvent | undefined;
    for (const e of list) if (e.time <= time && (!best || e.time >= best.time)) best = e;
    return best ?? list[0];
  }

  private ofPid(host: string | undefined, info: ProcessInfo, time: string, skip?: CanonicalEvent): Subject {
    const c = info.pid ? this.creationOf(host, info.pid, time) : undefined;
    if (c && c !== skip) return this.ofCreation(c);
    return { info, parent: () => undefined };
  }

  private ofCreation(e: CanonicalEvent): Subject {
    return {
      info: e.process!,
      parent: () => (e.parent ? this.ofPid(e.host, e.parent, e.time, e) : undefined),
    };
  }

  /** The acting process of an event, with access to its ancestors. */
  subject(e: CanonicalEvent): Subject | undefined {
    if (e.kind === 'process_creation' && e.process) return this.ofCreation(e);
    return e.process ? this.ofPid(e.host, e.process, e.time) : undefined;
  }

  /** true when the acting process or one of its ancestors has the marker on its command line. */
  carriesMarker(e: CanonicalEvent, marker: string): boolean {
    const m = marker.toLowerCase();
    let s = this.subject(e);
    for (let depth = 0; s && depth < 64; depth++, s = s.parent()) {
      if (s.info.commandLine?.toLowerCase().includes(m)) return true;
    }
    return false;
  }

  matches(e: CanonicalEvent, m: EventMatch, marker: string): boolean {
    if (m.kind && e.kind !== m.kind) return false;
    if (m.file && !textMatches(e.file?.path, m.file)) return false;
    if (m.destination) {
      if (m.destination.ip !== undefined && e.network?.destinationIp !== m.destination.ip) return false;
      if (m.destination.port !== undefined && e.network?.destinationPort !== String(m.destination.port)) return false;
    }
    if (m.marker && !this.carriesMarker(e, marker)) return false;
    const s = this.subject(e);
    return subjectMatches(s, m);
  }

  find(m: EventMatch, marker: string): CanonicalEvent[] {
    return this.events.filter((e) => this.matches(e, m, marker));
  }
}

function subjectMatches(s: Subject | undefined, m: EventMatch): boolean {
  const needsProcess = m.image || m.name || m.command_line || m.parent;
  if (!needsProcess) return true;
  if (!s) return false;
  if (m.image && !textMatches(s.info.image, m.image)) return false;
  if (m.name && !textMatches(s.info.name ?? baseName(s.info.image), m.name)) return false;
  if (m.command_line && !textMatches(s.info.commandLine, m.command_line)) return false;
  if (m.parent) {
    const p = s.parent();
    if (!p || !subjectMatches(p, m.parent)) return false;
  }
  return true;
}

/** One line for people: `powershell.exe (pid 328) ← msiexec.exe (pid 320) at 2026-…`. */
export function describeEvent(e: CanonicalEvent): string {
  const who = (p: ProcessInfo | undefined) => (p ? `${p.name ?? baseName(p.image) ?? '?'} (pid ${p.pid ?? '?'})` : '?');
  const what = e.kind === 'file_event' ? ` wrote ${e.file?.path}`
    : e.kind === 'network_connection' ? ` connected to ${e.network?.destinationIp}:${e.network?.destinationPort}`
      : e.parent ? ` ← ${who(e.parent)}` : '';
  return `${who(e.process)}${what} at ${e.time}`;
}
