// The SPL rules over public recordings, read through the shared readers and the Splunk view exactly
// as `atomic-lab detect` reads them. The expected rows follow from spl.md's walk-throughs (§10,
// §11) and the recordings' contents (shared/external/telemetry/PROVENANCE.md), worked out per file
// below — not copied from a run.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMacros, splEngine } from '../../../detections/engines/spl/index.ts';
import type { CompiledRule, ResultRow, ViewEvent } from '../../../detections/engines/types.ts';
import { readEvents } from '../../../harness/telemetry/readers/index.ts';
import { getView } from '../../../harness/telemetry/views/index.ts';
import { REPO_ROOT, external } from '../../support/corpus.ts';

const MACROS = loadMacros(readFileSync(path.join(REPO_ROOT, 'detections/macros/endpoint.conf'), 'utf8'), 'endpoint.conf');

function rule(name: string): CompiledRule {
  const file = `detections/spl/${name}`;
  return splEngine.compile(readFileSync(path.join(REPO_ROOT, file), 'utf8'), { file, macros: MACROS });
}

async function splunkEvents(file: string, profile: 'splunk' | 'splunk-legacy'): Promise<ViewEvent[]> {
  const view = getView('splunk', profile);
  const out: ViewEvent[] = [];
  for await (const e of readEvents(file, { flatJson: 'normalize' })) {
    const v = view.render(e);
    if (v) out.push(v);
  }
  return out;
}

async function rows(r: CompiledRule, events: ViewEvent[]): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  for await (const x of r.evaluate(events)) out.push(x);
  return out;
}

const SEED_A = rule('t1546.016-installer-packages.seed.spl');
const FIXED_A = rule('t1546.016-installer-packages.corrected.spl');
const SEED_B = rule('remote-msi-installation.seed.spl');
const FIXED_B = rule('remote-msi-installation.corrected.spl');

const SYSMON_11 = external('telemetry/atomic-evtx/T1218.007-11/T1218.007-11_Microsoft-Windows-Sysmon_Operational.evtx');

// Sysmon record 17987 of T1218.007-11: the JScript custom action. Parent MsiExec.exe -Embedding,
// child powershell.exe `-nop -Command Write-Host JScript executed me!; exit` (PROVENANCE.md).
const CUSTOM_ACTION_ROW = {
  _time: '2024-10-26T15:13:49.921+00:00',
  host: 'Server002',
  User: 'SERVER002\\admin_test',
  EventCode: '1',
  DetectionType: 'INSTALLER_SCRIPT_CHILD',
  Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  CommandLine: '"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" -nop -Command Write-Host JScript executed me!; exit',
  ParentImage: 'C:\\Windows\\System32\\msiexec.exe',
};

describe('seed T1546.016 rule over atomic-evtx T1218.007-11 (Sysmon EID 1/5, 68 events)', () => {
  it('splunk-legacy: exactly the custom action row, INSTALLER_SCRIPT_CHILD (§10: only Sysmon with legacy naming can produce rows)', async () => {
    // IsInstallerParent: ParentImage msiexec.exe (EID 1); IsScriptChild: powershell; no cradle in
    // `-nop -Command Write-Host ...` → HasSuspiciousArgs=0 → case() gives INSTALLER_SCRIPT_CHILD.
    // The msiexec.exe -Embedding child of msiexec (rec 17986) is no script child and has no cradle.
    const events = await splunkEvents(SYSMON_11, 'splunk-legacy');
    expect(events).toHaveLength(68);
    expect(await rows(SEED_A, events)).toEqual([CUSTOM_ACTION_ROW]);
  });

  it('splunk (current add-on naming): nothing — the legacy sourcetypes match no event (§0.3)', async () => {
    const events = await splunkEvents(SYSMON_11, 'splunk');
    expect(await rows(SEED_A, events)).toEqual([]);
    const why = SEED_A.whyNot(events);
    expect(why.summary).toMatch(/^No event passes stage 1 \(search\)/);
    expect(why.nearest[0]!.failed.map((f) => f.detail)).toEqual(['sourcetype = "XmlWinEventLog"', 'sourcetype = "XmlWinEventLog"']);
  });

  it('the 4688 view of the same process creation: nothing, on either naming (§0.1, §10.2)', async () => {
    // The recording has no 4688 (its Security.evtx holds only 1102), so the custom action's
    // process creation is restated with the Security 4688 field names the view gives XML 4688.
    const sysmon = (await splunkEvents(SYSMON_11, 'splunk')).find((e) => String(e.CommandLine).includes('JScript executed me'))!;
    const as4688 = (sourcetype: string, source: string): ViewEvent => ({
      _time: sysmon._time, host: sysmon.host, index: 'wineventlog', sourcetype, source, EventCode: '4688',
      NewProcessName: sysmon.Image, ParentProcessName: sysmon.ParentImage, CommandLine: sysmon.CommandLine, SubjectUserName: 'admin_test',
    });
    const views = [
      as4688('XmlWinEventLog', 'XmlWinEventLog:Security'),
      as4688('XmlWinEventLog:Security', 'XmlWinEventLog:Security'),
      as4688('WinEventLog:Security', 'WinEventLog:Security'),
    ];
    for (const v of views) expect(await rows(SEED_A, [v])).toEqual([]);
    // the one naming the seed selects passes the search and loses at coalesce(..., "", ...)
    const why = SEED_A.whyNot([views[2]!]);
    expect(why.nearest[0]!.failed.some((f) => f.detail?.includes('coalesce(ParentImage, "", ParentProcessName, "") gave ""'))).toBe(true);
    // the corrected rule finds it on all three
    for (const v of views) expect((await rows(FIXED_A, [v])).map((r) => r.DetectionType)).toEqual(['INSTALLER_SCRIPT_CHILD']);
  });

  it('corrected rule: the same row on both namings', async () => {
    expect(await rows(FIXED_A, await splunkEvents(SYSMON_11, 'splunk'))).toEqual([CUSTOM_ACTION_ROW]);
    expect(await rows(FIXED_A, await splunkEvents(SYSMON_11, 'splunk-legacy'))).toEqual([CUSTOM_ACTION_ROW]);
  });
});

