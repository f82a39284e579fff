// strace output (`strace -f -ttt -s N -e trace=execve,execveat,clone,clone3,fork,vfork,connect,
// openat,creat,chdir -o FILE`) → canonical events shaped like Sysmon for Linux EID 1/3/11
// (telemetry.md §7, lab-recipes §4.1):
//
// - Each line is `<pid> <epoch.micro> <call>(<args>) = <ret>`; a call interrupted by another
//   process's output is split into `… <unfinished ...>` and `<pid> <time> <... call resumed>…`,
//   joined back per pid (strace(1), "-f").
// - clone/clone3/fork/vfork returning N make the caller N's parent, except with CLONE_THREAD (N is
//   a thread of the caller's process). The child's execve may be printed before the parent's
//   `resumed` line, so parents are resolved in a first pass over the whole file.
// - execve/execveat = 0 → process_creation: Image = the path executed (or what it resolves to,
//   see `resolveExec`), CommandLine = argv joined with spaces (as Sysmon for Linux does), ParentImage/ParentCommandLine from a pid table kept
//   over the file (a forked child runs its parent's image until it execs). Failed execve (ENOENT
//   while searching PATH) are dropped.
// - connect to AF_INET/AF_INET6 returning 0 or EINPROGRESS (a non-blocking connect's normal
//   result) → network_connection, Initiated true. AF_UNIX and refused connects are dropped.
// - openat/open/creat with O_CREAT that returned a descriptor → file_event (relative paths joined to
//   the process's working folder, tracked through chdir and inherited on fork).
// Pids are those strace saw (inside the sandbox's PID namespace). Every event is synthetic.
import type { CanonicalEvent, ProcessInfo } from '../../model.ts';

export interface StraceParseOptions {
  /** path recorded in each event's origin */
  file: string;
  host?: string;
  /** working folder of the first traced process */
  cwd?: string;
  /** user the traced processes ran as (the sandbox runs as root) */
  user?: string;
  onWarning?: (message: string) => void;
  /**
   * What execve(path) really ran: the binary after symlinks and the `#!` interpreter words the
   * kernel puts before the script path (so Image and CommandLine look like /proc/<pid>/exe and
   * /proc/<pid>/cmdline, as auditd and Sysmon for Linux report them). Without it, Image is the path
   * given to execve and CommandLine its argv.
   */
  resolveExec?: (path: string) => { image: string; argvPrefix: string[] };
}

interface Call {
  pid: number;
  time: string;
  line: number;
  name: string;
  args: string;
  ret: string;
  lines: string[];
}

interface Proc {
  image?: string;
  commandLine?: string;
  cwd?: string;
  /** pid of the process group leader this pid belongs to (threads) */
  tgid: number;
}

const LINE = /^(\d+)\s+(\d+\.\d+)\s+(.*)$/;
const RESUMED = /^<\.\.\. (\w+) resumed>(.*)$/;
const CALL = /^(\w+)\((.*)$/;

/** Splits strace lines into whole calls (unfinished/resumed joined), in completion order. */
export function straceCalls(text: string, warn: (m: string) => void = () => {}): Call[] {
  const calls: Call[] = [];
  const pending = new Map<number, { name: string; head: string; time: string; line: number; raw: string }>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (!raw.trim()) continue;
    const m = LINE.exec(raw);
    if (!m) {
      warn(`line ${i + 1}: not an strace line: ${raw.slice(0, 80)}`);
      continue;
    }
    const pid = Number(m[1]);
    const time = m[2]!;
    let body = m[3]!;
    if (body.startsWith('+++') || body.startsWith('---')) continue;
    const resumed = RESUMED.exec(body);
    if (resumed) {
      const start = pending.get(pid);
      pending.delete(pid);
      if (!start || start.name !== resumed[1]) {
        warn(`line ${i + 1}: '${resumed[1]} resumed' without its start`);
        continue;
      }
      body = `${start.name}(${start.head}${resumed[2]}`;
      pushCall(calls, pid, start.time, start.line, body, [start.raw, raw]);
      continue;
    }
    if (body.endsWith('<unfinished ...>')) {
      const c = CALL.exec(body);
      if (c) pending.set(pid, { name: c[1]!, head: c[2]!.replace(/\s*<unfinished \.\.\.>$/, ''), time, line: i + 1, raw });
      continue;
    }
    pushCall(calls, pid, time, i + 1, body, [raw]);
  }
  return calls;
}

