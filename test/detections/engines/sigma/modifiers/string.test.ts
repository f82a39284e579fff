import { describe, expect, it } from 'vitest';
import { compileError, item, ruleText } from '../helpers.ts';

// Spec appendix "Generic Modifiers" and "String Modifiers".
describe('generic string modifiers', () => {
  it('"contains: the value is matched anywhere in the field"', () => {
    expect(item('F|contains', "'ell'").matches({ F: 'HELLO' })).toBe(true);
    expect(item('F|contains', "'elx'").matches({ F: 'hello' })).toBe(false);
  });
  it('"startswith: the value is matched at the beginning"; "endswith: at the end"', () => {
    expect(item('F|startswith', "'he'").matches({ F: 'Hello' })).toBe(true);
    expect(item('F|startswith', "'lo'").matches({ F: 'Hello' })).toBe(false);
    expect(item('F|endswith', "'\\cmd.exe'").matches({ F: 'C:\\Windows\\CMD.EXE' })).toBe(true);
    expect(item('F|endswith', "'\\cmd.exe'").matches({ F: 'C:\\cmd.exe.bak' })).toBe(false);
  });
  it('"a list of values is OR-ed"; "all: all values must match (AND)"', () => {
    expect(item('F|contains', "['a', 'z']").matches({ F: 'abc' })).toBe(true);
    expect(item('F|contains|all', "['a', 'z']").matches({ F: 'abc' })).toBe(false);
    expect(item('F|contains|all', "['a', 'c']").matches({ F: 'abc' })).toBe(true);
  });
  it('pySigma: "all" on a single value is an error', () => {
    const e = compileError(ruleText("    sel:\n        F|contains|all: 'a'\n    condition: sel"));
    expect(e.code).toBe('E_SIGMA_MODIFIER');
    expect(e.describe()).toMatch(/^bad\.yml:6:9: .*'all' needs a list/);
  });
  it('"cased: values are matched case-sensitively"', () => {
    expect(item('F|cased', "'Abc'").matches({ F: 'Abc' })).toBe(true);
    expect(item('F|cased', "'Abc'").matches({ F: 'abc' })).toBe(false);
    expect(item('F|contains|cased', "'B'").matches({ F: 'abc' })).toBe(false);
  });
  it('"neq: the field is not equal to the value" (and a missing field is neither)', () => {
    expect(item('F|neq', "'a'").matches({ F: 'b' })).toBe(true);
    expect(item('F|neq', "'a'").matches({ F: 'A' })).toBe(false);
    expect(item('F|neq', "'a'").matches({ G: 'b' })).toBe(false);
  });
  it('an unknown modifier is an error with its position', () => {
    const e = compileError(ruleText("    sel:\n        F|contain: 'a'\n    condition: sel"));
    expect(e.message).toMatch(/unknown modifier 'contain'/);
    expect(e.position).toMatchObject({ line: 6, column: 9 });
  });
});

describe('windash', () => {
  it('"windash: - and / and the en dash, em dash and horizontal bar are interchangeable"', () => {
    const r = item('F|contains|windash', "' -enc '");
    for (const d of ['-', '/', '\u2013', '\u2014', '\u2015']) expect(r.matches({ F: `powershell ${d}enc AAA` })).toBe(true);
    expect(r.matches({ F: 'powershell _enc AAA' })).toBe(false);
  });
  it('pySigma: only a dash that starts a flag expands; in -param-name only the first one', () => {
    const r = item('F|windash', "'-param-name'");
    expect(r.matches({ F: '/param-name' })).toBe(true);
    expect(r.matches({ F: '-param/name' })).toBe(false);
  });
});
