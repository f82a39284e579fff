import { describe, expect, it } from 'vitest';
import { getView } from '../../../../harness/telemetry/views/index.ts';
import { flatEvent, linuxCurl, msiEvent, securityEvent, sysmonEvent, wineEvent } from '../../../fixtures/views/events.ts';

const current = getView('splunk');
const legacy = getView('splunk', 'splunk-legacy');

describe('Splunk view', () => {
  it('writes _raw as the Universal Forwarder does: one line, single-quoted attributes, namespace kept (spl.md §7)', () => {
    const raw = String(current.render(sysmonEvent)!._raw);
    expect(raw.startsWith("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon'")).toBe(true);
    expect(raw).not.toContain('\n');
    expect(raw).toContain("<Data Name='ParentImage'>C:\\Windows\\System32\\msiexec.exe</Data>");
  });

  it('current add-on naming: sourcetype XmlWinEventLog, channel in source, index wineventlog (spl.md §7 [STRENAME])', () => {
    const e = current.render(sysmonEvent)!;
    expect(e.sourcetype).toBe('XmlWinEventLog');
    expect(e.source).toBe('XmlWinEventLog:Microsoft-Windows-Sysmon/Operational');
    expect(e.index).toBe('wineventlog');
    expect(e.host).toBe('SERVER002');
  });

  it('legacy naming: sourcetype XmlWinEventLog:<channel>, as the seed SPL rule assumes', () => {
    expect(legacy.render(sysmonEvent)!.sourcetype).toBe('XmlWinEventLog:Microsoft-Windows-Sysmon/Operational');
    expect(legacy.render(securityEvent)!.sourcetype).toBe('XmlWinEventLog:Security');
  });

  it('extracts EventData by name and System fields as the Windows add-on does (EventCode, Computer, ...)', () => {
    const e = current.render(sysmonEvent)!;
    expect(e.EventCode).toBe('1');
    expect(e.Image).toBe(sysmonEvent.process!.image);
    expect(e.ParentImage).toBe('C:\\Windows\\System32\\msiexec.exe');
    expect(e.Computer).toBe('SERVER002');
    expect(e.Channel).toBe('Microsoft-Windows-Sysmon/Operational');
    expect(e._time).toBe('1729955629.921494');
  });

  it('adds the Sysmon add-on CIM fields: process = CommandLine, parent_process = ParentCommandLine, signature_id = EventCode', () => {
    const e = current.render(sysmonEvent)!;
    expect(e.process).toBe(sysmonEvent.process!.commandLine);
    expect(e.process_name).toBe('powershell.exe');
    expect(e.parent_process).toBe(sysmonEvent.parent!.commandLine);
    expect(e.parent_process_name).toBe('msiexec.exe');
    expect(e.signature_id).toBe('1');
    expect(e.user).toBe('SERVER002\\admin_test');
  });

  it('4688: process from CommandLine, parent_process = ParentProcessName, hex ids as decimal; no ParentImage, no NewProcessCommandLine (spl.md §7)', () => {
    const e = current.render(securityEvent)!;
    expect(e.EventCode).toBe('4688');
    expect(e.NewProcessName).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(e.process).toBe('cmd.exe /c echo x > C:\\custom_action_test.txt');
    expect(e.parent_process).toBe('C:\\Windows\\System32\\msiexec.exe');
    expect(e.parent_process_name).toBe('msiexec.exe');
    expect(e.process_id).toBe('3972');
    expect(e.parent_process_id).toBe('2860');
    for (const k of ['ParentImage', 'Image', 'NewProcessCommandLine', 'message']) expect(e).not.toHaveProperty(k);
  });

  it('MsiInstaller: positional items as the multivalue Data, no lower-case message field (spl.md §0.4)', () => {
    const e = current.render(msiEvent)!;
    expect(e.EventCode).toBe('1040');
    expect(e.Qualifiers).toBe('0');
    expect(e.Data).toEqual(['http://officemysuppbox.com/staterepository', '2600', '(NULL)', '(NULL)', '(NULL)', '(NULL)', '']);
    expect(String(e._raw)).toContain("<EventID Qualifiers='0'>1040</EventID>");
    expect(e).not.toHaveProperty('message');
  });

  it('Wine-derived events get a Sysmon EID 1 _raw with 7-digit SystemTime', () => {
    const e = current.render(wineEvent)!;
    expect(e.sourcetype).toBe('XmlWinEventLog');
    expect(e.ParentImage).toBe('C:\\windows\\system32\\msiexec.exe');
    expect(String(e._raw)).toContain("<TimeCreated SystemTime='2026-11-23T13:00:01.1080000Z'/>");
  });

  it('Linux events are Sysmon for Linux: sourcetype sysmon:linux, no namespace in _raw (telemetry.md §4)', () => {
    const e = current.render(linuxCurl)!;
    expect(e.sourcetype).toBe('sysmon:linux');
    expect(e.source).toBe('Syslog:Linux-Sysmon/Operational');
    expect(e.index).toBe('linux');
    expect(String(e._raw).startsWith('<Event><System>')).toBe(true);
    expect(e.ParentImage).toBe('/usr/bin/python3.11');
    expect(e.process).toBe(linuxCurl.process!.commandLine);
  });

  it("drops libevtx's zero padding of hex values, as Windows renders them (telemetry.md §1.3: 0x00000b2c in EVTX renderings, 0xf84 in _raw)", () => {
    const padded = {
      ...securityEvent,
      origin: { ...securityEvent.origin, format: 'evtx' as const },
      record: {
        type: 'win' as const,
        event: { ...securityEvent.record.type === 'win' ? securityEvent.record.event : ({} as never), keywords: '0x0080000000000000', data: [{ name: 'NewProcessId', value: '0x00000b2c' }, { name: 'SubjectLogonId', value: '0x3e7' }, { name: 'CommandLine', value: '0x00 is text' }] },
      },
    };
    const e = current.render(padded)!;
    expect(e.NewProcessId).toBe('0xb2c');
    expect(e.SubjectLogonId).toBe('0x3e7');
    expect(e.CommandLine).toBe('0x00 is text');
    expect(e.Keywords).toBe('0x80000000000000');
    expect(String(e._raw)).toContain("<Data Name='NewProcessId'>0xb2c</Data>");
  });

  it('passes flat objects through untouched', () => {
    expect(current.render(flatEvent)).toEqual({ EventCode: 1, Image: 'C:\\x.exe', tags: ['a', 'b'] });
  });
});

