import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect, events, fixture } from './collect.ts';

describe('Sysmon for Linux syslog lines (telemetry.md §4)', () => {
  it('reads `sysmon:` (Debian) and `sysmon[pid]:` (RHEL) lines, skips other programs, keeps the XML as record text', async () => {
    const evs = await events(fixture('sysmon-linux.syslog'));
    expect(evs.map((e) => [e.origin.line, e.kind, e.origin.sensor, e.platform])).toEqual([
      [2, 'process_creation', 'sysmon-linux', 'linux'],
      [4, 'file_event', 'sysmon-linux', 'linux'],
      [5, 'network_connection', 'sysmon-linux', 'linux'],
    ]);
    expect(evs.every((e) => e.origin.format === 'sysmon-linux-syslog')).toBe(true);
    const first = evs[0]!;
    expect(first.record.type === 'win' && first.record.text?.startsWith('<Event><System><Provider Name="Linux-Sysmon"')).toBe(true);
    expect(first.record.type === 'win' && first.record.event.namespaced).toBe(false);
  });

  it('Sysmon for Linux keeps its 9-digit SystemTime (only Windows FILETIME padding is trimmed) and Windows field names', async () => {
    const [p, f, n] = await events(fixture('sysmon-linux.syslog'));
    expect(p!.time).toBe('2024-05-02T11:00:01.749450123Z');
    expect(p!.process).toMatchObject({ image: '/usr/bin/curl', commandLine: 'curl -s http://127.0.0.1:8765/callback?x=1&stage=install', user: 'root', integrityLevel: 'no level' });
    expect(p!.process?.hashes).toBeUndefined();
    expect(p!.parent).toMatchObject({ pid: '208', image: '/lab/venv/bin/python3', commandLine: '/lab/venv/bin/python3 setup.py install' });
    expect(f!.file).toEqual({ path: '/tmp/callback.out', creationTime: '2024-05-02T11:00:01.900Z' });
    expect(n!.network).toMatchObject({ destinationIp: '127.0.0.1', destinationPort: '8765', initiated: true });
  });

  it('a Sysmon line whose XML is broken stops the file at that line, after the events before it', async () => {
    const f = path.join(mkdtempSync(path.join(tmpdir(), 'al-syslog-')), 'broken.syslog');
    const lines = readFileSync(fixture('sysmon-linux.syslog'), 'utf8').split('\n');
    lines[3] = lines[3]!.replace('</EventData></Event>', '</EventData></Evnt>');
    writeFileSync(f, lines.join('\n'));
    const r = await collect(f);
    expect(r.events).toHaveLength(1);
    expect(r.error?.code).toBe('E_INPUT_XML');
    expect(r.error?.position?.line).toBe(4);
    expect(r.error?.message).toMatch(/^Sysmon event XML: /);
  });
});
