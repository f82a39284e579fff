import { describe, expect, it } from 'vitest';
import { LiteralScanner } from '../../../../detections/engines/sigma/literal-scan.ts';

/** every id whose literal occurs in s, by the obvious method */
function naive(literals: string[], s: string): number[] {
  return literals.flatMap((l, i) => (s.includes(l) ? [i] : [])).sort((a, b) => a - b);
}

function found(sc: LiteralScanner, s: string): number[] {
  const ids = new Set<number>();
  sc.scan(s, { add: (id) => ids.add(id) });
  return [...ids].sort((a, b) => a - b);
}

// Aho & Corasick (1975): one pass reports every occurrence of every keyword, overlapping ones and
// keywords that are suffixes of others included.
describe('LiteralScanner (Aho–Corasick)', () => {
  it('reports overlapping literals and literals that end inside others (dictionary-suffix links)', () => {
    const lits = ['he', 'she', 'his', 'hers', '\\cmd.exe', 'cmd', '.exe', 'e'];
    const sc = new LiteralScanner(lits, lits.map((_, i) => i));
    for (const s of ['ushers', 'c:\\windows\\system32\\cmd.exe /c', 'hishe', '', 'xyz']) expect(found(sc, s)).toEqual(naive(lits, s));
  });
  it('equal texts may carry different ids, and each is reported', () => {
    const sc = new LiteralScanner(['abc', 'abc', 'b'], [7, 9, 3]);
    expect(found(sc, 'xabcx')).toEqual([3, 7, 9]);
  });
  it('non-ASCII and astral code units (windash dashes, emoji) are matched as UTF-16 code units', () => {
    const lits = ['\u2013enc', '\u2014enc', '😈', 'ü'];
    const sc = new LiteralScanner(lits, lits.map((_, i) => i));
    for (const s of ['powershell \u2014enc aa', 'x😈y', 'über', 'plain -enc']) expect(found(sc, s)).toEqual(naive(lits, s));
  });
  it('agrees with String.prototype.includes on random literals and texts', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const alphabet = 'abc\\-/ \u2013é';
    const word = (max: number) => Array.from({ length: 1 + rnd(max) }, () => alphabet[rnd(alphabet.length)]).join('');
    for (let round = 0; round < 20; round++) {
      const lits = Array.from({ length: 1 + rnd(60) }, () => word(5));
      const sc = new LiteralScanner(lits, lits.map((_, i) => i));
      for (let k = 0; k < 30; k++) {
        const s = word(40);
        expect(found(sc, s)).toEqual(naive(lits, s));
      }
    }
  });
});
