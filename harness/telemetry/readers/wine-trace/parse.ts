// Wine debug trace (WINEDEBUG=+pid,+timestamp,+process,+msi,+file) → canonical process_creation
// and file_event events with Windows paths and parent/child links, shaped like Sysmon EID 1/11
// (mapping: telemetry.md §7; line formats: lab-recipes §2.4).
//
// - A line is `<time>:<pid>:<tid>:<class>:<channel>:<function> <message>`; pids/tids are hex.
//   `<time>` is seconds of CLOCK_MONOTONIC_RAW (measured: Wine's timestamps sit between two
//   CLOCK_MONOTONIC_RAW readings and ahead of CLOCK_MONOTONIC by its NTP slew), so it is anchored
//   to the wall clock with a (wall, monotonic-raw) pair read just before Wine was started.
// - A process creation is the creator's `CreateProcessInternalW app … cmdline L"…"`, then
//   `NtCreateUserProcess L"\\??\\C:\\…" image … cmdline …`, then `NtCreateUserProcess L"\\??\\…"
//   pid XXXX tid YYYY`, all on the creator's pid:tid. Image = the NtCreateUserProcess path without
//   `\??\` (also when CreateProcessInternalW says `app (null)`, as for type-34 custom actions);
//   CommandLine = CreateProcessInternalW's cmdline, else NtCreateUserProcess's; ProcessId = the
//   new pid; ParentProcessId = the creator's pid; ParentImage/ParentCommandLine = what was
//   recorded for the creator (nothing for the first process, started from Unix).
// - File creation: `CreateFileW L"C:\\…" … creation N` with N = 1 (CREATE_NEW) or 2
//   (CREATE_ALWAYS); 3–5 open existing files (telemetry.md §7).
// - Wine's own infrastructure (wineboot, services, winedevice, plugplay, svchost, rpcss, explorer,
//   winemenubuilder, conhost) is left out, with its file activity.
// - `msi:ACTION_CustomAction` / `HANDLE_CustomType*` lines are returned as custom-action records
//   (the action, its type in hex as Wine prints it, the formatted target), and `fixme:powershell`
//   stub lines as stub records: Wine's powershell.exe logs its arguments and runs nothing
//   (lab-recipes §2.5).
// Fields Wine cannot give (hashes, user, integrity level) are left out; every event is synthetic.
import type { CanonicalEvent, ProcessInfo } from '../../model.ts';

export interface TraceAnchor {
  /** wall clock, seconds since the epoch */
  wall: number;
  /** CLOCK_MONOTONIC_RAW at the same instant, seconds */
  monoRaw: number;
}

export interface WineTraceOptions {
  file: string;
  anchor: TraceAnchor;
  host?: string;
  user?: string;
  onWarning?: (message: string) => void;
}

export interface CustomActionRecord {
  time: string;
  pid: string;
  action: string;
  /** CustomAction.Type as Wine prints it (hex): 72 = 114, c62 = 3170 */
  typeHex: string;
  type: number;
  source: string;
  target: string;
  /** the target after property formatting, from HANDLE_CustomType<n> */
  formatted?: string;
}

export interface StubRecord {
  time: string;
  pid: string;
  program: string;
  argv: string[];
  line: number;
}

export interface WineTraceResult {
  events: CanonicalEvent[];
  customActions: CustomActionRecord[];
  stubs: StubRecord[];
}

/** Wine's own processes: their creations and file activity are not the test's. */
export const WINE_INFRASTRUCTURE = new Set([
  'wineboot.exe', 'winemenubuilder.exe', 'services.exe', 'explorer.exe', 'winedevice.exe', 'plugplay.exe',
  'svchost.exe', 'rpcss.exe', 'conhost.exe', 'start.exe', 'tabtip.exe',
]);

const LINE = /^(\d+\.\d+):([0-9a-f]{4,8}):([0-9a-f]{4,8}):(trace|fixme|err|warn):([\w]+):(\w+) ?(.*)$/;

/** `L"…"` strings of a Wine debug message, decoded (debugstr_w escapes: \\ \" \n \r \t \xHHHH). */
export function wideStrings(text: string): { value: string; start: number; end: number }[] {
  const out: { value: string; start: number; end: number }[] = [];
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i] !== 'L' || text[i + 1] !== '"') continue;
    let j = i + 2;
    let value = '';
    while (j < text.length && text[j] !== '"') {
      if (text[j] === '\\' && j + 1 < text.length) {
        const n = text[j + 1]!;
        if (n === 'x') {
          const hex = /^[0-9a-fA-F]{1,4}/.exec(text.slice(j + 2))?.[0] ?? '';
          value += String.fromCharCode(parseInt(hex || '0', 16));
          j += 2 + hex.length;
          continue;
        }
        value += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n;
        j += 2;
        continue;
      }
      value += text[j];
      j++;
    }
    out.push({ value, start: i, end: j + 1 });
    i = j;
  }
  return out;
}

/** DOS device names (`>nul` redirections) and `\\.\` device paths are not files. */
const isDevice = (p: string) => /^(nul|con|aux|prn|com\d|lpt\d)(\.[^\\]*)?$/i.test(p.slice(p.lastIndexOf('\\') + 1)) || p.startsWith('\\\\.\\');
const baseName = (p: string) => p.slice(p.lastIndexOf('\\') + 1).toLowerCase();
const decPid = (hex: string) => String(parseInt(hex, 16));

