// The JSON shapes of telemetry.md §3 through readEvents, in both flatJson modes.
import { describe, expect, it } from 'vitest';
import { collect, events, fixture } from '../collect.ts';

describe("flat objects: the product's own view, as-is (CONTRACTS.md: no mapping or renaming)", () => {
  it('JSON Lines and a JSON array of flat objects give the same records, unchanged (numbers, arrays and nulls too)', async () => {
    const lines = await events(fixture('flat.jsonl'));
    const array = await events(fixture('flat-array.json'));
    expect(lines.map((e) => e.record)).toEqual(array.map((e) => e.record));
    expect(lines.every((e) => e.kind === 'raw' && e.record.type === 'flat' && e.origin.format === 'json-flat')).toBe(true);
    expect(lines[2]!.record).toEqual({
      type: 'flat',
      fields: { Image: '/usr/bin/curl', ParentImage: '/usr/bin/python3', CommandLine: 'curl http://127.0.0.1:8765', tags: ['a', 'b'], count: 3, missing: null },
    });
    expect(lines[0]!.host).toBe('LAB-WIN10');
  });

  it("a flat object with Falcon's tag field but no Falcon id/time stays flat in both modes", async () => {
    for (const flatJson of ['view', 'normalize'] as const) {
      const e = (await events(fixture('flat.jsonl'), { flatJson }))[1]!;
      expect(e.record).toEqual({ type: 'flat', fields: { '#event_simpleName': 'ProcessRollup2', ImageFileName: '\\Device\\HarddiskVolume3\\Windows\\System32\\cmd.exe', ParentBaseFileName: 'msiexec.exe' } });
    }
  });
});

describe('OTRF / nxlog flat Windows JSON (Security-Datasets)', () => {
  it("'view' keeps the objects flat (format recognised in the origin)", async () => {
    const evs = await events(fixture('otrf.json'));
    expect(evs.map((e) => [e.kind, e.origin.format, e.record.type])).toEqual([
      ['raw', 'json-otrf', 'flat'], ['raw', 'json-otrf', 'flat'], ['raw', 'json-otrf', 'flat'],
    ]);
  });

  it("'normalize' parses them: 4688 with ParentProcessName (v2 by its fields, no Version key), Sysmon 3, others raw", async () => {
    const [p, n, other] = await events(fixture('otrf.json'), { flatJson: 'normalize' });
    expect(p!.kind).toBe('process_creation');
    expect(p!.process).toEqual({
      pid: '9260', image: 'C:\\Windows\\System32\\bitsadmin.exe', commandLine: 'bitsadmin.exe /transfer job https://10.0.0.5/x.ps1 C:\\Users\\lab\\x.ps1',
      user: 'WORKSTATION5\\wardog', integrityLevel: 'High', tokenElevationType: 'default',
    });
    expect(p!.parent).toEqual({ pid: '10044', image: 'C:\\Windows\\System32\\cmd.exe' });
    expect(p!.host).toBe('WORKSTATION5');
    expect(p!.time).toBe('2020-10-23T02:36:43.542Z');
    expect(p!.record.type).toBe('win');
    expect(n!.kind).toBe('network_connection');
    expect(n!.network).toEqual({ protocol: 'tcp', initiated: true, sourceIp: '172.18.39.5', sourcePort: '50012', destinationIp: '151.101.208.133', destinationPort: '443' });
    expect(other!.kind).toBe('raw');
    expect(other!.origin.sensor).toBe('windows-other');
  });
});

describe('Falcon FDR NDJSON (every value a string, telemetry.md §6)', () => {
  it("'view' keeps FDR objects flat", async () => {
    const evs = await events(fixture('falcon.ndjson'));
    expect(evs.every((e) => e.kind === 'raw' && e.record.type === 'flat' && e.origin.format === 'json-falcon-fdr' && e.origin.sensor === 'falcon')).toBe(true);
  });

  it("'normalize': PR2 → process_creation, NetworkConnectIP4 → network_connection joined to the PR2 by ContextProcessId, DnsRequest raw", async () => {
    const evs = await events(fixture('falcon.ndjson'), { flatJson: 'normalize' });
    expect(evs.map((e) => e.kind)).toEqual(['process_creation', 'process_creation', 'network_connection', 'raw', 'process_creation']);
    expect(evs[2]!.process).toEqual({ guid: '1002', pid: '209', image: '/usr/bin/curl', commandLine: 'curl -s http://127.0.0.1:8765/callback' });
    expect(evs.every((e) => e.record.type === 'falcon')).toBe(true);
    // LogScale: the type in the tag field, the time a number
    expect(evs[4]!.platform).toBe('windows');
    expect(evs[4]!.time).toBe('2024-05-02T10:00:02.000Z');
    expect(evs[4]!.parent).toEqual({ guid: '2000', name: 'msiexec.exe' });
  });
});

