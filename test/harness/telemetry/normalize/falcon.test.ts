import { describe, expect, it } from 'vitest';
import { FalconNormalizer, isFalconObject } from '../../../../harness/telemetry/normalize/falcon.ts';

// Field names and value shapes: telemetry.md §6 and the FDR samples it cites (all values strings).
const pr2 = {
  event_simpleName: 'ProcessRollup2', name: 'ProcessRollup2LinV6', event_platform: 'Lin', aid: 'ffffffffcf45', timestamp: '1625677535482',
  ProcessStartTime: '1625677535.068', TargetProcessId: '38911778380590', ParentProcessId: '38911774195823', RawProcessId: '73249',
  ImageFileName: '/usr/bin/pgbackrest', CommandLine: 'pgbackrest --stanza=main archive-get', ParentBaseFileName: 'bash', UID: '114',
  SHA1HashData: '0000000000000000000000000000000000000000', MD5HashData: '29037cef', SHA256HashData: 'a4f11f04',
};

describe('Falcon events → canonical (telemetry.md §6)', () => {
  it('recognises FDR and LogScale objects by the event type plus a Falcon id or time field', () => {
    expect(isFalconObject(pr2)).toBe(true);
    expect(isFalconObject({ '#event_simpleName': 'ProcessRollup2', '@timestamp': 1 })).toBe(true);
    expect(isFalconObject({ '#event_simpleName': 'ProcessRollup2', ImageFileName: 'x' })).toBe(false);
  });

  it('ProcessRollup2: pid = RawProcessId, guid = TargetProcessId, parent guid = ParentProcessId, ParentBaseFileName only as a name', () => {
    const e = new FalconNormalizer().normalize(pr2, { file: 'fdr.ndjson', line: 3 });
    expect(e).toMatchObject({
      kind: 'process_creation', time: '2021-07-07T17:05:35.482Z', platform: 'linux', host: 'ffffffffcf45',
      origin: { format: 'json-falcon-fdr', sensor: 'falcon', file: 'fdr.ndjson', line: 3, synthetic: false },
      process: { pid: '73249', guid: '38911778380590', image: '/usr/bin/pgbackrest', commandLine: 'pgbackrest --stanza=main archive-get', user: '114', hashes: 'MD5=29037cef,SHA256=a4f11f04' },
      parent: { guid: '38911774195823', name: 'bash' },
    });
    expect(e.parent?.image).toBeUndefined();
    expect(e.record).toEqual({ type: 'falcon', fields: pr2 });
  });

  it('SyntheticProcessRollup2 is a process_creation too; Mac platform', () => {
    const e = new FalconNormalizer().normalize({ ...pr2, event_simpleName: 'SyntheticProcessRollup2', event_platform: 'Mac' });
    expect(e.kind).toBe('process_creation');
    expect(e.platform).toBe('macos');
  });

  it('NetworkConnectIP4 has no image: joined to the PR2 read earlier (aid + ContextProcessId = TargetProcessId); Protocol 6 = tcp, direction 0 = outbound', () => {
    const n = new FalconNormalizer();
    n.normalize(pr2);
    const conn = { event_simpleName: 'NetworkConnectIP4', event_platform: 'Lin', aid: 'ffffffffcf45', timestamp: '1625677536000', ContextProcessId: '38911778380590',
      LocalAddressIP4: '10.0.0.1', LocalPort: '59926', RemoteAddressIP4: '67.43.156.14', RemotePort: '80', Protocol: '6', ConnectionDirection: '0' };
    const e = n.normalize(conn);
    expect(e.kind).toBe('network_connection');
    expect(e.process).toEqual({ guid: '38911778380590', pid: '73249', image: '/usr/bin/pgbackrest', commandLine: 'pgbackrest --stanza=main archive-get' });
    expect(e.network).toEqual({ protocol: 'tcp', initiated: true, sourceIp: '10.0.0.1', sourcePort: '59926', destinationIp: '67.43.156.14', destinationPort: '80' });
    // another host with the same id is another process
    expect(n.normalize({ ...conn, aid: 'other' }).process).toEqual({ guid: '38911778380590' });
    // a child PR2 gets its parent's image from the table
    expect(n.normalize({ ...pr2, TargetProcessId: '1', ParentProcessId: '38911778380590', ParentBaseFileName: 'pgbackrest' }).parent)
      .toEqual({ pid: '73249', image: '/usr/bin/pgbackrest', commandLine: 'pgbackrest --stanza=main archive-get', guid: '38911778380590' });
  });

  it('NetworkReceiveAcceptIP4 is an inbound connection; UDP is 17; unknown protocols stay as numbers', () => {
    const n = new FalconNormalizer();
    expect(n.normalize({ event_simpleName: 'NetworkReceiveAcceptIP4', aid: 'a', Protocol: '17' }).network).toEqual({ protocol: 'udp', initiated: false });
    expect(n.normalize({ event_simpleName: 'NetworkConnectIP4', aid: 'a', Protocol: '132', ConnectionDirection: '2' }).network).toEqual({ protocol: '132' });
  });

  it('other events (DnsRequest, EndOfProcess) stay raw; LogScale: #event_simpleName, numeric @timestamp kept as text in the record', () => {
    const n = new FalconNormalizer();
    expect(n.normalize({ event_simpleName: 'DnsRequest', aid: 'a', timestamp: '1625677476111', DomainName: 'x' }).kind).toBe('raw');
    const l = n.normalize({ '#event_simpleName': 'ProcessRollup2', '@timestamp': 1714644002000, ComputerName: 'LAB-WIN10', UserName: 'lab', event_platform: 'Win', RawProcessId: '1' });
    expect(l).toMatchObject({ kind: 'process_creation', time: '2024-05-02T10:00:02.000Z', host: 'LAB-WIN10', platform: 'windows', process: { pid: '1', user: 'lab' } });
    expect(l.record).toEqual({ type: 'falcon', fields: { '#event_simpleName': 'ProcessRollup2', '@timestamp': '1714644002000', ComputerName: 'LAB-WIN10', UserName: 'lab', event_platform: 'Win', RawProcessId: '1' } });
  });
});
