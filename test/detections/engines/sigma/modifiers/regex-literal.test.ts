import RE2 from 're2';
import { describe, expect, it } from 'vitest';
import { UNSAFE_FOLDED, regexRequiredLiterals } from '../../../../../detections/engines/sigma/modifiers/regex-literal.ts';

describe('regexRequiredLiterals: a text every match contains, lower-cased', () => {
  it('takes the longest run of literal characters; escaped punctuation is literal', () => {
    expect(regexRequiredLiterals('\\$PSHome\\[\\s*\\d{1,3}\\s*\\]', '')).toEqual(['$pshome[']);
    expect(regexRequiredLiterals('ipconfig\\s+/all', '')).toEqual(['ipconfig']);
  });
  it('a quantifier that allows zero drops the character before it; + and {n,} keep it', () => {
    expect(regexRequiredLiterals('abcd?', '')).toEqual(['abc']);
    expect(regexRequiredLiterals('abcd*x', '')).toEqual(['abc']);
    expect(regexRequiredLiterals('abcd{0,2}', '')).toEqual(['abc']);
    expect(regexRequiredLiterals('abcd+x', '')).toEqual(['abcd']);
    expect(regexRequiredLiterals('xab{2}c', '')).toEqual(['xab']);
  });
  it('groups and classes are opaque; top-level alternatives give one text each', () => {
    expect(regexRequiredLiterals('cmd.{0,5}(?:/c|/r).+powershell', '')).toEqual(['powershell']);
    expect(regexRequiredLiterals('[|(]abc|xy[z]', '')).toEqual(['abc', 'xy']);
    expect(regexRequiredLiterals('abc|\\d+', '')).toBeNull();
  });
  it('syntax outside the subset it reads gives null (never a wrong text)', () => {
    for (const src of ['\\x41bc', '[[:alpha:]]abc', 'a{x', '\\Qa.b\\E', '\\pLabc', '\\tabc']) expect(regexRequiredLiterals(src, '')).toBeNull();
  });
  it('case-insensitive patterns (flag i or inline (?i)) cut runs at the letters RE2 folds with a non-ASCII code point', () => {
    expect(regexRequiredLiterals('werfaultsecure', 'i')).toEqual(['werfault']);
    expect(regexRequiredLiterals('(?i)echo.*clip', '')).toEqual(['echo']);
    expect(regexRequiredLiterals('werfaultsecure', '')).toEqual(['werfaultsecure']);
  });
  // RE2 syntax: "(?i) case-insensitive" uses Unicode simple case folding. The code points outside
  // ASCII that a case-insensitive printable ASCII character matches, and whether toLowerCase maps
  // them back to that character, decide which letters UNSAFE_FOLDED must hold.
  it('UNSAFE_FOLDED is exactly the set of ASCII characters RE2 folds with a code point whose toLowerCase differs', () => {
    const re = new RE2('^[\\x20-\\x7e]$', 'i');
    const unsafe = new Set<string>();
    for (let c = 0x80; c <= 0x10ffff; c++) {
      if (c >= 0xd800 && c <= 0xdfff) continue;
      const ch = String.fromCodePoint(c);
      if (!re.test(ch)) continue;
      const lower = ch.toLowerCase();
      const partner = [...'abcdefghijklmnopqrstuvwxyz'].find((l) => new RE2(l, 'i').test(ch))!;
      if (lower !== partner) unsafe.add(partner);
    }
    expect([...unsafe].sort()).toEqual([...UNSAFE_FOLDED].sort());
  });
  it('is sound on SigmaHQ-style patterns: whenever RE2 matches, the lower-cased value holds one text', () => {
    const cases: [string, string, string[]][] = [
      ['\\$env:ComSpec\\[(?:\\s*\\d{1,3}\\s*,){2}', '', ['x $env:ComSpec[ 1, 2, ]']],
      ['(?i)\\$\\{`?e`?n`?v`?:`?p`?a`?t`?h`?\\}', '', ['${e`Nv:pATh}', '${ENV:PATH}']],
      ['(?i)(?:set).*&&\\s?set.*(?:environment|invoke)', '', ['ſET a && SET invoke']],
      ['net\\s+config', '', ['NET CONFIG', 'net  config']],
    ];
    for (const [src, flags, values] of cases) {
      const lits = regexRequiredLiterals(src, flags);
      expect(lits).not.toBeNull();
      for (const v of values) {
        if (new RE2(src, flags).test(v)) expect(lits!.some((l) => v.toLowerCase().includes(l))).toBe(true);
      }
    }
  });
});
