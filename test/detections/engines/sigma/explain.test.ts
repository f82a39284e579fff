import { describe, expect, it } from 'vitest';
import { rule } from './helpers.ts';

describe('explain', () => {
  const r = rule(
    `    sel:\n        Image|endswith: '\\\\powershell.exe'\n        CommandLine|re: 'Invoke-'\n    unused:\n        User: 'x'\n    bogus:\n        ParentOfParentImage: 'x'\n    condition: sel or bogus`,
    '{product: windows, category: process_creation}',
  );
  const x = r.explain();
  it('lists selections as stages with their predicates and positions, then the condition', () => {
    expect(x.stages.map((s) => s.name)).toEqual(['sel', 'unused', 'bogus', 'condition']);
    expect(x.stages[0]!.predicates[0]).toMatchObject({ field: 'Image', operator: 'endswith', values: ['*\\powershell.exe'], position: { line: 6, column: 9 } });
    expect(x.details?.condition).toEqual([{ text: 'sel or bogus', rendered: 'sel or bogus', tree: { or: [{ selection: 'sel' }, { selection: 'bogus' }] } }]);
  });
  it('lints: unreachable selection, field outside the taxonomy, unanchored regex, field missing on 4688', () => {
    const codes = x.lints.map((l) => l.code);
    expect(codes).toContain('SIGMA_UNREACHABLE_SELECTION');
    expect(codes).toContain('SIGMA_FIELD_NOT_IN_TAXONOMY');
    expect(codes).toContain('SIGMA_UNANCHORED_REGEX');
    expect(x.lints.find((l) => l.code === 'SIGMA_FIELD_NOT_IN_TAXONOMY')!.message).toMatch(/ParentOfParentImage/);
  });
  it("lints an unescaped '?' in a URL value (a single-character wildcard)", () => {
    const q = rule(`    sel:\n        CommandLine|contains: 'http://a.example/x.php?'\n    condition: sel`);
    expect(q.explain().lints.map((l) => l.code)).toContain('SIGMA_UNESCAPED_QUESTION_MARK');
  });
});

describe('whyNot', () => {
  it('names the false items of the nearest event, with what the event had instead', () => {
    const r = rule(`    sel:\n        ParentImage|endswith: '\\\\msiexec.exe'\n        Image|endswith: '\\\\powershell.exe'\n    condition: sel`);
    const w = r.whyNot([{ ParentImage: 'C:\\explorer.exe', Image: 'C:\\notepad.exe' }, { ParentImage: 'C:\\msiexec.exe', Image: 'C:\\cmd.exe' }]);
    expect(w.nearest[0]!.eventIndex).toBe(1);
    expect(w.nearest[0]!.failed[0]).toMatchObject({ predicate: "sel: Image|endswith: '\\\\powershell.exe'", detail: 'Image = "C:\\\\cmd.exe"' });
    expect(w.summary).toMatch(/^no event matched; nearest is event #1/);
  });
  it('reports a filter that excluded the event', () => {
    const r = rule(`    sel:\n        A: 'x'\n    filter:\n        B: 'y'\n    condition: sel and not filter`);
    const w = r.whyNot([{ A: 'x', B: 'y' }]);
    expect(w.nearest[0]!.failed[0]!.detail).toMatch(/filter matched the event/);
  });
});
