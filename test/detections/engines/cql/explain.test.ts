import { describe, expect, it } from 'vitest';
import { cqlEngine } from '../../../../detections/engines/cql/index.ts';

const lintsOf = (q: string) => cqlEngine.analyze(q, { file: 'x.cql' }).lints;
const codes = (q: string) => lintsOf(q).map((l) => l.code);

describe('explain: stages, predicates, indicators, terms with line:column', () => {
  const x = cqlEngine.analyze('#event_simpleName=ProcessRollup2 FileName=/cmd/i\n| case { a=1 | t:="A"; * }\n| webclient\n| groupBy(a)', { file: 'x.cql' });
  it('one stage per step, case branches flattened', () => {
    expect(x.stages.map((s) => s.name)).toEqual(['filter', 'case', 'case branch 1/2 · filter', 'case branch 1/2 · t :=', 'case branch 2/2 · filter', 'filter', 'groupBy()']);
    expect(x.stages[0]!.predicates.map((p) => [p.field, p.operator, p.values])).toEqual([
      ['#event_simpleName', 'eq', ['ProcessRollup2']],
      ['FileName', 'regex', ['/cmd/i']],
    ]);
    expect(x.stages[0]!.predicates[1]!.position).toMatchObject({ line: 1, column: 34 });
  });
  it('indicators per field filter; bare words are search terms', () => {
    expect(x.indicators.map((i) => i.field)).toEqual(['#event_simpleName', 'FileName', 'a']);
    expect(x.terms).toEqual([{ stage: 5, term: 'webclient', position: { file: 'x.cql', line: 3, column: 3 } }]);
  });
});

