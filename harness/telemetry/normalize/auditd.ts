// One auditd event (the records sharing `audit(<time>:<serial>)`) → canonical events, shaped like
// Sysmon for Linux EID 1/3/11 (telemetry.md §5 and §7):
//
// - execve/execveat that succeeded → process_creation: Image = SYSCALL `exe`, CommandLine = the
//   EXECVE arguments decoded and joined with spaces (never PROCTITLE: capped at 128 bytes and, for a
//   child started through Python's subprocess, still the parent's argv), pid/ppid from SYSCALL,
//   CurrentDirectory = CWD `cwd`, User = the enriched UID name, else the numeric uid.
// - connect to an AF_INET/AF_INET6 address (SOCKADDR `saddr`) that succeeded or returned -115
//   EINPROGRESS (a non-blocking connect's normal result) → network_connection, initiated. Other
//   failures (refused, unreachable) are not connections: Sysmon reports established ones only.
//   AF_UNIX/netlink connects (nscd, syslog) are noise and stay raw.
// - every PATH record with nametype=CREATE → file_event (relative names joined to CWD).
// - anything else: one 'raw' event for the whole group. record.type 'auditd' keeps the raw lines.
//
// ParentImage/ParentCommandLine come from a pid → process table kept over the stream: filled by each
// execve, by fork/vfork/clone (the child runs the parent's image until it execs) and by the `exe` of
// any other SYSCALL record (a process seen for the first time, or a pid reused by a process we
// never saw exec: its `exe` differs from the table's), and cleared by exit_group.
import type { CanonicalEvent, EventOrigin, ProcessInfo } from '../model.ts';
import { type AuditRecord, decodeUntrusted, field, untrusted } from '../readers/auditd/records.ts';
import { epochTime } from './time.ts';

/**
 * Syscall numbers of the calls that matter here, per AUDIT_ARCH (Linux syscall tables:
 * arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl, include/uapi/asm-generic/unistd.h,
 * arch/arm/tools/syscall.tbl). The enriched `SYSCALL=` name, when present, wins.
 */
const SYSCALLS: Record<string, Record<string, string>> = {
  c000003e: { 59: 'execve', 322: 'execveat', 42: 'connect', 56: 'clone', 57: 'fork', 58: 'vfork', 435: 'clone3', 231: 'exit_group' },
  '40000003': { 11: 'execve', 358: 'execveat', 362: 'connect', 102: 'socketcall', 120: 'clone', 2: 'fork', 190: 'vfork', 435: 'clone3', 252: 'exit_group' },
  c00000b7: { 221: 'execve', 281: 'execveat', 203: 'connect', 220: 'clone', 435: 'clone3', 94: 'exit_group' },
  '40000028': { 11: 'execve', 387: 'execveat', 283: 'connect', 120: 'clone', 2: 'fork', 190: 'vfork', 435: 'clone3', 248: 'exit_group' },
};
const SYS_CONNECT = '3'; // socketcall(2) call number for connect
const EINPROGRESS = '-115';
/** record types that only exist as part of a syscall event */
const SYSCALL_PARTS = new Set(['EXECVE', 'PATH', 'CWD', 'SOCKADDR', 'PROCTITLE']);

interface Known {
  image: string;
  commandLine?: string;
  ppid?: string;
}

export interface AuditdResult {
  events: CanonicalEvent[];
  warnings: string[];
}

function syscallName(s: AuditRecord): string | undefined {
  const enriched = s.enriched.get('SYSCALL');
  if (enriched) return enriched;
  const arch = field(s, 'arch')?.toLowerCase();
  const nr = field(s, 'syscall');
  if (arch === undefined || nr === undefined) return undefined;
  const name = SYSCALLS[arch]?.[nr];
  if (name === 'socketcall') return field(s, 'a0') === SYS_CONNECT ? 'connect' : name;
  return name;
}

/** sockaddr bytes (hex) → address, for AF_INET and AF_INET6; undefined for other families. */
export interface Sockaddr {
  family: string;
  /** AF_INET / AF_INET6 only */
  ip?: string;
  port?: string;
}

