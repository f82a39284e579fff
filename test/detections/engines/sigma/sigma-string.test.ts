import { describe, expect, it } from 'vitest';
import { item } from './helpers.ts';

// Spec, "Escape Character" and "Wildcards": `*` any number of characters, `?` exactly one; the
// backslash escapes wildcards and itself; a lone backslash is literal.
describe('Sigma string values: wildcards and escaping', () => {
  const m = (value: string, field: string) => item('F', value).matches({ F: field });

  it('"Values without modifiers must match the whole field": no implicit substring', () => {
    expect(m("'abc'", 'abc')).toBe(true);
    expect(m("'abc'", 'xabcx')).toBe(false);
  });
  it('"* matches any number of characters" and "? exactly one character"', () => {
    expect(m("'a*c'", 'abbbc')).toBe(true);
    expect(m("'a*c'", 'ac')).toBe(true);
    expect(m("'a?c'", 'abc')).toBe(true);
    expect(m("'a?c'", 'ac')).toBe(false);
    expect(m("'a?c'", 'a😀c')).toBe(true); // one character, even outside the BMP
    expect(m("'*a*b*a*'", 'xxaxxbxxax')).toBe(true);
    expect(m("'*a*b*a*'", 'xxaxxbxx')).toBe(false);
  });
  it('"\\* and \\? are a literal * and ?"', () => {
    expect(m("'a\\*c'", 'a*c')).toBe(true);
    expect(m("'a\\*c'", 'abc')).toBe(false);
    expect(m("'a\\?c'", 'a?c')).toBe(true);
    expect(m("'a\\?c'", 'abc')).toBe(false);
  });
  it('"a single backslash not followed by a wildcard is literal" (C:\\Users\\ ends in one backslash)', () => {
    expect(m("'C:\\Users\\'", 'C:\\Users\\')).toBe(true);
    expect(m("'C:\\\\Users'", 'C:\\Users')).toBe(true); // \\ = one backslash
  });
  it('"\\\\* is a literal backslash followed by a wildcard"; "\\\\\\* a backslash and a literal *"', () => {
    expect(m("'a\\\\*'", 'a\\anything')).toBe(true);
    expect(m("'a\\\\\\*'", 'a\\*')).toBe(true);
    expect(m("'a\\\\\\*'", 'a\\b')).toBe(false);
  });
  it('"\\\\\\ and \\\\\\\\ are two backslashes"', () => {
    expect(m("'a\\\\\\'", 'a\\\\')).toBe(true);
    expect(m("'a\\\\\\\\'", 'a\\\\')).toBe(true);
  });
  it('"Plain values are case-insensitive" including non-ASCII letters', () => {
    expect(m("'PowerShell.EXE'", 'powershell.exe')).toBe(true);
    expect(m("'ÄRGER'", 'ärger')).toBe(true);
  });
  it("\"'' is the empty string\": it matches an empty field, not a missing one", () => {
    expect(item('F', "''").matches({ F: '' })).toBe(true);
    expect(item('F', "''").matches({ G: 'x' })).toBe(false);
  });
  it('numbers and booleans in the rule compare with the textual form of the field', () => {
    expect(item('EventID', '1').matches({ EventID: 1 })).toBe(true);
    expect(item('EventID', '1').matches({ EventID: '1' })).toBe(true);
    expect(item('EventID', '1').matches({ EventID: '11' })).toBe(false);
    expect(item('Initiated', "'true'").matches({ Initiated: true })).toBe(true);
  });
  it('a multivalue (array) field matches when one of its values matches', () => {
    expect(item('F', "'b'").matches({ F: ['a', 'b'] })).toBe(true);
  });
});
