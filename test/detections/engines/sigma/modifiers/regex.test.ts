import { describe, expect, it } from 'vitest';
import { compileError, item, ruleText } from '../helpers.ts';

// Spec appendix "Regular Expression": `re`, with i (ignore case), m (multi-line), s (dot matches
// newline); "regular expressions are case-sensitive by default".
describe('re', () => {
  it('"re: the value is a regular expression" matched anywhere in the field unless anchored', () => {
    expect(item('F|re', "'b+c'").matches({ F: 'abbbcd' })).toBe(true);
    expect(item('F|re', "'^b+c'").matches({ F: 'abbbcd' })).toBe(false);
  });
  it('"regular expressions are case-sensitive"; "i: ignore case"', () => {
    expect(item('F|re', "'abc'").matches({ F: 'ABC' })).toBe(false);
    expect(item('F|re|i', "'abc'").matches({ F: 'ABC' })).toBe(true);
  });
  it('"m: ^ and $ match at line boundaries"; "s: . matches newlines"', () => {
    expect(item('F|re', "'^b$'").matches({ F: 'a\nb\nc' })).toBe(false);
    expect(item('F|re|m', "'^b$'").matches({ F: 'a\nb\nc' })).toBe(true);
    expect(item('F|re', "'a.b'").matches({ F: 'a\nb' })).toBe(false);
    expect(item('F|re|s', "'a.b'").matches({ F: 'a\nb' })).toBe(true);
  });
  it('runs in linear time: a catastrophic-backtracking pattern cannot hang a run', () => {
    const r = item('F|re', "'^(a+)+$'");
    expect(r.matches({ F: 'a'.repeat(50_000) + 'b' })).toBe(false);
  });
  it('a regex feature RE2 lacks (lookahead) is reported as unsupported with RE2\'s reason', () => {
    const e = compileError(ruleText("    sel:\n        F|re: '(?=x)a'\n    condition: sel"));
    expect(e.code).toBe('E_SIGMA_UNSUPPORTED');
    expect(e.message).toMatch(/cannot be compiled by RE2/);
  });
  it('a flag without re is an error', () => {
    expect(compileError(ruleText("    sel:\n        F|i: 'a'\n    condition: sel")).message).toMatch(/needs the 're' modifier/);
  });
});
