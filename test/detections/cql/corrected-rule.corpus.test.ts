// The corrected T1546.016 LogScale rule over public recordings, read through the shared readers
// and the Falcon view exactly as `atomic-lab detect` reads them. Expected rows follow from the
// documented semantics (cql.md), worked out per file below — not copied from a run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cqlEngine } from '../../../detections/engines/cql/index.ts';
import type { ResultRow, ViewEvent } from '../../../detections/engines/types.ts';
import { readEvents } from '../../../harness/telemetry/readers/index.ts';
import { getView } from '../../../harness/telemetry/views/index.ts';
import { EXTERNAL_DIR, external } from '../../support/corpus.ts';

const CORRECTED = 'detections/cql/t1546.016-installer-packages.corrected.cql';
const rule = cqlEngine.compile(readFileSync(new URL(`../../../${CORRECTED}`, import.meta.url), 'utf8'), { file: CORRECTED });

async function falconEvents(file: string, flatJson: 'view' | 'normalize', profile = 'falcon'): Promise<ViewEvent[]> {
  const view = getView('falcon', profile);
  const out: ViewEvent[] = [];
  for await (const e of readEvents(file, { flatJson })) {
    const v = view.render(e);
    if (v) out.push(v);
  }
  return out;
}

async function rows(events: ViewEvent[]): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  for await (const r of rule.evaluate(events)) out.push(r);
  return out;
}

const FDR = external('telemetry/integrations/test-fdr.log.excerpt.ndjson');

describe('public FDR excerpt (Linux/Mac PR2, SyntheticProcessRollup2, NetworkConnectIP4, DnsRequest)', () => {
  it('as-is (falcon-fdr field names, untagged event_simpleName): no row — #event_simpleName and event_simpleName are different fields (cql.md §1.6)', async () => {
    const events = await falconEvents(FDR, 'view');
    expect(events).toHaveLength(6);
    expect(events.every((e) => e.event_simpleName !== undefined && e['#event_simpleName'] === undefined)).toBe(true);
    expect(await rows(events)).toEqual([]);
    expect(rule.whyNot(events).nearest[0]!.failed[0]).toMatchObject({ detail: '#event_simpleName is missing' });
  });
  it('through the falcon view (type tagged): still no row, for the documented reasons', async () => {
    const events = await falconEvents(FDR, 'normalize');
    expect(events.map((e) => e['#event_simpleName'])).toEqual(['SyntheticProcessRollup2', 'ProcessRollup2', 'ProcessRollup2', 'NetworkConnectIP4', 'NetworkConnectIP4', 'DnsRequest']);
    // /bin/sh (SyntheticProcessRollup2) is a candidate child but has no ParentBaseFileName (cql.md
    // §8.1) and no parent event; launchd → xpcproxy and bash → pgbackrest are no candidates; the
    // Linux connection to 67.43.156.14:80 is public, but no ProcessRollup2 with its
    // ContextProcessId exists, so the join (mode=left) adds no installer role.
    expect(await rows(events)).toEqual([]);
    const w = rule.whyNot(events, { limit: 6 });
    const sh = w.nearest.find((n) => n.eventIndex === 0)!;
    expect(sh.passed.map((p) => p.predicate)).toContain('ImageBase=/(?i)^(powershell\\.exe|pwsh\\.exe|pwsh|cmd\\.exe|wscript\\.exe|cscript\\.exe|mshta\\.exe|certutil\\.exe|bitsadmin\\.exe|bash|sh|dash|zsh|python[0-9.]*|python[0-9.]*\\.exe|perl|curl|curl\\.exe|wget|wget\\.exe)$/');
    expect(sh.failed.map((p) => p.detail)).toEqual(['ParentBaseFileName is missing', 'LookupRole is missing']);
  });
});

describe('Falcon views of the public Windows recordings', () => {
  it('atomic-evtx T1218.007-11: the JScript custom action (MsiExec.exe -Embedding → powershell.exe) is INSTALLER_SCRIPT_CHILD', async () => {
    // Sysmon 17987: parent C:\Windows\System32\MsiExec.exe (base name msiexec.exe), child
    // powershell.exe `-nop -Command Write-Host JScript executed me!; exit`: no download, no
    // encoded command. The client `msiexec /q /i https://…` (17985) is no candidate: msiexec.exe
    // is not a script host and its command line has no download tool.
    const r = await rows(await falconEvents(external('telemetry/atomic-evtx/T1218.007-11/T1218.007-11_Microsoft-Windows-Sysmon_Operational.evtx'), 'view'));
    expect(r).toEqual([
      {
        aid: expect.any(String),
        ComputerName: 'Server002',
        UserName: 'SERVER002\\admin_test',
        EventType: 'INSTALLER_SCRIPT_CHILD',
        ParentBaseFileName: 'msiexec.exe',
        ImageBase: 'powershell.exe',
        FileName: 'powershell.exe',
        CommandLine: '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -nop -Command Write-Host JScript executed me!; exit',
        RemoteAddressIP4: '-',
        EventCount: '1',
      },
    ]);
  });
  it('atomic-evtx T1218.007-4: the EXE custom action (msiexec /V → MSIA30E.tmp → conhost) gives no row — neither is a script host', async () => {
    expect(await rows(await falconEvents(external('telemetry/atomic-evtx/T1218.007-4/T1218.007-4_Microsoft-Windows-Sysmon_Operational.evtx'), 'view'))).toEqual([]);
  });
  it('atomic-evtx T1218.007-1 (failed install, no child): no row', async () => {
    expect(await rows(await falconEvents(external('telemetry/atomic-evtx/T1218.007-1/T1218.007-1_Microsoft-Windows-Sysmon_Operational.evtx'), 'view'))).toEqual([]);
  });
  it('Meterpreter MSI: cmd started by the custom-action EXE MSI4FFD.tmp (whose parent is msiexec) is INSTALLER_SCRIPT_CHILD through the join', async () => {
    const r = await rows(await falconEvents(external('telemetry/EVTX-ATTACK-SAMPLES/Exec_sysmon_meterpreter_reversetcp_msipackage.evtx'), 'view'));
    expect(r.map((x) => [x.ParentBaseFileName, x.ImageBase, x.CommandLine, x.EventType])).toEqual([['MSI4FFD.tmp', 'cmd.exe', 'cmd', 'INSTALLER_SCRIPT_CHILD']]);
  });
});

describe('the seed rule file is the seed page\'s query, byte for byte', () => {
  it('matches the "LogScale Detection Query" section of the requirement document', () => {
    const page = readFileSync(path.resolve(EXTERNAL_DIR, '../seeds/logscale-t1546.016-installer-packages.txt'), 'utf8');
    const start = page.indexOf('(#event_simpleName');
    const endMarker = '| sort(EventCount, order=desc, limit=200)';
    const query = page.slice(start, page.indexOf(endMarker) + endMarker.length);
    expect(readFileSync(new URL('../../../detections/cql/t1546.016-installer-packages.seed.cql', import.meta.url), 'utf8')).toBe(query + '\n');
  });
});