describe('Splunk export ({"result":{...}} lines)', () => {
  it("'view': the result object is Splunk's own view, kept flat (multivalue arrays too)", async () => {
    const [win, audit] = await events(fixture('splunk-export.json'));
    expect(win!.record.type).toBe('flat');
    expect(win!.origin.format).toBe('json-splunk-export');
    expect((win!.record as { fields: Record<string, unknown> }).fields.process).toEqual(['msiexec', 'msiexec.exe']);
    expect(Object.keys((win!.record as { fields: Record<string, unknown> }).fields)).not.toContain('preview');
    expect(audit!.record.type).toBe('flat');
  });

  it("'normalize': a result whose _raw is event XML is parsed (the _raw kept as the record text); other results stay flat", async () => {
    const [win, audit] = await events(fixture('splunk-export.json'), { flatJson: 'normalize' });
    expect(win!.kind).toBe('process_creation');
    expect(win!.process?.image).toBe('C:\\Windows\\System32\\msiexec.exe');
    expect(win!.process?.pid).toBe('3972');
    expect(win!.process?.integrityLevel).toBe('High');
    expect(win!.parent).toEqual({ pid: '2860', image: 'C:\\Windows\\System32\\cmd.exe' });
    expect(win!.record.type === 'win' && win!.record.text?.startsWith("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'>")).toBe(true);
    expect(audit!.kind).toBe('raw');
    expect(audit!.record.type).toBe('flat');
  });
});

describe('{"Event":{...}} shapes are always parsed (both modes)', () => {
  it('Rust evtx crate stream of pretty-printed objects: Sysmon 3 and a positional MsiInstaller 1040', async () => {
    const evs = await events(fixture('evtx-rs-stream.json'));
    expect(evs.map((e) => [e.kind, e.origin.format, e.origin.line])).toEqual([['network_connection', 'json-evtx-rs', 1], ['installer', 'json-evtx-rs', 62]]);
    expect(evs[0]!.time).toBe('2025-11-28T06:43:04.582969Z');
    expect(evs[0]!.network?.destinationHostname).toBe('registry.npmjs.org');
    expect(evs[1]!.installer).toEqual({ eventId: 1040, package: 'C:\\Users\\dev\\Downloads\\tool, v2.msi', clientPid: '7000' });
  });

  it('PowerShell export: collapsed MsiInstaller Data split by template (commas inside values survive), other providers’ 1040 stays raw', async () => {
    const evs = await events(fixture('powershell-export.json'));
    expect(evs.map((e) => e.kind)).toEqual(['installer', 'installer', 'installer', 'raw', 'process_creation', 'raw']);
    expect(evs[0]!.installer).toEqual({ eventId: 1040, package: 'C:\\Users\\labuser\\Downloads\\Setup, Final (1).msi', clientPid: '2476' });
    expect(evs[1]!.installer).toMatchObject({ productName: 'Lab, Test Installer', manufacturer: 'Contoso, Ltd.', status: '0', productCode: '{0C9A6BB2-4F5E-4D3B-9A39-2C1A7B0E5F11}' });
    expect(evs[2]!.installer?.productName).toBe('Lab, Test Installer');
    expect(evs[3]!.origin.sensor).toBe('windows-other');
    expect(evs[4]!.time).toBe('2024-05-02T10:02:01.9214948Z');
  });

  it('a JSON value that is not an object is an error naming its line', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const f = `${mkdtempSync(`${tmpdir()}/al-json-`)}/x.jsonl`;
    writeFileSync(f, '{"a":1}\n[1,2]\n');
    const r = await collect(f);
    expect(r.events).toHaveLength(1);
    expect(r.error?.describe()).toBe(`${f}:2: expected a JSON object (one event), got an array`);
  });
});