function pushCall(calls: Call[], pid: number, time: string, line: number, body: string, rawLines: string[]): void {
  const c = CALL.exec(body);
  if (!c) return;
  // `…) = 61` or `…) = -1 ENOENT (No such file or directory)` or `…) = ?` (exited during the call)
  const eq = c[2]!.lastIndexOf(') = ');
  if (eq < 0) return;
  calls.push({ pid, time, line, name: c[1]!, args: c[2]!.slice(0, eq), ret: c[2]!.slice(eq + 4).trim(), lines: rawLines });
}

/** strace's C-style string escapes (\" \\ \n \t \r \v \f \NNN octal, \xHH) decoded as UTF-8 bytes. */
export function decodeStraceString(s: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch !== '\\') {
      for (const b of Buffer.from(ch, 'utf8')) bytes.push(b);
      continue;
    }
    const n = s[++i];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, v: 11, f: 12, a: 7, b: 8, '\\': 92, '"': 34, "'": 39 };
    if (n !== undefined && n in simple) bytes.push(simple[n]!);
    else if (n === 'x') {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n !== undefined && /[0-7]/.test(n)) {
      let j = i;
      while (j < i + 3 && /[0-7]/.test(s[j] ?? '')) j++;
      bytes.push(parseInt(s.slice(i, j), 8));
      i = j - 1;
    } else if (n !== undefined) bytes.push(...Buffer.from(n, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The quoted strings of an argument list, in order, decoded (`"a", ["b", "c"]` → a, b, c) up to `stop` chars. */
function quotedStrings(text: string): { value: string; end: number }[] {
  const out: { value: string; end: number }[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '"') continue;
    let j = i + 1;
    while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
    out.push({ value: decodeStraceString(text.slice(i + 1, j)), end: j + 1 });
    i = j;
  }
  return out;
}

/** execve("path", ["a0", "a1"], envp) → path and argv (execveat: dirfd first). */
function execArgs(name: string, args: string): { path: string; argv: string[] } | undefined {
  const rest = name === 'execveat' ? args.slice(args.indexOf(',') + 1) : args;
  const strings = quotedStrings(rest);
  const first = strings[0];
  if (!first) return undefined;
  const open = rest.indexOf('[', first.end);
  const close = open < 0 ? -1 : findArrayEnd(rest, open);
  const argv = open < 0 ? [] : quotedStrings(rest.slice(open, close + 1)).map((s) => s.value);
  return { path: first.value, argv };
}

function findArrayEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (text[i] === ']') return i;
  }
  return text.length - 1;
}

