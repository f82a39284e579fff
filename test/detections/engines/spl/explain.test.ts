// explain(): stages with text and position, predicates, merged indicators and bare search terms.
import { describe, expect, it } from 'vitest';
import { compile } from './helpers.ts';

describe('explain', () => {
  const x = compile('index=win Image=*msiexec.exe "/i" fail*\n| eval p=if(match(lower(ParentImage), "msiexec"), 1, 0)\n| where p=1 AND cidrmatch("10.0.0.0/8", ip) AND x IN ("a", "b")\n| table p').explain();

  it('one stage per command, with the user\'s text and line:column', () => {
    expect(x.stages.map((s) => [s.index, s.name, s.position?.line, s.position?.column])).toEqual([
      [1, 'search', 1, 1], [2, 'eval', 2, 3], [3, 'where', 3, 3], [4, 'table', 4, 3],
    ]);
    expect(x.stages[1]!.text).toBe('eval p=if(match(lower(ParentImage), "msiexec"), 1, 0)');
  });

  it('predicates: search leaves, eval conditions and where leaves', () => {
    expect(x.stages[0]!.predicates.map((p) => p.text)).toEqual(['index=win', 'Image=*msiexec.exe', '"/i"', 'fail*']);
    expect(x.stages[1]!.predicates.map((p) => p.text)).toEqual(['match(lower(ParentImage), "msiexec")']);
    expect(x.stages[2]!.predicates.map((p) => [p.text, p.field, p.operator])).toEqual([
      ['p=1', undefined, undefined],
      ['cidrmatch("10.0.0.0/8", ip)', 'ip', 'cidr'],
      ['x IN ("a", "b")', 'x', 'in'],
    ]);
  });

  it('indicators: (field, operator, values), fields the rule computes itself left out', () => {
    expect(x.indicators.map((i) => [i.field, i.operator, i.values])).toEqual([
      ['index', 'eq', ['win']],
      ['Image', 'eq', ['*msiexec.exe']],
      ['ParentImage', 'match', ['msiexec']],
      ['ip', 'cidr', ['10.0.0.0/8']],
      ['x', 'in', ['a', 'b']],
    ]);
  });

  it('bare search terms with their stage', () => {
    expect(x.terms.map((t) => [t.stage, t.term])).toEqual([[1, '"/i"'], [1, 'fail*']]);
  });

  it('meta.title comes from a comment that opens the rule', () => {
    expect(compile('```My rule\nmore text```\nindex=x').meta).toEqual({ title: 'My rule' });
    expect(compile('index=x ```not a title```').meta).toEqual({});
  });
});
