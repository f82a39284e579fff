import { describe, expect, it } from 'vitest';
import { cqlEngine, CqlRuleError } from '../../../../detections/engines/cql/index.ts';
import { RuleError } from '../../../../harness/core/errors.ts';
import { errorsOf } from './helpers.ts';

const codes = (q: string) => errorsOf(q).map((d) => d.code);

describe('parameter checking as LogScale does it ([SUBSET], [IF], [DROP])', () => {
  it('C12: if() with unnamed then/else and a regex literal condition is rejected', () => {
    const d = errorsOf('t := if(CommandLine=/abc/, "Y", "N")');
    expect(d.map((x) => x.code)).toEqual(['CQL_MISSING_PARAMETER', 'CQL_MISSING_PARAMETER', 'CQL_UNKNOWN_PARAMETER', 'CQL_REGEX_NOT_EXPRESSION', 'CQL_UNNAMED_ARGUMENT']);
    expect(d[2]!.message).toMatch(/if\(\) has no parameter named 'CommandLine'/);
    expect(d[4]!.message).toMatch(/only one argument may be unnamed/);
    expect(d[4]!.position).toMatchObject({ line: 1, column: 33 });
  });
  it('"only condition may be unnamed": if(a == "1", "Y", else="N") is rejected for the unnamed then', () => {
    expect(codes('if(a == "1", "Y", else="N")')).toEqual(['CQL_MISSING_PARAMETER', 'CQL_UNNAMED_ARGUMENT']);
  });
  it('C11: drop() without fields is rejected: fields is required', () => {
    const d = errorsOf('drop()');
    expect(d).toHaveLength(1);
    expect(d[0]!.message).toBe("drop() is missing its required parameter 'fields'");
  });
  it('an unknown parameter is named with the list of parameters', () => {
    expect(errorsOf('sort(x, ordr=asc)')[0]!.message).toMatch(/sort\(\) has no parameter named 'ordr' \(parameters: field, order, type, limit, reverse\)/);
  });
  it('an unnamed argument to a function without an unnamed parameter', () => {
    expect(codes('dropEvent(x)')).toEqual(['CQL_UNNAMED_ARGUMENT']);
  });
  it('a parameter given twice', () => {
    expect(codes('groupBy(a, field=b)')).toEqual(['CQL_DUPLICATE_PARAMETER']);
  });
  it('bad parameter values: choices, numbers', () => {
    expect(codes('sort(x, order=up)')).toEqual(['CQL_BAD_ARGUMENT']);
    expect(codes('head(limit=many)')).toEqual(['CQL_BAD_ARGUMENT']);
  });
  it('a regex literal is not an expression: a:=/fisk/i and a:=foo==/fisk/i are errors ([APPA])', () => {
    expect(codes('a:=/fisk/i')).toEqual(['CQL_REGEX_NOT_EXPRESSION']);
    expect(codes('a:=foo==/fisk/i')).toEqual(['CQL_REGEX_NOT_EXPRESSION']);
  });
  it('a:=m/fisk/i divides fields ([APPA]) and compiles', () => {
    expect(() => cqlEngine.compile('a:=m/fisk/i', { file: 'x.cql' })).not.toThrow();
  });
  it('unknown functions get a suggestion; LogScale functions left out say "unsupported feature"', () => {
    expect(errorsOf('groupBi(a)')[0]!.message).toBe("unknown function 'groupBi' (did you mean groupBy()?)");
    expect(errorsOf('ipLocation(ip)')[0]!.message).toMatch(/does not implement \(unsupported feature\)/);
    expect(errorsOf('match(file="x.csv", field=a)')[0]!.code).toBe('CQL_UNSUPPORTED');
  });
  it('function names are case-insensitive (groupby = groupBy; LIKELY)', () => {
    expect(() => cqlEngine.compile('groupby(a)', { file: 'x.cql' })).not.toThrow();
  });
  it('aggregates are not allowed inside case clauses', () => {
    expect(codes('case { a=1 | groupBy(b) ; * }')).toEqual(['CQL_AGGREGATE_NOT_ALLOWED']);
  });
  it('a non-filter function cannot be combined with AND/OR', () => {
    expect(codes('a=1 OR lower(b)')).toEqual(['CQL_NOT_A_FILTER']);
  });
  it('invalid regexes are reported at their position inside the query', () => {
    const d = errorsOf('x=1\n| f=/ab(?<=c)/');
    expect(d[0]!.code).toBe('CQL_REGEX');
    expect(d[0]!.position).toMatchObject({ line: 2, column: 8 });
  });
});

describe('syntax errors carry line:column', () => {
  it.each([
    ['https://', /'\/\/' directly after ':'/],
    ['case { }', /case needs at least one clause/],
    ['case { a=1 | ; }', /expected a query step after \|/],
    ['a=1 |', /expected a query step after \|/],
    ['a=/unterminated', /unterminated regular expression/],
    ['a="x', /unterminated string/],
    ['(a=1', /expected '\)'/],
    ['a==1', /'==' is not a filter operator/],
    ['/* x', /unterminated comment/],
  ])('%s', (q, msg) => {
    expect(() => cqlEngine.compile(q, { file: 'x.cql' })).toThrow(msg);
  });
  it('the error is a RuleError (exit 2) whose describe() names file:line:column', () => {
    try {
      cqlEngine.compile('a=1\n  | b=(', { file: 'rules/x.cql' });
      throw new Error('compiled');
    } catch (e) {
      expect(e).toBeInstanceOf(RuleError);
      expect((e as RuleError).exitCode).toBe(2);
      expect((e as RuleError).describe()).toMatch(/^rules\/x\.cql:2:/);
    }
  });
  it('comments: // to end of line and /* */; https: // x is a query with a comment ([APPA])', () => {
    expect(() => cqlEngine.compile('a=1 // c\n/* b */ | b=2\nhttps: // x', { file: 'x.cql' })).not.toThrow();
  });
});

describe('all errors are collected, not only the first', () => {
  it('the CqlRuleError lists every problem and carries the static analysis', () => {
    try {
      cqlEngine.compile('drop() | sort(x, ordr=1) | foo()', { file: 'x.cql' });
      throw new Error('compiled');
    } catch (e) {
      const err = e as CqlRuleError;
      expect(err.diagnostics.map((d) => d.code)).toEqual(['CQL_MISSING_PARAMETER', 'CQL_UNKNOWN_PARAMETER', 'CQL_UNKNOWN_FUNCTION']);
      expect(err.all()).toHaveLength(3);
      expect(err.describe().split('\n')).toHaveLength(3);
      expect(err.explanation?.lints.filter((l) => l.severity === 'error')).toHaveLength(3);
    }
  });
});

describe('settings', () => {
  it('an invalid value of a known setting is an error naming the allowed values', () => {
    expect(() => cqlEngine.compile('a=1', { file: 'x.cql', settings: { 'groupby-missing': 'maybe' } })).toThrow(/use one of drop, keep/);
  });
  it('regex-engine=v1 switches the default regex engine (C19)', async () => {
    const v1 = cqlEngine.compile('f=/(?i)Huck[a-z]+|Saw[a-z]+/', { file: 'x.cql', settings: { 'regex-engine': 'v1' } });
    const rows = [];
    for await (const r of v1.evaluate([{ f: 'SAWYER' }])) rows.push(r);
    expect(rows).toEqual([]);
  });
});
