// The test vectors of shared/reference/spl.md ("Test vectors", S1–S32), one test each, named after
// the vector and the documented fact it pins. UNSURE vectors pin the model spl.md recommends.
import { describe, expect, it } from 'vitest';
import { compile, evalOn, raws, rawsOf, run, whereKeeps } from './helpers.ts';

const SEED_A_EVALS = `
| eval IsInstallerParent=if((EventCode=1 OR EventCode=4688) AND match(lower(coalesce(ParentImage, "", ParentProcessName, "")), "(msiexec|installer|pkgutil|dpkg|rpm|chocolatey|winget)"), 1, 0)
| eval IsScriptChild=if(IsInstallerParent=1 AND match(lower(coalesce(Image, NewProcessName, "")), "(powershell|pwsh|cmd\\.exe|wscript|cscript|mshta|certutil|bitsadmin|bash|python)"), 1, 0)
| eval HasSuspiciousArgs=if(match(lower(coalesce(CommandLine, "", NewProcessCommandLine, "")), "(invoke-webrequest|downloadstring|net\\.webclient|curl\\s|wget\\s|-encodedcommand|certutil.*urlcache)"), 1, 0)
| eval IsNetworkInstaller=if(EventCode=3 AND match(lower(coalesce(Image, "")), "(msiexec|installer)") AND NOT match(DestinationIp, "(10\\.|172\\.16\\.|192\\.168\\.|127\\.)"), 1, 0)
| where IsScriptChild=1 OR (HasSuspiciousArgs=1 AND IsInstallerParent=1) OR IsNetworkInstaller=1
| eval DetectionType=case(HasSuspiciousArgs=1 AND IsScriptChild=1, "INSTALLER_DOWNLOAD_CRADLE", IsScriptChild=1, "INSTALLER_SCRIPT_CHILD", IsNetworkInstaller=1, "INSTALLER_NETWORK_CALLBACK", 1=1, "INSTALLER_SUSPICIOUS_ACTIVITY")`;