describe('Splunk view, profile splunk-linux-audit', () => {
  const audit = getView('splunk', 'splunk-linux-audit');
  it('renders auditd-captured events as linux:audit: _raw is the records, fields their key=value pairs, CIM process from EXECVE', () => {
    const e = audit.render({
      ...linuxCurl,
      record: {
        type: 'auditd',
        lines: [
          'type=SYSCALL msg=audit(1795436005.680:53): arch=c000003e syscall=59 success=yes exit=0 ppid=208 pid=209 uid=0 comm="curl" exe="/usr/bin/curl" key="exec"',
          'type=EXECVE msg=audit(1795436005.680:53): argc=2 a0="curl" a1=2D73',
        ],
      },
    })!;
    expect(e).toMatchObject({ sourcetype: 'linux:audit', index: 'linux', source: '/var/log/audit/audit.log', msg: 'audit(1795436005.680:53)' });
    expect(e.type).toEqual(['SYSCALL', 'EXECVE']);
    expect(e.exe).toBe('/usr/bin/curl');
    expect(e.a1).toBe('2D73'); // hex as written in the record
    expect(e.process).toBe(linuxCurl.process!.commandLine);
    expect(e.process_name).toBe('curl');
    expect(e.parent_process_id).toBe('208');
    expect(String(e._raw).split('\n')).toHaveLength(2);
  });
  it('keeps Windows events and non-auditd Linux events as in the splunk profile', () => {
    expect(audit.render(sysmonEvent)!.sourcetype).toBe('XmlWinEventLog');
  });
});