function isoMicros(epoch: string): string {
  const [s, frac = ''] = epoch.split('.');
  return `${new Date(Number(s) * 1000).toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}

function joinPath(cwd: string | undefined, p: string): string {
  if (p.startsWith('/') || !cwd) return p;
  const parts = `${cwd}/${p}`.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

export function parseStrace(text: string, options: StraceParseOptions): CanonicalEvent[] {
  const warn = options.onWarning ?? (() => {});
  const calls = straceCalls(text, warn);
  // pass 1: who created whom (processes vs threads)
  const parentOf = new Map<number, number>();
  const threadOf = new Map<number, number>();
  for (const c of calls) {
    if (!['clone', 'clone3', 'fork', 'vfork'].includes(c.name)) continue;
    const child = Number(c.ret);
    if (!Number.isInteger(child) || child <= 0) continue;
    if (/CLONE_THREAD/.test(c.args)) threadOf.set(child, c.pid);
    else parentOf.set(child, c.pid);
  }
  const tgid = (pid: number): number => {
    let p = pid;
    for (let guard = 0; threadOf.has(p) && guard < 64; guard++) p = threadOf.get(p)!;
    return p;
  };
  const procs = new Map<number, Proc>();
  const proc = (pid: number): Proc => {
    const id = tgid(pid);
    let p = procs.get(id);
    if (!p) {
      const parent = parentOf.get(id);
      const inherited = parent !== undefined ? procs.get(tgid(parent)) : undefined;
      p = { tgid: id, ...(inherited ? { image: inherited.image, commandLine: inherited.commandLine, cwd: inherited.cwd } : { cwd: options.cwd }) };
      procs.set(id, p);
    }
    return p;
  };
  const info = (pid: number): ProcessInfo => {
    const p = proc(pid);
    return {
      pid: String(p.tgid),
      ...(p.image ? { image: p.image, name: p.image.split('/').pop()! } : {}),
      ...(p.commandLine !== undefined ? { commandLine: p.commandLine } : {}),
      ...(p.cwd ? { currentDirectory: p.cwd } : {}),
      ...(options.user ? { user: options.user } : {}),
    };
  };
  const base = (c: Call) => ({
    time: isoMicros(c.time),
    ...(options.host ? { host: options.host } : {}),
    platform: 'linux' as const,
    origin: { format: 'strace' as const, sensor: 'strace' as const, file: options.file, line: c.line, synthetic: true },
    record: { type: 'trace' as const, lines: c.lines },
  });

  const events: CanonicalEvent[] = [];
  for (const c of calls) {
    const ok = /^\d+/.test(c.ret) || /EINPROGRESS/.test(c.ret);
    if (['clone', 'clone3', 'fork', 'vfork'].includes(c.name)) {
      const child = Number(c.ret);
      if (Number.isInteger(child) && child > 0 && !threadOf.has(child)) proc(child);
      continue;
    }
    if (c.name === 'execve' || c.name === 'execveat') {
      if (c.ret !== '0') continue;
      const a = execArgs(c.name, c.args);
      if (!a) continue;
      const p = proc(c.pid);
      const parentPid = parentOf.get(p.tgid);
      const parent = parentPid !== undefined ? info(parentPid) : undefined;
      const requested = joinPath(p.cwd, a.path);
      const resolved = options.resolveExec?.(requested);
      p.image = resolved?.image ?? requested;
      // binfmt_script: argv = interpreter [arg] <path as given to execve> argv[1..]
      p.commandLine = resolved?.argvPrefix.length
        ? [...resolved.argvPrefix, a.path, ...a.argv.slice(1)].join(' ')
        : a.argv.join(' ');
      events.push({
        kind: 'process_creation',
        ...base(c),
        process: info(c.pid),
        ...(parent ? { parent } : {}),
      });
      continue;
    }
    if (c.name === 'chdir') {
      if (c.ret === '0') {
        const target = quotedStrings(c.args)[0]?.value;
        if (target) proc(c.pid).cwd = joinPath(proc(c.pid).cwd, target);
      }
      continue;
    }
    if (c.name === 'connect') {
      if (!ok) continue;
      const net = sockaddr(c.args);
      if (!net) continue;
      events.push({ kind: 'network_connection', ...base(c), process: info(c.pid), network: { protocol: 'tcp', initiated: true, ...net } });
      continue;
    }
    if (c.name === 'openat' || c.name === 'open' || c.name === 'creat') {
      if (!/^\d+$/.test(c.ret)) continue;
      if (c.name !== 'creat' && !/O_CREAT/.test(c.args)) continue;
      const p = quotedStrings(c.args)[0]?.value;
      if (!p) continue;
      events.push({ kind: 'file_event', ...base(c), process: info(c.pid), file: { path: joinPath(proc(c.pid).cwd, p) } });
    }
  }
  return events;
}

/** `{sa_family=AF_INET, sin_port=htons(8765), sin_addr=inet_addr("127.0.0.1")}` (and AF_INET6) → destination. */
function sockaddr(args: string): { destinationIp: string; destinationPort: string } | undefined {
  const v4 = /sa_family=AF_INET, sin_port=htons\((\d+)\), sin_addr=inet_addr\("([^"]+)"\)/.exec(args);
  if (v4) return { destinationIp: v4[2]!, destinationPort: v4[1]! };
  const v6 = /sa_family=AF_INET6, sin6_port=htons\((\d+)\).*?inet_pton\(AF_INET6, "([^"]+)"/.exec(args);
  if (v6) return { destinationIp: v6[2]!, destinationPort: v6[1]! };
  return undefined;
}
