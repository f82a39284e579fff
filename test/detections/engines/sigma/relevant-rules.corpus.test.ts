// The SigmaHQ msiexec/MSI rules under external/sigma/rules-relevant/ (and the lab's own T1546.016
// rules) over the public recordings under external/telemetry/ (libevtx renderings of the EVTX
// files, read with the shared readers): each rule fires exactly on the records its logic selects.
import { describe, expect, it } from 'vitest';
import { external } from '../../../support/corpus.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';
import { compileFile, hits, sigmaEvents } from './corpus-support.ts';

const RR = (p: string) => external('sigma/rules-relevant', p);
const PC = 'rules/windows/process_creation/';
const MSI = 'rules/windows/builtin/application/msiinstaller/';
const lab = (f: string) => `${REPO_ROOT}/detections/sigma/${f}`;
const T11 = 'telemetry/atomic-evtx/T1218.007-11/T1218.007-11_';

const cases: { recording: string; rule: string; expect: string[]; why: string }[] = [
  { recording: `${T11}Microsoft-Windows-Sysmon_Operational.evtx.derived.xml`, rule: RR(`${PC}proc_creation_win_msiexec_embedding.yml`), expect: ['17987'], why: 'powershell whose parent is "MsiExec.exe -Embedding <hex>" (script custom action host)' },
  { recording: `${T11}Microsoft-Windows-Sysmon_Operational.evtx.derived.xml`, rule: RR(`${PC}proc_creation_win_msiexec_install_remote.yml`), expect: ['17985'], why: 'msiexec /q /i https://… (Img msiexec, -i, -q, http)' },
  { recording: `${T11}Microsoft-Windows-Sysmon_Operational.evtx.derived.xml`, rule: RR(`${PC}proc_creation_win_msiexec_install_quiet.yml`), expect: ['17985'], why: 'msiexec /q /i started by cmd (parent not filtered)' },
  { recording: `${T11}Microsoft-Windows-Sysmon_Operational.evtx.derived.xml`, rule: RR(`${PC}proc_creation_win_msiexec_web_install.yml`), expect: [], why: "the cmd line has 'system32\\msiexec.exe' — no ' msiexec' with a leading space" },
  { recording: `${T11}Microsoft-Windows-Sysmon_Operational.evtx.derived.xml`, rule: lab('installer_script_child_win.yml'), expect: ['17987'], why: 'msiexec.exe → powershell -nop -Command Write-Host …, no cradle' },
  { recording: `${T11}Microsoft-Windows-Sysmon_Operational.evtx.derived.xml`, rule: lab('installer_download_cradle_win.yml'), expect: [], why: 'Write-Host is not a download cradle' },
  { recording: `${T11}Application.evtx.derived.xml`, rule: RR(`${MSI}win_msi_install_from_web.yml`), expect: ['2385', '2389'], why: 'MsiInstaller 1040/1042 whose Data holds the https:// package URL' },
  { recording: 'telemetry/atomic-evtx/T1218.007-4/T1218.007-4_Microsoft-Windows-Sysmon_Operational.evtx.derived.xml', rule: RR(`${PC}proc_creation_win_msiexec_install_quiet.yml`), expect: ['18021'], why: 'cmd → msiexec /q /i of a local MSI' },
  { recording: 'telemetry/atomic-evtx/T1218.007-4/T1218.007-4_Microsoft-Windows-Sysmon_Operational.evtx.derived.xml', rule: lab('installer_script_child_win.yml'), expect: [], why: 'the EXE custom action MSIA30E.tmp is not a script engine' },
  { recording: 'telemetry/atomic-evtx/T1218.007-1/T1218.007-1_Microsoft-Windows-Sysmon_Operational.evtx.derived.xml', rule: RR(`${PC}proc_creation_win_msiexec_embedding.yml`), expect: [], why: 'failed install (exit 1620): no custom action child' },
  { recording: 'telemetry/EVTX-ATTACK-SAMPLES/rogue_msi_url_1040_1042.evtx.derived.xml', rule: RR(`${MSI}win_msi_install_from_web.yml`), expect: ['3734', '3735'], why: 'only the URL package among 344 benign 1040/1042 and 5 SPP 1040s' },
  { recording: 'telemetry/DeepBlueCLI/many-events-application.evtx.MsiInstaller.derived.xml', rule: RR(`${MSI}win_msi_install_from_web.yml`), expect: [], why: 'no package URL among 317 benign MsiInstaller events' },
  { recording: 'telemetry/DeepBlueCLI/many-events-application.evtx.MsiInstaller.derived.xml', rule: RR(`${MSI}win_msi_install_from_susp_locations.yml`), expect: ['273', '281', '316', '320'], why: 'packages under C:\\Windows\\TEMP\\ (case-insensitive)' },
  { recording: 'telemetry/EVTX-ATTACK-SAMPLES/Exec_sysmon_meterpreter_reversetcp_msipackage.evtx.derived.xml', rule: RR(`${PC}proc_creation_win_susp_elavated_msi_spawned_shell.yml`), expect: ['10153'], why: 'C:\\Windows\\Installer\\MSI4FFD.tmp → cmd' },
  { recording: 'telemetry/EVTX-ATTACK-SAMPLES/Exec_sysmon_meterpreter_reversetcp_msipackage.evtx.derived.xml', rule: lab('installer_script_child_win.yml'), expect: ['10153'], why: 'deferred EXE custom action MSI*.tmp → cmd' },
];

describe('relevant SigmaHQ msiexec rules on public recordings', () => {
  for (const c of cases) {
    it(`${c.rule.split('/').pop()} on ${c.recording.split('/').pop()}: ${c.why}`, async () => {
      const events = await sigmaEvents(external(c.recording));
      expect(events.length).toBeGreaterThan(0);
      expect(hits(compileFile(c.rule), events)).toEqual(c.expect);
    });
  }
  it('every rule under rules-relevant compiles', async () => {
    const { checkRules } = await import('../../../../detections/engines/sigma/index.ts');
    const r = await checkRules(external('sigma/rules-relevant'));
    expect(r.problems).toEqual([]);
    expect(r.total).toBe(34);
  });
});
