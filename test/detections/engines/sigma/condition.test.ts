import { describe, expect, it } from 'vitest';
import { compileError, rule, ruleText } from './helpers.ts';

// Spec, "Condition": operators and their precedence "or < and < not < x of < ( )".
const SELS = `    a:\n        A: 'x'\n    b:\n        B: 'x'\n    c:\n        C: 'x'\n`;
const ev = (a: boolean, b: boolean, c: boolean) => ({ A: a ? 'x' : '-', B: b ? 'x' : '-', C: c ? 'x' : '-' });
const truth = (cond: string) => {
  const r = rule(`${SELS}    condition: ${cond}`);
  const out: string[] = [];
  for (const a of [false, true]) for (const b of [false, true]) for (const c of [false, true]) out.push(r.matches(ev(a, b, c)) ? '1' : '0');
  return out.join('');
};

describe('condition grammar', () => {
  it('"and binds tighter than or": a or b and c = a or (b and c)', () => {
    expect(truth('a or b and c')).toBe(truth('a or (b and c)'));
    expect(truth('a or b and c')).not.toBe(truth('(a or b) and c'));
  });
  it('"not binds tighter than and": not a and b = (not a) and b', () => {
    expect(truth('not a and b')).toBe(truth('(not a) and b'));
    expect(truth('not a and b')).not.toBe(truth('not (a and b)'));
  });
  it('parentheses override precedence', () => {
    expect(truth('(a or b) and c')).toBe('00010101');
  });
  it('"1 of pattern: any of the selections whose names match"; "all of pattern: all of them"', () => {
    const r1 = rule(`    sel_a:\n        A: 'x'\n    sel_b:\n        B: 'x'\n    other:\n        C: 'x'\n    condition: 1 of sel_* and other`);
    expect(r1.matches(ev(true, false, true))).toBe(true);
    expect(r1.matches(ev(false, false, true))).toBe(false);
    const r2 = rule(`    sel_a:\n        A: 'x'\n    sel_b:\n        B: 'x'\n    condition: all of sel_*`);
    expect(r2.matches(ev(true, false, false))).toBe(false);
    expect(r2.matches(ev(true, true, false))).toBe(true);
  });
  it('"x of" binds tighter than not: not 1 of f* = not (1 of f*)', () => {
    const r = rule(`    s:\n        A: 'x'\n    f1:\n        B: 'x'\n    f2:\n        C: 'x'\n    condition: s and not 1 of f*`);
    expect(r.matches(ev(true, false, false))).toBe(true);
    expect(r.matches(ev(true, false, true))).toBe(false);
  });
  it('"them: all search identifiers", skipping those starting with an underscore', () => {
    const r = rule(`    a:\n        A: 'x'\n    _b:\n        B: 'x'\n    condition: all of them`);
    expect(r.matches(ev(true, false, false))).toBe(true);
    const r1 = rule(`    a:\n        A: 'x'\n    _b:\n        B: 'x'\n    condition: 1 of them`);
    expect(r1.matches(ev(false, true, false))).toBe(false);
  });
  it('pySigma: "any of" is a synonym of "1 of"', () => {
    expect(truth('any of them')).toBe(truth('a or b or c'));
  });
  it('"the condition can be a list; the results are OR-ed"', () => {
    const r = rule(`${SELS}    condition:\n        - a and b\n        - c`);
    expect(r.matches(ev(false, false, true))).toBe(true);
    expect(r.matches(ev(true, true, false))).toBe(true);
    expect(r.matches(ev(true, false, false))).toBe(false);
  });
  it('an undefined identifier is an error at its column', () => {
    const e = compileError(ruleText(`${SELS}    condition: a and d`));
    expect(e.code).toBe('E_SIGMA_CONDITION');
    expect(e.message).toMatch(/'d' is not defined/);
    expect(e.position).toMatchObject({ line: 11, column: 22 });
  });
  it('v2 removed aggregations: "| count() by" and "near" are rejected with a pointer to correlation rules', () => {
    expect(compileError(ruleText(`${SELS}    condition: a | count() by B > 5`)).message).toMatch(/correlation rule/);
    expect(compileError(ruleText(`${SELS}    condition: a near b`)).message).toMatch(/unexpected 'near'|correlation/);
  });
  it('only "1 of", "any of" and "all of" exist; unbalanced parentheses are errors', () => {
    expect(compileError(ruleText(`${SELS}    condition: 2 of them`)).message).toMatch(/only '1 of'/);
    expect(compileError(ruleText(`${SELS}    condition: (a and b`)).message).toMatch(/expected '\)'/);
    expect(compileError(ruleText(`${SELS}    condition: 1 of x*`)).message).toMatch(/matches no search identifier/);
  });
});