export function anchoredTime(seconds: number, anchor: TraceAnchor): string {
  const ms = Math.round((anchor.wall + (seconds - anchor.monoRaw)) * 1000);
  return new Date(ms).toISOString();
}

interface Pending {
  cmdline?: string;
  image?: string;
  lines: string[];
  line: number;
}

export function parseWineTrace(text: string, options: WineTraceOptions): WineTraceResult {
  const events: CanonicalEvent[] = [];
  const customActions: CustomActionRecord[] = [];
  const stubs: StubRecord[] = [];
  const procs = new Map<string, ProcessInfo>();
  const pending = new Map<string, Pending>();
  const infra = new Set<string>();
  const lines = text.split('\n');
  let lastCa: CustomActionRecord | undefined;

  const base = (time: number, lineNo: number, raw: string[]) => ({
    time: anchoredTime(time, options.anchor),
    ...(options.host ? { host: options.host } : {}),
    platform: 'windows' as const,
    origin: { format: 'wine-trace' as const, sensor: 'wine-trace' as const, file: options.file, line: lineNo, synthetic: true },
    record: { type: 'trace' as const, lines: raw },
  });

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const m = LINE.exec(raw);
    if (!m) continue;
    const [, t, pidHex, tidHex, cls, channel, fn, msg] = m as unknown as [string, string, string, string, string, string, string, string];
    const time = Number(t);
    const key = `${pidHex}:${tidHex}`;
    if (channel === 'process' && fn === 'CreateProcessInternalW' && msg.startsWith('app ')) {
      const strings = wideStrings(msg);
      const cmd = strings.find((s) => msg.slice(0, s.start).endsWith('cmdline '));
      pending.set(key, { ...(cmd ? { cmdline: cmd.value } : {}), lines: [raw], line: i + 1 });
      continue;
    }
    if (channel === 'process' && fn === 'NtCreateUserProcess') {
      const strings = wideStrings(msg);
      const nt = strings[0]?.value;
      if (!nt) continue;
      const image = nt.replace(/^\\\?\?\\/, '');
      const p = pending.get(key) ?? { lines: [], line: i + 1 };
      p.lines.push(raw);
      const created = / pid ([0-9a-f]+) tid [0-9a-f]+/.exec(msg.slice(strings[0]!.end));
      if (!created) {
        const cmd = strings.find((s) => msg.slice(0, s.start).endsWith('cmdline '));
        if (cmd && p.cmdline === undefined) p.cmdline = cmd.value;
        p.image = image;
        pending.set(key, p);
        continue;
      }
      pending.delete(key);
      const childPid = decPid(created[1]!);
      const commandLine = p.cmdline ?? `"${image}"`;
      const process: ProcessInfo = {
        pid: childPid,
        guid: `wine:${childPid}:${t}`,
        image,
        name: image.slice(image.lastIndexOf('\\') + 1),
        commandLine,
        ...(options.user ? { user: options.user } : {}),
      };
      const parentPid = decPid(pidHex);
      if (WINE_INFRASTRUCTURE.has(baseName(image)) || infra.has(parentPid)) {
        infra.add(childPid);
        procs.delete(childPid);
        continue;
      }
      procs.set(childPid, process);
      const parent = procs.get(parentPid) ?? { pid: parentPid };
      events.push({ kind: 'process_creation', ...base(time, p.line, p.lines), process, parent: { ...parent } });
      continue;
    }
    if (channel === 'file' && fn === 'CreateFileW') {
      const creation = / creation (\d)/.exec(msg);
      if (!creation || (creation[1] !== '1' && creation[1] !== '2')) continue;
      const path = wideStrings(msg)[0]?.value;
      const pid = decPid(pidHex);
      if (!path || infra.has(pid) || isDevice(path)) continue;
      const process = procs.get(pid) ?? { pid };
      events.push({ kind: 'file_event', ...base(time, i + 1, [raw]), process: { ...process }, file: { path } });
      continue;
    }
    if (channel === 'msi' && fn === 'ACTION_CustomAction' && msg.startsWith('Handling custom action')) {
      const strings = wideStrings(msg);
      const type = /\(([0-9a-f]+) L"/.exec(msg)?.[1];
      if (strings.length >= 3 && type) {
        lastCa = {
          time: anchoredTime(time, options.anchor), pid: decPid(pidHex), action: strings[0]!.value,
          typeHex: type, type: parseInt(type, 16), source: strings[1]!.value, target: strings[2]!.value,
        };
        customActions.push(lastCa);
      }
      continue;
    }
    if (channel === 'msi' && /^HANDLE_CustomType\d+$/.test(fn)) {
      const strings = wideStrings(msg);
      if (lastCa && lastCa.pid === decPid(pidHex)) {
        lastCa.formatted = fn === 'HANDLE_CustomType50' && strings.length >= 2 ? `${strings[0]!.value} ${strings[1]!.value}` : strings[0]?.value ?? '';
      }
      continue;
    }
    if (cls === 'fixme' && channel === 'powershell') {
      const argv = wideStrings(msg).map((s) => s.value);
      stubs.push({ time: anchoredTime(time, options.anchor), pid: decPid(pidHex), program: argv[0] ?? 'powershell.exe', argv, line: i + 1 });
    }
  }
  if (pending.size > 0) options.onWarning?.(`${pending.size} process creation(s) started but never completed in the trace`);
  return { events, customActions, stubs };
}
