import { describe, expect, it } from 'vitest';
import { runChain } from '../../../../../detections/engines/sigma/modifiers/index.ts';
import { parseSigmaString } from '../../../../../detections/engines/sigma/sigma-string.ts';
import { compileError, item, ruleText } from '../helpers.ts';

// Spec appendix: numeric, time, IP, exists, fieldref and expand modifiers.
describe('type modifiers', () => {
  it('"lt, lte, gt, gte: numeric comparison" on numbers and numeric strings', () => {
    expect(item('N|gt', '5').matches({ N: 6 })).toBe(true);
    expect(item('N|gt', '5').matches({ N: '5' })).toBe(false);
    expect(item('N|gte', '5').matches({ N: '5' })).toBe(true);
    expect(item('N|lt', '5').matches({ N: '4.5' })).toBe(true);
    expect(item('N|lte', '5').matches({ N: 'abc' })).toBe(false);
    expect(compileError(ruleText("    sel:\n        N|gt: 'x'\n    condition: sel")).message).toMatch(/compares numbers/);
  });
  it('"minute, hour, day, week, month, year: the part of a date" (no time zone handling: UTC)', () => {
    const ev = { T: '2024-10-26 15:13:49.921' };
    expect(item('T|hour', '15').matches(ev)).toBe(true);
    expect(item('T|minute', '13').matches(ev)).toBe(true);
    expect(item('T|day', '26').matches(ev)).toBe(true);
    expect(item('T|month', '10').matches(ev)).toBe(true);
    expect(item('T|year', '2024').matches(ev)).toBe(true);
    expect(item('T|week', '43').matches(ev)).toBe(true);
    expect(item('T|hour|gte', '16').matches(ev)).toBe(false);
  });
  it('"cidr: the value is an IPv4 or IPv6 network"', () => {
    expect(item('Ip|cidr', "'10.0.0.0/8'").matches({ Ip: '10.2.3.4' })).toBe(true);
    expect(item('Ip|cidr', "'10.0.0.0/8'").matches({ Ip: '11.2.3.4' })).toBe(false);
    expect(item('Ip|cidr', "'fc00::/7'").matches({ Ip: 'fd12:3456::1' })).toBe(true);
    expect(item('Ip|cidr', "'fc00::/7'").matches({ Ip: '10.2.3.4' })).toBe(false);
    expect(compileError(ruleText("    sel:\n        Ip|cidr: 'nope'\n    condition: sel")).message).toMatch(/not an IPv4 or IPv6 network/);
  });
  it('"exists: tests the presence of the field, not its value, be it empty or null"', () => {
    expect(item('F|exists', 'true').matches({ F: '' })).toBe(true);
    expect(item('F|exists', 'true').matches({ F: null })).toBe(true);
    expect(item('F|exists', 'true').matches({ G: 'x' })).toBe(false);
    expect(item('F|exists', 'false').matches({ G: 'x' })).toBe(true);
    expect(compileError(ruleText("    sel:\n        F|exists: 'yes'\n    condition: sel")).message).toMatch(/boolean/);
    expect(compileError(ruleText("    sel:\n        F|contains|exists: true\n    condition: sel")).message).toMatch(/cannot be combined/);
  });
  it('"fieldref: compare with the value of another field", combinable with neq', () => {
    expect(item('A|fieldref', "'B'").matches({ A: 'x', B: 'X' })).toBe(true);
    expect(item('A|fieldref', "'B'").matches({ A: 'x', B: 'y' })).toBe(false);
    expect(item('A|fieldref', "'B'").matches({ A: 'x' })).toBe(false);
    expect(item('A|fieldref|neq', "'B'").matches({ A: 'x', B: 'y' })).toBe(true);
    expect(item('A|fieldref|endswith', "'B'").matches({ A: 'C:\\x\\a.exe', B: 'a.exe' })).toBe(true);
  });
  it('"expand: placeholders are replaced by values from the pipeline"; an unresolved one rejects the rule', () => {
    const placeholders = new Map([['Admins', ['alice', 'bob']]]);
    const r = runChain({ modifiers: ['expand'], values: [{ t: 'str', s: parseSigmaString('%Admins%'), raw: '%Admins%' }], isList: false, placeholders });
    expect('rendered' in r && r.rendered).toEqual(['alice', 'bob']);
    const e = compileError(ruleText("    sel:\n        User|expand: '%Administrators%'\n    condition: sel"));
    expect(e.code).toBe('E_SIGMA_UNSUPPORTED');
    expect(e.message).toMatch(/placeholder %Administrators% has no values/);
  });
  it('"null: the field is absent (or null)"; null is not allowed inside a list', () => {
    expect(item('F', 'null').matches({ G: 'x' })).toBe(true);
    expect(item('F', 'null').matches({ F: null })).toBe(true);
    expect(item('F', 'null').matches({ F: '' })).toBe(false);
    expect(compileError(ruleText("    sel:\n        F: ['a', null]\n    condition: sel")).message).toMatch(/null cannot/);
  });
});