describe('seed T1546.016 rule over public Security 4688 (EVTX-to-MITRE-Attack)', () => {
  it('no row on either naming: legacy XML 4688 is XmlWinEventLog:Security, which the seed does not select; no installer parent anyway', async () => {
    const file = external('telemetry/EVTX-to-MITRE-Attack/ID4688-Encoded PowerShell MSF payload via process execution.evtx');
    for (const profile of ['splunk', 'splunk-legacy'] as const) {
      const events = await splunkEvents(file, profile);
      expect(events.length).toBeGreaterThan(0);
      expect(await rows(SEED_A, events)).toEqual([]);
    }
  });
});

const MSI_RECORDINGS = {
  rogue: external('telemetry/EVTX-ATTACK-SAMPLES/rogue_msi_url_1040_1042.evtx'),
  t11: external('telemetry/atomic-evtx/T1218.007-11/T1218.007-11_Application.evtx'),
  t1: external('telemetry/atomic-evtx/T1218.007-1/T1218.007-1_Application.evtx'),
  t4: external('telemetry/atomic-evtx/T1218.007-4/T1218.007-4_Application.evtx'),
};

describe('seed Remote .msi rule over the public MsiInstaller 1040/1042 recordings (§11)', () => {
  for (const [name, file] of Object.entries(MSI_RECORDINGS)) {
    it(`${name}: no row — "<EventID>1040<" never meets <EventID Qualifiers='0'>, TERM(EventCode=...) is classic-only, "message" does not exist`, async () => {
      for (const profile of ['splunk', 'splunk-legacy'] as const) {
        const events = await splunkEvents(file, profile);
        const msi = events.filter((e) => e.EventCode === '1040' || e.EventCode === '1042');
        expect(msi.length).toBeGreaterThan(0);
        expect(msi.every((e) => /<EventID Qualifiers='\d+'>/.test(String(e._raw)))).toBe(true);
        expect(await rows(SEED_B, events)).toEqual([]);
        expect(SEED_B.whyNot(msi).summary).toMatch(/^No event passes stage 1 \(search\)/);
      }
    });
  }

  it('the seed Remote .msi rule also misses the Sysmon EID 1 `msiexec /q /i "https://..."` of T1218.007-11 (G1 needs 4688 or Type=Process)', async () => {
    expect(await rows(SEED_B, await splunkEvents(SYSMON_11, 'splunk'))).toEqual([]);
  });
});

describe('corrected Remote .msi rule over the same recordings', () => {
  const URL = 'https://github.com/redcanaryco/atomic-red-team/raw/master/atomics/T1218.007/bin/T1218.007_JScript.msi';

  it('T1218.007-11 Application: the 1040 and 1042 of the remote package (rec 2385 at 15:13:48.78, rec 2389)', async () => {
    const r = await rows(FIXED_B, await splunkEvents(MSI_RECORDINGS.t11, 'splunk'));
    expect(r.map((x) => [x.signature_id, x.msi_source])).toEqual([['1040', URL], ['1042', URL]]);
    expect(r[0]!._time).toBe('2024-10-26T15:13:48.000+00:00');
  });

  it('T1218.007-11 Sysmon: msiexec /q /i "https://...msi" (rec 17985) and the cmd.exe /c line that started it (rec 17983)', async () => {
    const r = await rows(FIXED_B, await splunkEvents(SYSMON_11, 'splunk'));
    expect(r).toHaveLength(1);
    expect(r[0]!.process_name).toEqual(['cmd.exe', 'msiexec.exe']);
  });

  it('local installs (T1218.007-1, -4) and the rogue URL without .msi give nothing', async () => {
    for (const f of [MSI_RECORDINGS.t1, MSI_RECORDINGS.t4, MSI_RECORDINGS.rogue]) {
      expect(await rows(FIXED_B, await splunkEvents(f, 'splunk'))).toEqual([]);
    }
  });
});