describe('lints for the defects cql.md §0 lists', () => {
  it('§0.6 unanchored short alternatives (apt, sh) with the names they also match', () => {
    const l = lintsOf('ParentBaseFileName=/(?i)(msiexec\\.exe|apt-get|apt)/ FileName=/(?i)(cmd\\.exe|sh)/');
    const msgs = l.filter((x) => x.code === 'CQL_UNANCHORED_SHORT_ALTERNATIVE').map((x) => x.message);
    expect(msgs[0]).toMatch(/'apt' is unanchored.*adapter\.exe/);
    expect(msgs[1]).toMatch(/'sh' is unanchored.*ShellExperienceHost\.exe/);
    expect(codes('FileName=/(?i)^(cmd\\.exe|sh)$/')).not.toContain('CQL_UNANCHORED_SHORT_ALTERNATIVE');
  });
  it('§0.3 a field absent from the event type schema (ImageFileName on NetworkConnectIP4)', () => {
    const l = lintsOf('#event_simpleName=NetworkConnectIP4 ImageFileName=/msiexec/');
    expect(l.find((x) => x.code === 'CQL_FIELD_NOT_IN_SCHEMA')?.message).toMatch(/ImageFileName is not a field of NetworkConnectIP4.*ContextProcessId/);
  });
  it('§0.5 FileName exists only in the enriched view', () => {
    expect(codes('#event_simpleName=ProcessRollup2 FileName=cmd.exe')).toContain('CQL_FIELD_ENRICHED_ONLY');
  });
  it('§0.4 a groupBy on keys no event type has drops everything', () => {
    const l = lintsOf('#event_simpleName=ProcessRollup2 OR #event_simpleName=NetworkConnectIP4 | groupBy([CommandLine, RemoteAddressIP4])');
    expect(l.find((x) => x.code === 'CQL_GROUPBY_DROPS_ALL')?.message).toMatch(/ProcessRollup2 events never have RemoteAddressIP4; NetworkConnectIP4 events never have CommandLine/);
    expect(codes('#event_simpleName=ProcessRollup2 | groupBy([CommandLine])')).not.toContain('CQL_GROUPBY_DROPS_ALL');
  });
  it('§0.9 swapped labels in an if() chain and curl/wget falling through', () => {
    const q = 'CommandLine=/(?i)(curl.{0,30}https?:\\/\\/)/ | t := if(regex("(?i)(downloadstring|-encodedcommand)", field=CommandLine), then="X_DOWNLOAD_CRADLE", else=if(regex("(?i)(certutil.{0,20}urlcache)", field=CommandLine), then="X_ENCODED_EXECUTION", else="X_SCRIPT_CHILD"))';
    const msgs = lintsOf(q).filter((x) => x.code === 'CQL_LABEL_MISMATCH').map((x) => x.message);
    expect(msgs).toHaveLength(3);
    expect(msgs.join('\n')).toMatch(/-encodedcommand indicates encoded execution/);
    expect(msgs.join('\n')).toMatch(/labels look swapped/);
    expect(msgs.join('\n')).toMatch(/curl downloads match the filter but no labelled condition/);
  });
  it('§0.11 SyntheticProcessRollup2 excluded', () => {
    expect(codes('#event_simpleName=ProcessRollup2')).toContain('CQL_SYNTHETIC_PR2_EXCLUDED');
    expect(codes('#event_simpleName=/^(ProcessRollup2|SyntheticProcessRollup2)$/')).not.toContain('CQL_SYNTHETIC_PR2_EXCLUDED');
  });
  it('§0.2 * | drop(…) passes events through', () => {
    expect(codes('case { a=1; * | drop([b]) }')).toContain('CQL_CASE_STAR_PASSES_THROUGH');
  });
  it('§0.7 literal -encodedcommand, §0.8 short bounded gaps, §0.10 NOT on a maybe-missing field and incomplete private ranges, §0.13 groupBy limit', () => {
    const c = codes('CommandLine=/(?i)(-encodedcommand|certutil.{0,20}urlcache)/ NOT RemoteAddressIP4=/^(10\\.|192\\.168\\.|::1)/ | groupBy([CommandLine])');
    expect(c).toEqual(expect.arrayContaining(['CQL_LITERAL_ENCODEDCOMMAND', 'CQL_BOUNDED_GAP', 'CQL_NEGATION_KEEPS_MISSING', 'CQL_PRIVATE_RANGES_INCOMPLETE', 'CQL_GROUPBY_LIMIT']));
  });
  it('C19 inline flag before a top-level alternation', () => {
    expect(codes('f=/(?i)Huck[a-z]+|Saw[a-z]+/')).toContain('CQL_INLINE_FLAG_FIRST_BRANCH');
    expect(codes('f=/(?i)(Huck[a-z]+|Saw[a-z]+)/')).not.toContain('CQL_INLINE_FLAG_FIRST_BRANCH');
  });
  it('compile errors appear as lints of severity error', () => {
    expect(lintsOf('drop()')).toContainEqual(expect.objectContaining({ code: 'CQL_MISSING_PARAMETER', severity: 'error' }));
  });
});

describe('whyNot: the predicates that were false on the nearest events', () => {
  it('names the failing predicate with what the event had, and a missing groupBy key', () => {
    const rule = cqlEngine.compile('#event_simpleName=ProcessRollup2 ParentBaseFileName=/(?i)^msiexec\\.exe$/ | groupBy([ComputerName])', { file: 'x.cql' });
    const w = rule.whyNot([
      { '#event_simpleName': 'ProcessRollup2', ParentBaseFileName: 'explorer.exe' },
      { '#event_simpleName': 'NetworkConnectIP4' },
      { '#event_simpleName': 'ProcessRollup2', ParentBaseFileName: 'msiexec.exe' },
    ]);
    expect(w.nearest[0]).toMatchObject({ eventIndex: 2, failed: [{ predicate: 'groupBy key ComputerName present', detail: 'ComputerName is missing' }] });
    expect(w.nearest[1]).toMatchObject({ eventIndex: 0, failed: [{ detail: 'ParentBaseFileName = "explorer.exe"' }] });
    expect(w.summary).toMatch(/0 of 3 events pass/);
  });
  it('follows the case clause the event got furthest in', () => {
    const rule = cqlEngine.compile('case { a=1 b=2 | t:="x"; c=1 }', { file: 'x.cql' });
    const w = rule.whyNot([{ a: '1', b: '3' }]);
    expect(w.nearest[0]!.passed.map((p) => p.predicate)).toEqual(['a=1']);
    expect(w.nearest[0]!.failed.map((p) => p.predicate)).toEqual(['b=2']);
  });
});
