// Every public recording under external/telemetry/ read by the readers with zero errors, per-file
// counts printed, and the facts telemetry.md and PROVENANCE.md state about them checked.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../../../harness/telemetry/model.ts';
import { external } from '../../../support/corpus.ts';
import { collect } from './collect.ts';

const ROOT = external('telemetry');

/** Files that are not telemetry, and why they are not read. */
const SKIPPED: Array<[RegExp, string]> = [
  [/PROVENANCE\.md$/, 'provenance notes, not telemetry'],
  [/\.yml$/, 'Splunk data-source / SigmaHQ regression metadata; its example_log is read from the extracted .example_log.* file'],
  [/\.csv$/, 'Invoke-AtomicRedTeam execution record (atomics.md), not telemetry'],
  [/\.zip$/, 'OTRF archive whose only member is the .json beside it (PROVENANCE.md), which is read'],
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const rel = (f: string) => path.relative(ROOT, f);
const all = walk(ROOT).sort();
const files = all.filter((f) => !SKIPPED.some(([re]) => re.test(f)));

/** Event counts per file: EVTX and libevtx renderings per PROVENANCE.md; others counted once and pinned. */
const COUNTS: Record<string, number> = {
  'DeepBlueCLI/many-events-application.evtx': 2216,
  'DeepBlueCLI/many-events-application.evtx.MsiInstaller.derived.xml': 317,
  'DeepBlueCLI/metasploit-psexec-powershell-target-security.evtx': 8,
  'DeepBlueCLI/metasploit-psexec-powershell-target-security.evtx.derived.xml': 8,
  'EVTX-ATTACK-SAMPLES/Exec_sysmon_meterpreter_reversetcp_msipackage.evtx': 8,
  'EVTX-ATTACK-SAMPLES/Exec_sysmon_meterpreter_reversetcp_msipackage.evtx.derived.xml': 8,
  'EVTX-ATTACK-SAMPLES/exec_persist_rundll32_mshta_scheduledtask_sysmon_1_3_11.evtx': 8,
  'EVTX-ATTACK-SAMPLES/exec_persist_rundll32_mshta_scheduledtask_sysmon_1_3_11.evtx.derived.xml': 8,
  'EVTX-ATTACK-SAMPLES/exec_wmic_xsl_internet_sysmon_3_1_11.evtx': 8,
  'EVTX-ATTACK-SAMPLES/exec_wmic_xsl_internet_sysmon_3_1_11.evtx.derived.xml': 8,
  'EVTX-ATTACK-SAMPLES/execution_evasion_visual_studio_prebuild_event.evtx': 29,
  'EVTX-ATTACK-SAMPLES/execution_evasion_visual_studio_prebuild_event.evtx.derived.xml': 29,
  'EVTX-ATTACK-SAMPLES/rogue_msi_url_1040_1042.evtx': 351,
  'EVTX-ATTACK-SAMPLES/rogue_msi_url_1040_1042.evtx.derived.xml': 351,
  'EVTX-ATTACK-SAMPLES/sysmon_3_10_Invoke-Mimikatz_hosted_Github.evtx': 2,
  'EVTX-ATTACK-SAMPLES/sysmon_3_10_Invoke-Mimikatz_hosted_Github.evtx.derived.xml': 2,
  'EVTX-to-MITRE-Attack/ID4688-Encoded PowerShell MSF payload via process execution.evtx': 59,
  'EVTX-to-MITRE-Attack/ID4688-Encoded PowerShell MSF payload via process execution.evtx.derived.xml': 59,
  'Security-Datasets/cmd_bitsadmin_download_psh_script_2020-10-2302365189.json': 424,
  'atomic-evtx/T1218.007-1/T1218.007-1_Application.evtx': 5,
  'atomic-evtx/T1218.007-1/T1218.007-1_Application.evtx.derived.xml': 5,
  'atomic-evtx/T1218.007-1/T1218.007-1_Application.json': 5,
  'atomic-evtx/T1218.007-1/T1218.007-1_Microsoft-Windows-Sysmon_Operational.evtx': 40,
  'atomic-evtx/T1218.007-1/T1218.007-1_Microsoft-Windows-Sysmon_Operational.evtx.derived.xml': 40,
  'atomic-evtx/T1218.007-1/T1218.007-1_Microsoft-Windows-Sysmon_Operational.json': 40,
  'atomic-evtx/T1218.007-11/T1218.007-11_Application.evtx': 9,
  'atomic-evtx/T1218.007-11/T1218.007-11_Application.evtx.derived.xml': 9,
  'atomic-evtx/T1218.007-11/T1218.007-11_Application.json': 9,
  'atomic-evtx/T1218.007-11/T1218.007-11_Microsoft-Windows-Sysmon_Operational.evtx': 68,
  'atomic-evtx/T1218.007-11/T1218.007-11_Microsoft-Windows-Sysmon_Operational.evtx.derived.xml': 68,
  // the upstream PowerShell export has blank lines 44 and 65 where records 17997 and 18018 would be
  'atomic-evtx/T1218.007-11/T1218.007-11_Microsoft-Windows-Sysmon_Operational.json': 66,
  'atomic-evtx/T1218.007-4/T1218.007-4_Application.evtx': 7,
  'atomic-evtx/T1218.007-4/T1218.007-4_Application.evtx.derived.xml': 7,
  'atomic-evtx/T1218.007-4/T1218.007-4_Application.json': 7,
  'atomic-evtx/T1218.007-4/T1218.007-4_Microsoft-Windows-Sysmon_Operational.evtx': 46,
  'atomic-evtx/T1218.007-4/T1218.007-4_Microsoft-Windows-Sysmon_Operational.evtx.derived.xml': 46,
  'atomic-evtx/T1218.007-4/T1218.007-4_Microsoft-Windows-Sysmon_Operational.json': 46,
  'integrations/test-fdr.log.excerpt.ndjson': 6,
};

const read = new Map<string, { normalize: CanonicalEvent[]; view: CanonicalEvent[]; warnings: string[] }>();

beforeAll(async () => {
  const rows: string[] = [];
  for (const f of files) {
    const n = await collect(f, { flatJson: 'normalize' });
    const v = await collect(f, { flatJson: 'view' });
    if (n.error) throw n.error;
    if (v.error) throw v.error;
    read.set(rel(f), { normalize: n.events, view: v.events, warnings: n.warnings });
    const kinds: Record<string, number> = {};
    for (const e of n.events) kinds[e.kind] = (kinds[e.kind] ?? 0) + 1;
    const kindText = Object.entries(kinds).map(([k, c]) => `${k} ${c}`).join(', ');
    rows.push(`${String(n.events.length).padStart(5)}  ${rel(f)}  [${n.events[0]?.origin.format}] ${kindText}${n.warnings.length ? `  (${n.warnings.length} warning(s))` : ''}`);
  }
  for (const f of all.filter((x) => !files.includes(x))) rows.push(`  skip  ${rel(f)}: ${SKIPPED.find(([re]) => re.test(f))![1]}`);
  console.log(`external/telemetry: ${files.length} files read, ${all.length - files.length} skipped\n${rows.join('\n')}`);
});

function eventsOf(file: string): CanonicalEvent[] {
  const r = read.get(file);
  if (!r) throw new Error(`not read: ${file}`);
  return r.normalize;
}
function byRecord(file: string, record: number): CanonicalEvent {
  const e = eventsOf(file).find((x) => x.origin.record === record);
  if (!e) throw new Error(`${file}: no record ${record}`);
  return e;
}
const strip = ({ origin: _o, record: _r, ...rest }: CanonicalEvent) => rest;
function rustPrecision<T>(v: T): T {
  if (typeof v === 'string') return v.replace(/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6})\d*Z$/, '$1Z').trimEnd() as T;
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, rustPrecision(x)])) as T;
}

