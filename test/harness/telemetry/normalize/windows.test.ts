import { describe, expect, it } from 'vitest';
import type { WinEvent } from '../../../../harness/telemetry/model.ts';
import { normalizeWinEvent } from '../../../../harness/telemetry/normalize/windows.ts';

function win(provider: string, eventId: number, data: Array<[string | undefined, string]>, over: Partial<WinEvent> = {}): WinEvent {
  return {
    namespaced: provider !== 'Linux-Sysmon',
    provider: { name: provider },
    eventId,
    systemTime: '2024-10-26T15:13:49.921494800Z',
    eventRecordId: '17987',
    channel: 'x',
    computer: 'Server002',
    data: data.map(([name, value]) => (name === undefined ? { value } : { name, value })),
    ...over,
  };
}
const at = { format: 'event-xml' as const, file: 'f.xml', line: 3, offset: 10 };

describe('Sysmon EID 1/3/11 (telemetry.md §1.2, §4)', () => {
  it('EID 1 → process_creation with process and parent facts, time from SystemTime (100 ns), host from Computer', () => {
    const e = normalizeWinEvent(win('Microsoft-Windows-Sysmon', 1, [
      ['ProcessGuid', '{DBF410B3-072D-671D-D200-000000003900}'], ['ProcessId', '4940'], ['Image', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'],
      ['OriginalFileName', 'PowerShell.EXE'], ['CommandLine', 'powershell -nop'], ['CurrentDirectory', 'C:\\Windows\\system32\\'], ['User', 'SERVER002\\admin_test'],
      ['IntegrityLevel', 'High'], ['Hashes', 'SHA256=97'], ['ParentProcessGuid', '{D1}'], ['ParentProcessId', '5552'], ['ParentImage', 'C:\\Windows\\System32\\msiexec.exe'],
      ['ParentCommandLine', 'C:\\Windows\\System32\\MsiExec.exe -Embedding 696C'], ['ParentUser', 'SERVER002\\admin_test'],
    ]), at, '<Event/>');
    expect(e).toMatchObject({
      kind: 'process_creation', time: '2024-10-26T15:13:49.9214948Z', host: 'Server002', platform: 'windows',
      origin: { format: 'event-xml', sensor: 'sysmon', file: 'f.xml', line: 3, offset: 10, record: 17987, synthetic: false },
      process: {
        pid: '4940', guid: '{DBF410B3-072D-671D-D200-000000003900}', image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', commandLine: 'powershell -nop',
        currentDirectory: 'C:\\Windows\\system32\\', user: 'SERVER002\\admin_test', integrityLevel: 'High', hashes: 'SHA256=97', originalFileName: 'PowerShell.EXE',
      },
      parent: { pid: '5552', guid: '{D1}', image: 'C:\\Windows\\System32\\msiexec.exe', commandLine: 'C:\\Windows\\System32\\MsiExec.exe -Embedding 696C', user: 'SERVER002\\admin_test' },
    });
    expect(e.record).toEqual({ type: 'win', event: expect.objectContaining({ eventId: 1 }), text: '<Event/>' });
  });

  it('Sysmon for Linux: same fields, platform linux, sensor sysmon-linux, `-` hashes and file names absent', () => {
    const e = normalizeWinEvent(win('Linux-Sysmon', 1, [['ProcessId', '10268'], ['Image', '/usr/bin/sudo'], ['OriginalFileName', '-'], ['Hashes', '-'], ['ParentImage', '/bin/bash']], {
      systemTime: '2022-08-09T10:42:47.749450000Z',
    }), at);
    expect(e.platform).toBe('linux');
    expect(e.origin.sensor).toBe('sysmon-linux');
    expect(e.time).toBe('2022-08-09T10:42:47.749450000Z');
    expect(e.process).toEqual({ pid: '10268', image: '/usr/bin/sudo' });
    expect(e.parent).toEqual({ image: '/bin/bash' });
  });

  it('EID 3 → network_connection: Initiated as a boolean, `-` hostname absent', () => {
    const e = normalizeWinEvent(win('Microsoft-Windows-Sysmon', 3, [
      ['ProcessId', '1'], ['Image', 'a.exe'], ['Protocol', 'tcp'], ['Initiated', 'false'], ['SourceIp', '10.0.2.15'], ['SourcePort', '49178'],
      ['DestinationIp', '151.101.36.133'], ['DestinationHostname', '-'], ['DestinationPort', '443'],
    ]), at);
    expect(e.kind).toBe('network_connection');
    expect(e.network).toEqual({ protocol: 'tcp', initiated: false, sourceIp: '10.0.2.15', sourcePort: '49178', destinationIp: '151.101.36.133', destinationPort: '443' });
  });

  it('EID 11 → file_event with CreationUtcTime as ISO', () => {
    const e = normalizeWinEvent(win('Microsoft-Windows-Sysmon', 11, [['ProcessId', '9'], ['Image', 'm.exe'], ['TargetFilename', 'C:\\t\\x.txt'], ['CreationUtcTime', '2023-02-08 13:01:11.053']]), at);
    expect(e.file).toEqual({ path: 'C:\\t\\x.txt', creationTime: '2023-02-08T13:01:11.053Z' });
  });

  it('other Sysmon events (EID 2, 5, 7, 10 ...) stay raw with the record', () => {
    const e = normalizeWinEvent(win('Microsoft-Windows-Sysmon', 10, [['SourceImage', 'a']]), at);
    expect(e.kind).toBe('raw');
    expect(e.process).toBeUndefined();
    expect(e.origin.sensor).toBe('sysmon');
  });
});

describe('Security 4688 by version (telemetry.md §1.3, learn.microsoft.com event-4688)', () => {
  const subject: Array<[string, string]> = [['SubjectUserSid', 'S-1-5-18'], ['SubjectUserName', 'HOST$'], ['SubjectDomainName', 'WORKGROUP'], ['SubjectLogonId', '0x3e7']];
  it('v0: hex pids to decimal, no command line, the parent is its pid only; TokenElevationType %%1938 = limited', () => {
    const e = normalizeWinEvent(win('Microsoft-Windows-Security-Auditing', 4688, [...subject, ['NewProcessId', '0x00000b2c'], ['NewProcessName', 'C:\\x.exe'], ['TokenElevationType', '%%1938'], ['ProcessId', '0xf84']], { version: '0' }), at);
    expect(e.kind).toBe('process_creation');
    expect(e.origin.sensor).toBe('security-auditing');
    expect(e.process).toEqual({ pid: '2860', image: 'C:\\x.exe', user: 'WORKGROUP\\HOST$', tokenElevationType: 'limited' });
    expect(e.parent).toEqual({ pid: '3972' });
  });

  it('v1: + CommandLine (an empty one, policy off, is absent); %%1937 = full (elevated)', () => {
    const e = normalizeWinEvent(win('Microsoft-Windows-Security-Auditing', 4688, [...subject, ['NewProcessId', '0x104'], ['NewProcessName', 'C:\\y.exe'], ['TokenElevationType', '%%1937'], ['ProcessId', '0x4'], ['CommandLine', '']], { version: '1' }), at);
    expect(e.process).toEqual({ pid: '260', image: 'C:\\y.exe', user: 'WORKGROUP\\HOST$', tokenElevationType: 'full' });
  });

  it('v2: ParentProcessName, MandatoryLabel SID → integrity, the Target account when set, else the Subject (`-`, resolved NULL SID)', () => {
    const v2 = (target: string, label: string) => normalizeWinEvent(win('Microsoft-Windows-Security-Auditing', 4688, [
      ...subject, ['NewProcessId', '0xf84'], ['NewProcessName', 'C:\\p.exe'], ['TokenElevationType', '%%1936'], ['ProcessId', '0xb2c'], ['CommandLine', 'p --x'],
      ['TargetUserSid', 'S-1-5-21-1'], ['TargetUserName', target], ['TargetDomainName', 'LAB'], ['TargetLogonId', '0x0'], ['ParentProcessName', 'C:\\splunkd.exe'], ['MandatoryLabel', label],
    ], { version: '2' }), at);
    const a = v2('alice', 'S-1-16-12288');
    expect(a.process).toEqual({ pid: '3972', image: 'C:\\p.exe', commandLine: 'p --x', user: 'LAB\\alice', integrityLevel: 'High', tokenElevationType: 'default' });
    expect(a.parent).toEqual({ pid: '2860', image: 'C:\\splunkd.exe' });
    const b = v2('-', 'Mandatory Label\\System Mandatory Level');
    expect(b.process?.user).toBe('WORKGROUP\\HOST$');
    expect(b.process?.integrityLevel).toBe('System');
  });
});

describe('MsiInstaller (telemetry.md §1.4: positional Data, always filtered on the provider)', () => {
  const N = (n: number) => Array.from({ length: n }, () => [undefined, '(NULL)'] as [undefined, string]);
  const code = Buffer.from('{09943D09-F8C8-49D2-BAC4-930024B5BEF5}').toString('hex').toUpperCase();
  it('1040/1042: Data1 package (path or URL without .msi), Data2 client pid', () => {
    for (const id of [1040, 1042]) {
      const e = normalizeWinEvent(win('MsiInstaller', id, [[undefined, 'http://officemysuppbox.com/staterepository'], [undefined, '2600'], ...N(4), [undefined, '']]), at);
      expect(e.kind).toBe('installer');
      expect(e.origin.sensor).toBe('msiinstaller');
      expect(e.installer).toEqual({ eventId: id, package: 'http://officemysuppbox.com/staterepository', clientPid: '2600' });
    }
  });

  it('1033: product, version, language, status, manufacturer; ProductCode from the ASCII start of Binary (opaque tail ignored)', () => {
    const e = normalizeWinEvent(win('MsiInstaller', 1033, [[undefined, 'Atomic Red Team Test Installer'], [undefined, '1.0.0'], [undefined, '1033'], [undefined, '0'], [undefined, 'International Atomic Test Agency'], ...N(1), [undefined, '']], {
      binary: `${code}3030303037336262`,
    }), at);
    expect(e.installer).toEqual({
      eventId: 1033, productName: 'Atomic Red Team Test Installer', productVersion: '1.0.0', productLanguage: '1033', status: '0',
      manufacturer: 'International Atomic Test Agency', productCode: '{09943D09-F8C8-49D2-BAC4-930024B5BEF5}',
    });
  });

  it('11707 and 11724: the message, the product name inside it, the ProductCode', () => {
    const ok = normalizeWinEvent(win('MsiInstaller', 11707, [[undefined, 'Product: Atomic Red Team Test Installer -- Installation completed successfully.'], ...N(5), [undefined, '']], { binary: code }), at);
    expect(ok.installer).toEqual({
      eventId: 11707, message: 'Product: Atomic Red Team Test Installer -- Installation completed successfully.', productName: 'Atomic Red Team Test Installer', productCode: '{09943D09-F8C8-49D2-BAC4-930024B5BEF5}',
    });
    const rm = normalizeWinEvent(win('MsiInstaller', 11724, [[undefined, 'Product: X -- Removal completed successfully.'], ...N(5), [undefined, '']]), at);
    expect(rm.installer).toEqual({ eventId: 11724, message: 'Product: X -- Removal completed successfully.', productName: 'X' });
  });

  it('EventID 1040 of another provider (Security-SPP, Qualifiers 16384) is not an installer event', () => {
    const e = normalizeWinEvent(win('Microsoft-Windows-Security-SPP', 1040, [[undefined, '2024-10-27T14:35:17Z'], [undefined, 'RulesEngine']], { qualifiers: '16384' }), at);
    expect(e.kind).toBe('raw');
    expect(e.installer).toBeUndefined();
    expect(e.origin.sensor).toBe('windows-other');
  });

  it('other MsiInstaller events (1035, 11728 ...) stay raw', () => {
    expect(normalizeWinEvent(win('MsiInstaller', 1035, [[undefined, 'x']]), at).kind).toBe('raw');
  });
});
