import { describe, expect, it } from 'vitest';
import { getView } from '../../../../harness/telemetry/views/index.ts';
import { linuxConnect, linuxCurl, msiEvent, securityEvent, sysmonEvent, wineEvent } from '../../../fixtures/views/events.ts';

const sigma = getView('sigma');

describe('Sigma view', () => {
  it('keeps EventData names and names System attributes Element_Attribute (Sigma spec "Field usage")', () => {
    const e = sigma.render(sysmonEvent)!;
    expect(e.Image).toBe(sysmonEvent.process!.image);
    expect(e.ParentImage).toBe('C:\\Windows\\System32\\msiexec.exe');
    expect(e.EventID).toBe('1');
    expect(e.Channel).toBe('Microsoft-Windows-Sysmon/Operational');
    expect(e.Provider_Name).toBe('Microsoft-Windows-Sysmon');
    expect(e.Execution_ProcessID).toBe('3092');
    expect(e.TimeCreated_SystemTime).toBe('2024-10-26T15:13:49.9214948Z');
  });

  it('keeps 4688 field names as 4688 has them: no taxonomy renaming in the view', () => {
    const e = sigma.render(securityEvent)!;
    expect(e.NewProcessName).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(e.ParentProcessName).toBe('C:\\Windows\\System32\\msiexec.exe');
    expect(e).not.toHaveProperty('Image');
    expect(e).not.toHaveProperty('ParentCommandLine');
  });

  it('gives positional MsiInstaller items as the multivalue pseudo-field Data, empty last item kept (telemetry.md §1.4)', () => {
    const e = sigma.render(msiEvent)!;
    expect(e.Data).toEqual(['http://officemysuppbox.com/staterepository', '2600', '(NULL)', '(NULL)', '(NULL)', '(NULL)', '']);
    expect(e.EventID_Qualifiers).toBe('0');
  });

  it('renders Wine-derived processes as Windows Sysmon EID 1 with "-" for what the lab cannot know (telemetry.md §7)', () => {
    const e = sigma.render(wineEvent)!;
    expect(e.EventID).toBe('1');
    expect(e.Channel).toBe('Microsoft-Windows-Sysmon/Operational');
    expect(e.Image).toBe('C:\\windows\\system32\\cmd.exe');
    expect(e.ParentImage).toBe('C:\\windows\\system32\\msiexec.exe');
    expect(e.ProcessId).toBe('260');
    expect(e.ParentProcessId).toBe('236');
    expect(e.Hashes).toBe('-');
    expect(e.OriginalFileName).toBe('-');
    expect(e.UtcTime).toBe('2026-11-23 13:00:01.108');
  });

  it('renders auditd-derived processes as Sysmon for Linux EID 1 (telemetry.md §4, §7)', () => {
    const e = sigma.render(linuxCurl)!;
    expect(e.Provider_Name).toBe('Linux-Sysmon');
    expect(e.Channel).toBe('Linux-Sysmon/Operational');
    expect(e.IntegrityLevel).toBe('no level');
    expect(e.Image).toBe('/usr/bin/curl');
    expect(e.ParentImage).toBe('/usr/bin/python3.11');
    expect(e.CurrentDirectory).toBe('/tmp/pkg');
    expect(e.Security_UserID).toBe('0');
  });

  it('renders connections as Sysmon EID 3 with Initiated the string "true" (sigma.md §3.1)', () => {
    const e = sigma.render(linuxConnect)!;
    expect(e.EventID).toBe('3');
    expect(e.Initiated).toBe('true');
    expect(e.DestinationIp).toBe('127.0.0.1');
    expect(e.DestinationPort).toBe('8765');
    expect(e.DestinationIsIpv6).toBe('false');
  });

  it('gives the same process the same ProcessGuid across its events, and links a child to its parent', () => {
    const proc = sigma.render(linuxCurl)!;
    const conn = sigma.render(linuxConnect)!;
    expect(conn.ProcessGuid).toBe(proc.ProcessGuid);
  });
});

describe('Sigma view, profile sigma-auditd', () => {
  it('gives auditd-captured events as their raw record keys for service: auditd rules (sigma.md §3.5)', () => {
    const e = getView('sigma', 'sigma-auditd').render({
      ...linuxCurl,
      record: { type: 'auditd', lines: ['type=EXECVE msg=audit(1795436005.680:53): argc=2 a0="curl" a1="-s"'] },
    })!;
    expect(e).toEqual({ type: 'EXECVE', msg: 'audit(1795436005.680:53)', argc: '2', a0: 'curl', a1: '-s' });
    expect(e).not.toHaveProperty('Channel');
  });
});