describe('external/telemetry: every recording reads with zero errors', () => {
  it('reads every file, in both flatJson modes, and each yields events', () => {
    expect(files.length).toBeGreaterThanOrEqual(55);
    for (const f of files) {
      const r = read.get(rel(f))!;
      expect(r.normalize.length, rel(f)).toBeGreaterThan(0);
      expect(r.view.length, rel(f)).toBe(r.normalize.length);
    }
  });

  it('event counts per file (PROVENANCE.md) ', () => {
    for (const [f, n] of Object.entries(COUNTS)) expect(eventsOf(f).length, f).toBe(n);
  });

  it('the same event read from .evtx, its libevtx rendering and the JSON exports normalizes to the same canonical event', () => {
    let compared = 0;
    for (const f of files.map(rel).filter((x) => x.endsWith('.evtx'))) {
      const evtx = new Map(eventsOf(f).map((e) => [e.origin.record, e]));
      const siblings = [`${f}.derived.xml`, `${f}.MsiInstaller.derived.xml`, f.replace(/\.evtx$/, '.json')].filter((s) => read.has(s));
      for (const s of siblings) {
        for (const e of eventsOf(s)) {
          const twin = evtx.get(e.origin.record);
          expect(twin, `${s} record ${e.origin.record}`).toBeDefined();
          let [a, b] = [strip(e), strip(twin!)];
          // the Rust evtx crate prints SystemTime to the microsecond (telemetry.md §1.1) and drops trailing
          // blanks of values (ParentCommandLine `"C:\WINDOWS\system32\cmd.exe" ` in record 2161838): compare at its precision
          if (e.origin.format === 'json-evtx-rs') [a, b] = [rustPrecision(a), rustPrecision(b)];
          expect(isDeepStrictEqual(a, b), `${s} record ${e.origin.record}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(true);
          compared++;
        }
      }
    }
    console.log(`canonical events compared across renderers: ${compared}`);
    expect(compared).toBe(1142); // 967 libevtx renderings + 173 PowerShell JSON + 2 Rust evtx JSON
  });
});

describe('external/telemetry: facts telemetry.md states', () => {
  const sysmon11 = 'atomic-evtx/T1218.007-11/T1218.007-11_Microsoft-Windows-Sysmon_Operational';
  const app11 = 'atomic-evtx/T1218.007-11/T1218.007-11_Application';

  it('T1218.007-11 Sysmon 17987: msiexec -Embedding host → powershell.exe, pid 4940 (EVTX, XML and PowerShell JSON)', () => {
    for (const ext of ['.evtx', '.evtx.derived.xml', '.json']) {
      const e = byRecord(sysmon11 + ext, 17987);
      expect(e.kind).toBe('process_creation');
      expect(e.time).toBe('2024-10-26T15:13:49.9214948Z');
      expect(e.process).toMatchObject({
        pid: '4940', image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', originalFileName: 'PowerShell.EXE',
        commandLine: '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -nop -Command Write-Host JScript executed me!; exit',
        user: 'SERVER002\\admin_test', integrityLevel: 'High',
      });
      expect(e.parent).toMatchObject({
        pid: '5552', image: 'C:\\Windows\\System32\\msiexec.exe', commandLine: 'C:\\Windows\\System32\\MsiExec.exe -Embedding 696CA21DBD3EEAD595FC7EB55BF8BDA1', user: 'SERVER002\\admin_test',
      });
    }
  });

  it('T1218.007-11 Application 2385: 1040 Data2 = 3108 = the Sysmon ProcessId of the msiexec /i client (record 17985)', () => {
    for (const ext of ['.evtx', '.evtx.derived.xml', '.json']) {
      const e = byRecord(app11 + ext, 2385);
      expect(e.installer).toEqual({ eventId: 1040, package: 'https://github.com/redcanaryco/atomic-red-team/raw/master/atomics/T1218.007/bin/T1218.007_JScript.msi', clientPid: '3108' });
      expect(e.record.type === 'win' && e.record.event.userId).toBe('S-1-5-21-3962163828-2803415714-1403596700-1006');
      expect(byRecord(app11 + ext, 2389).record.type === 'win' && (byRecord(app11 + ext, 2389).record as { event: { userId?: string } }).event.userId).toBe('S-1-5-18');
    }
    const client = byRecord(`${sysmon11}.evtx`, 17985);
    expect(client.process?.pid).toBe('3108');
    expect(client.process?.commandLine).toContain('/q /i "https://github.com/');
    expect(byRecord(`${app11}.json`, 2388).installer).toEqual({
      eventId: 1033, productName: 'Atomic Red Team Test Installer', productVersion: '1.0.0', productLanguage: '1033', status: '0',
      manufacturer: 'International Atomic Test Agency', productCode: '{09943D09-F8C8-49D2-BAC4-930024B5BEF5}',
    });
    expect(byRecord(`${app11}.evtx`, 2387).installer).toMatchObject({ eventId: 11707, productName: 'Atomic Red Team Test Installer', productCode: '{09943D09-F8C8-49D2-BAC4-930024B5BEF5}' });
  });

  it('T1218.007-4: 1040 client pid 2476 = Sysmon 18021; the EXE custom action 18022 runs from C:\\Windows\\Installer under msiexec /V', () => {
    const f = 'atomic-evtx/T1218.007-4/T1218.007-4_';
    expect(byRecord(`${f}Application.evtx`, 2388).installer?.clientPid).toBe('2476');
    expect(byRecord(`${f}Microsoft-Windows-Sysmon_Operational.evtx`, 18021).process?.pid).toBe('2476');
    const ca = byRecord(`${f}Microsoft-Windows-Sysmon_Operational.evtx`, 18022);
    expect(ca.process?.image).toBe('C:\\Windows\\Installer\\MSIA30E.tmp');
    expect(ca.parent).toMatchObject({ image: 'C:\\Windows\\System32\\msiexec.exe', commandLine: 'C:\\Windows\\system32\\msiexec.exe /V', user: 'NT AUTHORITY\\SYSTEM' });
    expect(byRecord(`${f}Application.json`, 2390).installer?.productCode).toBe('{BF0CA3BB-EA96-4B51-86B9-37D3CAFC4B8E}');
  });

  it('T1218.007-1 (failed run): only 1040/1042, client pid 6868', () => {
    const inst = eventsOf('atomic-evtx/T1218.007-1/T1218.007-1_Application.evtx').filter((e) => e.kind === 'installer');
    expect(inst.map((e) => [e.origin.record, e.installer?.eventId, e.installer?.clientPid])).toEqual([[2384, 1040, '6868'], [2385, 1042, '6868']]);
  });

  it('rogue_msi 3734/3735: a URL package without .msi, client pid 2600; the 5 SPP/OSPP 1040s are not installer events', () => {
    const f = 'EVTX-ATTACK-SAMPLES/rogue_msi_url_1040_1042.evtx';
    for (const file of [f, `${f}.derived.xml`]) {
      expect(byRecord(file, 3734).installer).toEqual({ eventId: 1040, package: 'http://officemysuppbox.com/staterepository', clientPid: '2600' });
      expect(byRecord(file, 3735).installer).toEqual({ eventId: 1042, package: 'http://officemysuppbox.com/staterepository', clientPid: '2600' });
      const others1040 = eventsOf(file).filter((e) => e.record.type === 'win' && e.record.event.eventId === 1040 && e.record.event.provider.name !== 'MsiInstaller');
      expect(others1040).toHaveLength(5);
      expect(others1040.every((e) => e.kind === 'raw' && e.record.type === 'win' && e.record.event.qualifiers === '16384')).toBe(true);
      expect(eventsOf(file).filter((e) => e.kind === 'installer')).toHaveLength(346);
    }
  });

  it('DeepBlueCLI benign installs: 1040 ×52, 1042 ×52, 1033 ×10, 11707 ×8, 11708 ×2 as installer events; EMET Setup (1).msi', () => {
    const evs = eventsOf('DeepBlueCLI/many-events-application.evtx').filter((e) => e.kind === 'installer');
    const ids: Record<number, number> = {};
    for (const e of evs) ids[e.installer!.eventId] = (ids[e.installer!.eventId] ?? 0) + 1;
    expect(ids).toEqual({ 1040: 52, 1042: 52, 1033: 10, 11707: 8, 11708: 2 });
    expect(evs.some((e) => e.installer?.package === 'C:\\Users\\IEUser\\Downloads\\EMET Setup (1).msi')).toBe(true);
    expect(byRecord('DeepBlueCLI/many-events-application.evtx', 240).installer).toEqual({ eventId: 1040, package: 'C:\\49a00b74f4ac01327865\\netfx_Core_x86.msi', clientPid: '3472' });
  });

  it('4688 v2 (EVTX-to-MITRE-Attack 354578/354579): ParentProcessName, hex ids in decimal', () => {
    const f = 'EVTX-to-MITRE-Attack/ID4688-Encoded PowerShell MSF payload via process execution.evtx';
    const a = byRecord(f, 354578);
    expect(a.process?.image).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(a.parent?.image).toBe('C:\\Windows\\System32\\services.exe');
    const b = byRecord(f, 354579);
    expect(b.process?.image).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(b.parent).toEqual({ pid: '5392', image: 'C:\\Windows\\System32\\cmd.exe' });
    expect(b.process?.pid).toBe('4416');
    expect(byRecord(f, 354598).process?.image).toBe('C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0\\powershell.exe');
  });

  it('4688 v1 (DeepBlueCLI 13278): command line, no parent image (only the creator pid)', () => {
    const e = byRecord('DeepBlueCLI/metasploit-psexec-powershell-target-security.evtx', 13278);
    expect(e.process?.image).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(e.process?.commandLine).toMatch(/^C:\\Windows\\system32\\cmd\.exe \/b \/c start \/b \/min powershell\.exe -nop -w hidden /);
    expect(Object.keys(e.parent ?? {})).toEqual(['pid']);
  });

  it('Meterpreter MSI 10151/10153: msiexec /V → C:\\Windows\\Installer\\MSI4FFD.tmp → cmd', () => {
    const f = 'EVTX-ATTACK-SAMPLES/Exec_sysmon_meterpreter_reversetcp_msipackage.evtx';
    expect(byRecord(f, 10151).parent?.commandLine).toBe('C:\\Windows\\system32\\msiexec.exe /V');
    expect(byRecord(f, 10151).process?.image).toBe('C:\\Windows\\Installer\\MSI4FFD.tmp');
    expect(byRecord(f, 10153).parent?.image).toBe('C:\\Windows\\Installer\\MSI4FFD.tmp');
  });

  it('Sysmon 3/11 samples: mshta → 108.179.232.58:443; WMIC → 45.76.12.27:443; empty DestinationHostname is absent; a task file write', () => {
    const n = byRecord('EVTX-ATTACK-SAMPLES/exec_persist_rundll32_mshta_scheduledtask_sysmon_1_3_11.evtx', 4128);
    expect(n.network).toMatchObject({ destinationIp: '108.179.232.58', destinationPort: '443', initiated: true, destinationHostname: 'gator4243.hostgator.com' });
    expect(byRecord('EVTX-ATTACK-SAMPLES/exec_persist_rundll32_mshta_scheduledtask_sysmon_1_3_11.evtx', 4130).file?.path).toBe('C:\\Windows\\System32\\Tasks\\MSOFFICE_');
    expect(byRecord('EVTX-ATTACK-SAMPLES/exec_wmic_xsl_internet_sysmon_3_1_11.evtx', 895).network).toMatchObject({ destinationIp: '45.76.12.27', destinationPort: '443' });
    const m = byRecord('EVTX-ATTACK-SAMPLES/sysmon_3_10_Invoke-Mimikatz_hosted_Github.evtx', 10272);
    expect(m.network?.destinationIp).toBe('151.101.36.133');
    expect(m.network?.destinationHostname).toBeUndefined();
  });

  it('FDR excerpt: PR2 LinV6 bash → pgbackrest; NetworkConnectIP4 LinV5 → :80 with ContextProcessId; DnsRequest raw', () => {
    const evs = eventsOf('integrations/test-fdr.log.excerpt.ndjson');
    const pr2 = evs.find((e) => e.record.type === 'falcon' && e.record.fields.name === 'ProcessRollup2LinV6')!;
    expect(pr2).toMatchObject({
      kind: 'process_creation', platform: 'linux', time: '2021-07-07T17:05:35.482Z',
      process: { pid: '73249', guid: '38911778380590', image: '/usr/bin/pgbackrest', user: '114' },
      parent: { guid: '38911774195823', name: 'bash' },
    });
    const conn = evs.find((e) => e.record.type === 'falcon' && e.record.fields.name === 'NetworkConnectIP4LinV5')!;
    expect(conn).toMatchObject({ kind: 'network_connection', process: { guid: '12227094573885' }, network: { protocol: 'tcp', initiated: true, destinationIp: '67.43.156.14', destinationPort: '80', sourcePort: '59926' } });
    expect(evs.filter((e) => e.kind === 'raw').map((e) => e.record.type === 'falcon' && e.record.fields.event_simpleName)).toEqual(['DnsRequest']);
    // 'view' mode: FDR objects are the product's own fields, kept flat
    expect(read.get('integrations/test-fdr.log.excerpt.ndjson')!.view.every((e) => e.record.type === 'flat')).toBe(true);
  });

  it('CrowdStrike PR2 V19 (Windows): the device path is kept as the sensor wrote it; parent explorer.exe by name only', () => {
    const [e] = eventsOf('security_content/crowdstrike_processrollup2.example_log.json');
    expect(e!.process).toMatchObject({ pid: '5012', guid: '5642133882', image: '\\Device\\HarddiskVolume1\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', user: 'S-1-5-21-586445407-708991241-1829972403-500' });
    expect(e!.parent).toEqual({ guid: '5459598860', name: 'explorer.exe' });
    expect(e!.time).toBe('2024-04-22T16:59:33.418Z');
  });

  it('OTRF bitsadmin: 4688 v2 and Sysmon 1 for cmd → bitsadmin, Sysmon 11 BITS temp file, Sysmon 3 → 151.101.208.133:443', () => {
    const evs = eventsOf('Security-Datasets/cmd_bitsadmin_download_psh_script_2020-10-2302365189.json');
    const procs = evs.filter((e) => e.kind === 'process_creation' && e.process?.image === 'C:\\Windows\\System32\\bitsadmin.exe');
    expect(procs.map((e) => e.origin.sensor).sort()).toEqual(['security-auditing', 'sysmon']);
    expect(procs.every((e) => e.parent?.image === 'C:\\Windows\\System32\\cmd.exe' && e.process?.commandLine?.includes('/transfer /Download'))).toBe(true);
    expect(evs.some((e) => e.kind === 'file_event' && e.file?.path === 'C:\\Users\\wardog\\AppData\\Local\\Temp\\BIT9584.tmp')).toBe(true);
    expect(evs.some((e) => e.kind === 'network_connection' && e.network?.destinationIp === '151.101.208.133' && e.network.destinationPort === '443')).toBe(true);
  });

  it('Splunk _raw samples: entities decoded in the facts, kept in the record text; resolved SIDs; Sysmon for Linux', () => {
    const s1 = eventsOf('security_content/sysmon_eventid_1.example_log.xml')[0]!;
    expect(s1.process?.commandLine).toContain('reg save HKLM\\sam %%temp%%\\sam & reg save');
    expect(s1.record.type === 'win' && s1.record.text?.includes('%%temp%%\\sam &amp; reg save')).toBe(true);
    const p = eventsOf('security_content/windows_event_log_security_4688.example_log.xml')[0]!;
    expect(p.process).toMatchObject({ pid: '3972', image: 'C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-powershell.exe', integrityLevel: 'System', tokenElevationType: 'default', user: 'WORKGROUP\\AR-WIN-1$' });
    expect(p.parent).toEqual({ pid: '2860', image: 'C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe' });
    const l = eventsOf('security_content/sysmon_for_linux_eventid_1.example_log.xml')[0]!;
    expect(l).toMatchObject({ platform: 'linux', origin: { sensor: 'sysmon-linux' }, process: { image: '/usr/bin/sudo', commandLine: 'sudo gdb -nx -ex !sh -ex quit' }, parent: { image: '/bin/bash', commandLine: '-bash' } });
    expect(eventsOf('security_content/sysmon_for_linux_eventid_11.example_log.xml')[0]!.file?.path).toMatch(/^\/opt\/splunkforwarder\/var\/lib\/splunk\/modinputs\/journald\/sysmon\.checkpoint\.tmp\./);
  });

  it('Splunk auditd samples: SYSCALL execve with space-separated enriched fields → process_creation; lone records raw with a warning', () => {
    const [sys] = eventsOf('security_content/linux_auditd_syscall.example_log.log');
    expect(sys).toMatchObject({ kind: 'process_creation', time: '2024-08-07T13:01:06.627Z', process: { pid: '1301', image: '/usr/bin/kmod', user: 'root' }, parent: { pid: '1300' } });
    for (const f of ['linux_auditd_execve', 'linux_auditd_path', 'linux_auditd_proctitle']) {
      const r = read.get(`security_content/${f}.example_log.log`)!;
      expect(r.normalize.map((e) => e.kind)).toEqual(['raw']);
      expect(r.warnings.join('\n')).toMatch(/but no SYSCALL record \(event truncated\?\)/);
    }
  });

  it('SigmaHQ regression data (Rust evtx JSON): npm install by node.exe under cmd.exe; Inno Setup stub writes qwindows.dll', () => {
    const dir = 'sigma/proc_creation_win_mal_shai_hulud_malicious_npm_package_installation';
    const json = files.map(rel).find((f) => f.startsWith(dir) && f.endsWith('.json'))!;
    const [e] = eventsOf(json);
    expect(e!.origin.format).toBe('json-evtx-rs');
    expect(e!.time).toBe('2025-11-28T06:43:04.582969Z');
    expect(e!.process?.image).toBe('C:\\Program Files\\nodejs\\node.exe');
    expect(e!.process?.commandLine).toContain('npm-cli.js" install @asyncapi/cli@4.1.3');
    expect(e!.parent?.image).toBe('C:\\Windows\\System32\\cmd.exe');
    const fjson = files.map(rel).find((f) => f.startsWith('sigma/file_event_win_advanced_ip_scanner') && f.endsWith('.json'))!;
    expect(eventsOf(fjson)[0]!.file?.path).toBe('C:\\Users\\ADMINI~1\\AppData\\Local\\Temp\\Advanced IP Scanner 2\\platforms\\qwindows.dll');
  });
});
