// whyNot(): the events nearest to matching, which predicates failed and what the event had.
import { describe, expect, it } from 'vitest';
import { compile } from './helpers.ts';

describe('whyNot', () => {
  const rule = compile('index=wineventlog EventCode=1\n| eval parent=coalesce(ParentImage, "", ParentProcessName)\n| where match(parent, "msiexec")');

  it('ranks events by how far they got, then by predicates passed', () => {
    const why = rule.whyNot([{ index: 'main' }, { index: 'wineventlog', EventCode: '1', ParentProcessName: 'C:\\msiexec.exe' }, { index: 'wineventlog', EventCode: '4688' }]);
    expect(why.nearest.map((n) => n.eventIndex)).toEqual([1, 2, 0]);
  });

  it('says what the event had: missing fields, values, what coalesce gave', () => {
    const why = rule.whyNot([{ index: 'wineventlog', EventCode: '1', ParentProcessName: 'C:\\msiexec.exe' }]);
    const n = why.nearest[0]!;
    expect(n.passed.map((p) => p.predicate)).toEqual(['index=wineventlog', 'EventCode=1']);
    expect(n.failed).toEqual([{
      predicate: 'match(parent, "msiexec")',
      position: { file: 'rule.spl', line: 3, column: 9 },
      detail: 'parent = ""; the condition is FALSE',
    }]);
    expect(why.summary).toBe('No event passes stage 3 (where): the nearest, event #0, fails match(parent, "msiexec") (parent = ""; the condition is FALSE).');
  });

  it('search predicates report the field value or its absence', () => {
    const why = rule.whyNot([{ index: 'wineventlog' }]);
    expect(why.nearest[0]!.failed).toEqual([{ predicate: 'EventCode=1', position: { file: 'rule.spl', line: 1, column: 19 }, detail: 'EventCode is missing' }]);
  });

  it('eval conditions explain a computed flag (coalesce with "" gave "")', () => {
    const r = compile('* | eval f=if(match(lower(coalesce(ParentImage, "", ParentProcessName, "")), "msiexec"), 1, 0) | where f=1');
    const why = r.whyNot([{ ParentProcessName: 'C:\\msiexec.exe' }]);
    const details = why.nearest[0]!.failed.map((f) => f.detail);
    expect(details[0]).toBe('ParentImage is missing; coalesce(ParentImage, "", ParentProcessName, "") gave ""; the condition is FALSE');
    expect(details[1]).toBe('f = 0; the condition is FALSE');
  });

  it('says so when events pass every per-event stage', () => {
    const r = compile('x=1 | stats count by y');
    expect(r.whyNot([{ x: '1' }]).summary).toBe('1 of 1 event(s) pass every per-event stage (search); the rows come from the later stages (stats).');
  });

  it('limit picks how many near misses', () => {
    expect(rule.whyNot([{}, {}, {}, {}], { limit: 2 }).nearest).toHaveLength(2);
  });
});