describe('spl.md test vectors', () => {
  it('S1: coalesce skips NULL ([COND] "first value that is not NULL")', async () => {
    expect((await evalOn({ B: 'x' }, 'r=coalesce(A, B)')).r).toBe('x');
  });

  it('S2: coalesce returns an empty-string literal; typeof("")="String" ([COND], [QIITA], [INFO])', async () => {
    const r = await evalOn({ ParentProcessName: 'C:\\Windows\\System32\\msiexec.exe' }, 'p=coalesce(ParentImage, "", ParentProcessName, ""), t=typeof(coalesce(ParentImage, ""))');
    expect(r.p).toBe('');
    expect(r.t).toBe('String');
  });

  it('S3: Query A on Sysmon EID 1 gives INSTALLER_DOWNLOAD_CRADLE ("1" equals 1, substring match, first TRUE case pair)', async () => {
    const rows = await run(`*${SEED_A_EVALS}`, [{
      EventCode: '1', ParentImage: 'C:\\Windows\\System32\\msiexec.exe',
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: 'powershell -c Invoke-WebRequest http://x/a',
    }]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ IsInstallerParent: '1', IsScriptChild: '1', HasSuspiciousArgs: '1', DetectionType: 'INSTALLER_DOWNLOAD_CRADLE' });
  });

  it('S4: a numeric literal compares numerically with an extracted "4688", a quoted one as a string (§3 dual typing)', async () => {
    const r = await evalOn({ EventCode: '4688' }, 'a=if(EventCode=4688,"y","n"), b=if(EventCode="4688","y","n")');
    expect(r).toMatchObject({ a: 'y', b: 'y' });
  });

  it('S5: match() is unanchored ("finds a match against any substring")', async () => {
    expect((await evalOn({}, 'r=if(match("c:\\\\windows\\\\system32\\\\msiexec.exe","msiexec"),1,0)')).r).toBe('1');
  });

  it('S6: match() is case-sensitive unless (?i) ([REGEX])', async () => {
    const r = await evalOn({ Image: 'C:\\Windows\\System32\\MsiExec.exe' }, 'a=if(match(Image,"msiexec"),1,0), b=if(match(Image,"(?i)msiexec"),1,0)');
    expect(r).toMatchObject({ a: '0', b: '1' });
  });

  it('S7: Query A treats 172.20.1.5 as public (only "172.16." is listed; substring semantics)', async () => {
    const rows = await run(`*${SEED_A_EVALS}`, [{ EventCode: '3', Image: 'C:\\Windows\\System32\\msiexec.exe', DestinationIp: '172.20.1.5' }]);
    expect(rows[0]).toMatchObject({ IsNetworkInstaller: '1', DetectionType: 'INSTALLER_NETWORK_CALLBACK' });
  });

  it('S8: curl\\s does not match curl.exe (\\s reaches PCRE unchanged)', async () => {
    const rows = await run(`*${SEED_A_EVALS.replace('| where', '| where 1=1 OR')}`, [{
      EventCode: '1', ParentImage: 'C:\\Windows\\System32\\msiexec.exe', Image: 'C:\\Windows\\System32\\curl.exe', CommandLine: 'curl.exe -o C:\\t\\p.exe http://x/p.exe',
    }]);
    expect(rows[0]).toMatchObject({ HasSuspiciousArgs: '0', IsScriptChild: '0' });
    expect(await run(`*${SEED_A_EVALS}`, [{ EventCode: '1', ParentImage: 'C:\\Windows\\System32\\msiexec.exe', Image: 'C:\\Windows\\System32\\curl.exe', CommandLine: 'curl.exe -o C:\\t\\p.exe http://x/p.exe' }])).toEqual([]);
  });

  it('S9: INSTALLER_SUSPICIOUS_ACTIVITY comes from the 1=1 default (AND before OR in where)', async () => {
    const rows = await run(`*${SEED_A_EVALS}`, [{ EventCode: '1', ParentImage: 'C:\\Windows\\System32\\msiexec.exe', Image: 'C:\\Tools\\x.exe', CommandLine: 'x.exe wget http://a' }]);
    expect(rows[0]).toMatchObject({ IsInstallerParent: '1', IsScriptChild: '0', HasSuspiciousArgs: '1', DetectionType: 'INSTALLER_SUSPICIOUS_ACTIVITY' });
  });

  it('S10: if() with a NULL condition takes the else branch ([COND], [QIITA])', async () => {
    expect((await evalOn({}, 'r=if(nosuch=1,"a","b")')).r).toBe('b');
  });

  it('S11 (UNSURE, [QIITA]): NOT of a NULL comparison is TRUE', async () => {
    expect((await evalOn({}, 'r=if(NOT nosuch=1,"a","b")')).r).toBe('a');
  });

  it('S12 (UNSURE): NULL inside OR / AND acts as FALSE', async () => {
    const r = await evalOn({ y: '1' }, 'a=if(nosuch=1 OR y=1,"t","f"), b=if(nosuch=1 AND y=1,"t","f")');
    expect(r).toMatchObject({ a: 't', b: 'f' });
  });

  it('S13: case() with no TRUE condition is NULL and creates no field ([COND])', async () => {
    const r = await evalOn({ x: '2' }, 'r=case(x=1,"a", x=3,"b")');
    expect(r).not.toHaveProperty('r');
  });

  it('S14: search precedence: error NOT 403 OR 404 = error AND ((NOT 403) OR 404) ([BOOL])', async () => {
    const rows = await run('error NOT 403 OR 404', raws('error 404', '404', 'error 403', 'error'));
    expect(rawsOf(rows).sort()).toEqual(['error', 'error 404']);
  });

  it('S15: eval precedence: AND before OR ([EVAL])', async () => {
    expect((await evalOn({}, 'r=if(1=1 OR 1=2 AND 1=2,"t","f")')).r).toBe('t');
  });

  const CLASSIC_4688 = 'LogName=Security\nEventCode=4688\nType=Information\nProcess Command Line: msiexec.exe /i C:\\temp\\a.msi /qn';
  const QUERY_B_SEARCH = '((TERM(EventCode=4688) OR "<EventID>4688<" OR Type=Process) (TERM(/i) OR TERM(install)) ".msi") OR (TERM(EventCode=1040) OR TERM(EventCode=1042) OR "<EventID>1040<" OR "<EventID>1042<") "://"';

  it('S16: Query B\'s "://" binds to both branches, so a classic 4688 without a URL is not returned ([BOOL])', async () => {
    expect(await run(QUERY_B_SEARCH, raws(CLASSIC_4688))).toEqual([]);
    // the G1 part alone does hold (TERM on a line-bounded token)
    expect(await run('(TERM(EventCode=4688) OR "<EventID>4688<") (TERM(/i) OR TERM(install)) ".msi"', raws(CLASSIC_4688))).toHaveLength(1);
  });

  const XML_4688 = (cmd: string) =>
    `<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-Auditing'/><EventID>4688</EventID><Channel>Security</Channel></System><EventData><Data Name='NewProcessName'>C:\\Windows\\System32\\msiexec.exe</Data><Data Name='CommandLine'>${cmd}</Data></EventData></Event>`;

  it('S17 (UNSURE): XML 4688 passes the base search (xmlns supplies "://"), the where drops it (no URL)', async () => {
    const event = { _raw: XML_4688('msiexec.exe /i C:\\temp\\a.msi /qn'), process: 'msiexec.exe /i C:\\temp\\a.msi /qn', signature_id: '4688' };
    expect(await run(QUERY_B_SEARCH, [event])).toHaveLength(1);
    expect(await run(`${QUERY_B_SEARCH} | where (match(process, "(?i)\\w+tps?://\\S+\\.msi") and match(signature_id, "4688"))`, [event])).toEqual([]);
  });

  it('S18: Query B keeps an XML 4688 URL install ("<EventID>4688<", TERM(/i), ".msi", "://")', async () => {
    const cmd = 'msiexec.exe /i http://evil.example/a.msi /qn';
    const event = { _raw: XML_4688(cmd), process: cmd, signature_id: '4688' };
    expect(await run(`${QUERY_B_SEARCH} | where (match(process, "(?i)\\w+tps?://\\S+\\.msi") and match(signature_id, "4688")) or (match(message, "(?i)\\w+tps?://\\S+\\.msi") and match(signature_id, "1040|1042"))`, [event])).toHaveLength(1);
  });

  it('S19 (UNSURE): MsiInstaller XML matches neither "<EventID>1040<" nor TERM(EventCode=1040)', async () => {
    const raw = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='MsiInstaller'/><EventID Qualifiers='0'>1040</EventID></System><EventData><Data>http://x/a.msi</Data></EventData></Event>";
    expect(await run('"<EventID>1040<"', raws(raw))).toEqual([]);
    expect(await run('TERM(EventCode=1040)', raws(raw))).toEqual([]);
  });

  it('S20: where compares two fields, search compares with the literal text ([WHERE], [SEARCH])', async () => {
    const e = { ipaddress: '1.1.1.1', clientip: '1.1.1.1' };
    expect(await whereKeeps(e, 'ipaddress=clientip')).toBe(true);
    expect(await run('ipaddress=clientip', [e])).toEqual([]);
  });

  it('S21: sourcetype= matches sourcetype, not source; index=wineventlog does not match index win', async () => {
    const e = { index: 'win', sourcetype: 'XmlWinEventLog', source: 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational' };
    expect(await run('sourcetype="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational"', [e])).toEqual([]);
    expect(await run('source="XmlWinEventLog:Microsoft-Windows-Sysmon/Operational"', [e])).toHaveLength(1);
    expect(await run('index=wineventlog', [e])).toEqual([]);
  });

  it('S22: bare terms are whole tokens: msi no, msiexec yes, msi* yes ([SEGCONF])', async () => {
    const e = raws('C:\\Windows\\System32\\msiexec.exe /i a.msix');
    expect(await run('msi', e)).toEqual([]);
    expect(await run('msiexec', e)).toHaveLength(1);
    expect(await run('msi*', e)).toHaveLength(1);
  });

  it('S23 (UNSURE): ".msi" does not match a.msix (no msi token)', async () => {
    expect(await run('".msi"', raws('msiexec /i http://x/a.msix'))).toEqual([]);
    expect(await run('".msi"', raws('msiexec /i http://x/a.msi'))).toHaveLength(1);
  });

  it('S24: sort puts missing values last both ways ([SORT])', async () => {
    const ev = [{ n: '2', i: 'a' }, { i: 'b' }, { n: '10', i: 'c' }];
    expect((await run('* | sort n', ev)).map((r) => r.n ?? '-')).toEqual(['2', '10', '-']);
    expect((await run('* | sort - n', ev)).map((r) => r.n ?? '-')).toEqual(['10', '2', '-']);
  });

  it('S25: values() is distinct and lexicographic ([MVAGG])', async () => {
    const rows = await run('* | stats values(p) as p by h', [{ h: 'a', p: 'b' }, { h: 'a', p: '10' }, { h: 'a', p: '9' }, { h: 'a', p: 'b' }]);
    expect(rows).toEqual([{ h: 'a', p: ['10', '9', 'b'] }]);
  });

  it('S26: table takes space/comma lists and wildcards ([TABLE])', async () => {
    const rows = await run('* | table user process, process_*', [{ process: 'x', process_name: 'y', parent_process: 'z', user: 'u' }]);
    expect(rows).toEqual([{ user: 'u', process: 'x', process_name: 'y' }]);
    expect(Object.keys(rows[0]!)).toEqual(['user', 'process', 'process_name']);
  });

  it('S27: dedup drops NULL keys unless keepempty=true ([DEDUP])', async () => {
    const ev = [{ k: '1' }, { k: '1' }, {}];
    expect(await run('* | dedup k', ev)).toHaveLength(1);
    expect(await run('* | dedup k keepempty=true', ev)).toHaveLength(2);
  });

  it('S28: cidrmatch("172.16.0.0/12","172.20.1.5") is TRUE ([COND])', async () => {
    expect((await evalOn({}, 'a=if(cidrmatch("172.16.0.0/12","172.20.1.5"),1,0)')).a).toBe('1');
  });

  it('S29: like() is a whole-string %/_ match; case-sensitive (UNSURE)', async () => {
    const r = await evalOn({}, 'a=if(like("C:\\\\temp\\\\a.msi","%.msi"),1,0), b=if(like("A.MSI","%.msi"),1,0)');
    expect(r).toMatchObject({ a: '1', b: '0' });
  });

  it('S30 (UNSURE): bin span=1s without a field bins _time by default, or is an error with bin-without-field=error', async () => {
    const rows = await run('* | bin span=1s', [{ _time: 100.7 }]);
    expect(rows[0]!._time).toBe('1970-01-01T00:01:40.000+00:00');
    expect(() => compile('* | bin span=1s', { settings: { 'bin-without-field': 'error' } })).toThrow(/You must specify a field/);
  });

  it('S31: typeof self-check gives "NumberStringBoolInvalid" ([INFO])', async () => {
    expect((await evalOn({}, 'n=typeof(12) + typeof("string") + typeof(1==2) + typeof(badfield)')).n).toBe('NumberStringBoolInvalid');
  });

  it('S32: head without a count returns the 10 newest ([HEAD])', async () => {
    const ev = Array.from({ length: 20 }, (_, i) => ({ _time: 1000 + i, i: String(i) }));
    const rows = await run('* | head', ev);
    expect(rows.map((r) => r.i)).toEqual(['19', '18', '17', '16', '15', '14', '13', '12', '11', '10']);
  });
});