export function decodeSockaddr(hex: string): Sockaddr | undefined {
  if (!/^(?:[0-9A-Fa-f]{2})+$/.test(hex) || hex.length < 4) return undefined;
  const b = Buffer.from(hex, 'hex');
  const family = b.readUInt16LE(0);
  if (family === 2 && b.length >= 8) {
    return { family: 'inet', port: String(b.readUInt16BE(2)), ip: `${b[4]}.${b[5]}.${b[6]}.${b[7]}` };
  }
  if (family === 10 && b.length >= 24) {
    return { family: 'inet6', port: String(b.readUInt16BE(2)), ip: ipv6(b.subarray(8, 24)) };
  }
  return { family: family === 1 ? 'unix' : family === 16 ? 'netlink' : String(family) };
}

/** RFC 5952 text form: longest run of zero groups as `::`, IPv4-mapped as ::ffff:a.b.c.d. */
function ipv6(b: Buffer): string {
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/**
 * EXECVE arguments a0…a(argc-1), joined over all EXECVE records of the event; `aN_len` + `aN[i]`
 * chunks are reassembled (aN_len is the logged length: twice the bytes when hex-encoded).
 */
export function execveArgs(records: readonly AuditRecord[], problems: string[]): string[] {
  const execs = records.filter((r) => r.type === 'EXECVE');
  const values = new Map<string, string>();
  for (const r of execs) for (const [k, v] of r.fields) values.set(k, v);
  const argc = Number(field(execs[0]!, 'argc') ?? NaN);
  const args: string[] = [];
  const count = Number.isFinite(argc) ? argc : Infinity;
  for (let i = 0; i < count; i++) {
    const whole = values.get(`a${i}`);
    if (whole !== undefined) {
      args.push(decodeUntrusted(whole) ?? '');
      continue;
    }
    const len = values.get(`a${i}_len`);
    if (len === undefined) {
      if (Number.isFinite(argc)) problems.push(`EXECVE argc=${argc} but argument a${i} is missing (records lost?)`);
      break;
    }
    let logged = 0;
    let hexed = '';
    let text = '';
    let encoded = false;
    for (let j = 0; ; j++) {
      const chunk = values.get(`a${i}[${j}]`);
      if (chunk === undefined) break;
      if (chunk.startsWith('"')) {
        text += chunk.slice(1, -1);
        logged += chunk.length - 2;
      } else {
        encoded = true;
        hexed += chunk;
        logged += chunk.length;
      }
    }
    if (String(logged) !== len) problems.push(`EXECVE argument a${i} is ${len} characters long but only ${logged} were logged (records lost?)`);
    args.push(encoded ? Buffer.from(hexed, 'hex').toString('utf8') : text);
  }
  return args;
}

/** Stateful over one stream: the pid → process table. */
export class AuditdNormalizer {
  private readonly table = new Map<string, Known>();

  constructor(private readonly file: string) {}

  normalize(group: readonly AuditRecord[]): AuditdResult {
    const first = group[0]!;
    const problems: string[] = [];
    const events: CanonicalEvent[] = [];
    const syscall = group.find((r) => r.type === 'SYSCALL');
    const time = epochTime(first.time, 's') ?? first.time;
    const base = (): CanonicalEvent => {
      const origin: EventOrigin = { format: 'auditd', sensor: 'auditd', file: this.file, line: first.line, record: first.serial, synthetic: true };
      const e: CanonicalEvent = { kind: 'raw', time, platform: 'linux', origin, record: { type: 'auditd', lines: group.map((r) => r.text) } };
      if (first.node !== undefined) e.host = first.node;
      return e;
    };

    if (!syscall) {
      const parts = [...new Set(group.map((r) => r.type).filter((t) => SYSCALL_PARTS.has(t)))];
      if (parts.length) problems.push(`has ${parts.join(', ')} but no SYSCALL record (event truncated?)`);
      return this.finish([base()], problems, first);
    }

    const name = syscallName(syscall);
    const success = field(syscall, 'success') === 'yes';
    const pid = field(syscall, 'pid');
    const ppid = field(syscall, 'ppid');
    const exe = untrusted(syscall, 'exe');
    const cwdRecord = group.find((r) => r.type === 'CWD');
    const cwd = cwdRecord ? untrusted(cwdRecord, 'cwd') : undefined;
    const user = syscall.enriched.get('UID') ?? field(syscall, 'uid');
    const actor = (): ProcessInfo => {
      const p: ProcessInfo = {};
      if (pid !== undefined) p.pid = pid;
      const known = pid !== undefined ? this.table.get(pid) : undefined;
      const image = exe ?? known?.image;
      if (image !== undefined) p.image = image;
      if (known?.commandLine !== undefined && known.image === image) p.commandLine = known.commandLine;
      if (user !== undefined) p.user = user;
      return p;
    };

    const items = Number(field(syscall, 'items') ?? 0);
    const paths = group.filter((r) => r.type === 'PATH');
    if (paths.length < items) problems.push(`SYSCALL items=${items} but ${paths.length} PATH record(s) (event truncated?)`);

    if ((name === 'execve' || name === 'execveat') && success) {
      const e = base();
      e.kind = 'process_creation';
      const p: ProcessInfo = {};
      if (pid !== undefined) p.pid = pid;
      if (exe !== undefined) p.image = exe;
      if (group.some((r) => r.type === 'EXECVE')) p.commandLine = execveArgs(group, problems).join(' ');
      else problems.push('execve without an EXECVE record: the command line is unknown (event truncated?)');
      if (cwd !== undefined) p.currentDirectory = cwd;
      if (user !== undefined) p.user = user;
      e.process = p;
      const parent: ProcessInfo = {};
      if (ppid !== undefined) {
        parent.pid = ppid;
        const known = this.table.get(ppid);
        if (known) {
          parent.image = known.image;
          if (known.commandLine !== undefined) parent.commandLine = known.commandLine;
        }
      }
      e.parent = parent;
      events.push(e);
      if (pid !== undefined && exe !== undefined) {
        const entry: Known = { image: exe };
        if (p.commandLine !== undefined) entry.commandLine = p.commandLine;
        if (ppid !== undefined) entry.ppid = ppid;
        this.table.set(pid, entry);
      }
    } else {
      this.track(name, success, syscall, pid, ppid, exe);
    }

    if (name === 'connect') {
      const sock = group.find((r) => r.type === 'SOCKADDR');
      const addr = sock ? decodeSockaddr(field(sock, 'saddr') ?? '') : undefined;
      if (!sock) problems.push('connect without a SOCKADDR record: the address is unknown (event truncated?)');
      const exit = field(syscall, 'exit');
      if (addr?.ip !== undefined && (success || exit === EINPROGRESS)) {
        const e = base();
        e.kind = 'network_connection';
        e.process = actor();
        e.network = { initiated: true, destinationIp: addr.ip };
        if (addr.port !== undefined) e.network.destinationPort = addr.port;
        events.push(e);
      }
    }

    for (const path of paths) {
      if (field(path, 'nametype') !== 'CREATE') continue;
      const name = untrusted(path, 'name');
      if (name === undefined) continue;
      const e = base();
      e.kind = 'file_event';
      e.process = actor();
      e.file = { path: name.startsWith('/') || cwd === undefined ? name : `${cwd.replace(/\/$/, '')}/${name}` };
      events.push(e);
    }

    return this.finish(events.length ? events : [base()], problems, first);
  }

  /** process table upkeep for syscalls that are not an execve */
  private track(name: string | undefined, success: boolean, s: AuditRecord, pid: string | undefined, ppid: string | undefined, exe: string | undefined): void {
    if (pid === undefined) return;
    const known = this.table.get(pid);
    if (exe !== undefined && known?.image !== exe) {
      const entry: Known = { image: exe };
      if (ppid !== undefined) entry.ppid = ppid;
      this.table.set(pid, entry);
    }
    // exit_group never returns, so its record carries no success= field (exit ends a thread only)
    if (name === 'exit_group') {
      this.table.delete(pid);
    } else if (success && (name === 'fork' || name === 'vfork' || name === 'clone' || name === 'clone3')) {
      const child = field(s, 'exit');
      const self = this.table.get(pid);
      if (child !== undefined && /^\d+$/.test(child) && child !== '0' && self) {
        this.table.set(child, { ...self, ppid: pid });
      }
    }
  }

  private finish(events: CanonicalEvent[], problems: string[], first: AuditRecord): AuditdResult {
    const where = `${this.file}:${first.line}: audit event ${first.serial}`;
    return { events, warnings: problems.map((p) => `${where}: ${p}`) };
  }
}
