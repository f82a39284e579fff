import { describe, expect, it } from 'vitest';
import { rule } from './helpers.ts';

// Log-source pipelines as data (detections/mappings/sigma/*.yml).
const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const body = `    sel:\n        ParentImage|endswith: '\\\\msiexec.exe'\n        Image|endswith: '\\\\powershell.exe'\n    condition: sel`;
const pc = '{product: windows, category: process_creation}';

describe('log sources', () => {
  it('windows process_creation selects Sysmon EID 1 and Security 4688, not other events', () => {
    const r = rule(body, pc);
    const sysmon = { Channel: SYSMON, EventID: 1, ParentImage: 'C:\\Windows\\System32\\msiexec.exe', Image: 'C:\\x\\powershell.exe' };
    expect(r.matches(sysmon)).toBe(true);
    expect(r.matches({ ...sysmon, EventID: 3 })).toBe(false);
    expect(r.matches({ ...sysmon, Channel: 'Linux-Sysmon/Operational' })).toBe(false);
  });
  it('on 4688 taxonomy fields map to the Security names (Image → NewProcessName, ParentImage → ParentProcessName)', () => {
    const r = rule(body, pc);
    const ev = { Channel: 'Security', EventID: 4688, ParentProcessName: 'C:\\Windows\\System32\\msiexec.exe', NewProcessName: 'C:\\x\\powershell.exe' };
    expect(r.matches(ev)).toBe(true);
  });
  it('a field 4688 lacks (ParentCommandLine) neither matches nor silently passes a filter: the result is unknown', () => {
    const r = rule(`    sel:\n        NewProcessName|endswith: '.exe'\n    sel2:\n        Image|endswith: '.exe'\n    filter:\n        ParentCommandLine|contains: 'x'\n    condition: sel2 and not filter`, pc);
    const ev = { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\a.exe' };
    expect(r.test(ev)).toBe(2); // U
    expect(r.matches(ev)).toBe(false);
    expect(r.whyNot([ev]).summary).toMatch(/undecidable/);
    expect(r.explain().lints.map((l) => l.code)).toContain('SIGMA_FIELD_UNSUPPORTED_ON_SOURCE');
  });
  it('a rule accepting Image or OriginalFileName still decides 4688 events through Image (true or unknown = true)', () => {
    const r = rule(`    sel:\n        - Image|endswith: '\\\\cmd.exe'\n        - OriginalFileName: 'Cmd.Exe'\n    condition: sel`, pc);
    expect(r.matches({ Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\cmd.exe' })).toBe(true);
  });
  it('4688 MandatoryLabel SIDs read as the taxonomy IntegrityLevel names', () => {
    const r = rule(`    sel:\n        IntegrityLevel: 'System'\n    condition: sel`, pc);
    expect(r.matches({ Channel: 'Security', EventID: 4688, MandatoryLabel: 'S-1-16-16384' })).toBe(true);
  });
  it('events with no log-source field at all are seen by every rule, keys taken as taxonomy names (Zircolite-style)', () => {
    const r = rule(body, pc);
    expect(r.matches({ ParentImage: 'C:\\Windows\\msiexec.exe', Image: 'C:\\powershell.exe' })).toBe(true);
  });
  it('an event with EventID but no Channel still counts as its category (Channel is optional in where)', () => {
    const r = rule(body, pc);
    expect(r.matches({ EventID: 1, ParentImage: 'C:\\Windows\\msiexec.exe', Image: 'C:\\powershell.exe' })).toBe(true);
    expect(r.matches({ EventID: 3, ParentImage: 'C:\\Windows\\msiexec.exe', Image: 'C:\\powershell.exe' })).toBe(false);
  });
  it('linux process_creation is Sysmon for Linux EID 1; service auditd is raw auditd records', () => {
    const r = rule(`    sel:\n        Image|endswith: '/curl'\n    condition: sel`, '{product: linux, category: process_creation}');
    expect(r.matches({ Channel: 'Linux-Sysmon/Operational', EventID: 1, Image: '/usr/bin/curl' })).toBe(true);
    expect(r.matches({ Channel: SYSMON, EventID: 1, Image: '/usr/bin/curl' })).toBe(false);
    const a = rule(`    sel:\n        type: 'EXECVE'\n        a0: 'curl'\n    condition: sel`, '{product: linux, service: auditd}');
    expect(a.matches({ type: 'EXECVE', a0: 'curl', a1: '-s' })).toBe(true);
    expect(a.matches({ Channel: 'Linux-Sysmon/Operational', EventID: 1, type: 'EXECVE', a0: 'curl' })).toBe(false);
  });
  it('a logsource no pipeline knows only sees unlabelled events, and explain says so', () => {
    const r = rule(`    sel:\n        A: 'x'\n    condition: sel`, '{product: macos, category: process_creation}');
    expect(r.matches({ A: 'x' })).toBe(true);
    expect(r.matches({ Channel: SYSMON, EventID: 1, A: 'x' })).toBe(false);
    expect(r.explain().lints.map((l) => l.code)).toContain('SIGMA_LOGSOURCE_UNMAPPED');
  });
});
