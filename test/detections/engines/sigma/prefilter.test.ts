import { describe, expect, it } from 'vitest';
import { detectionCnf } from '../../../../detections/engines/sigma/prefilter.ts';
import { rule } from './helpers.ts';

/** the clauses as readable strings: 'Field~text|Field~text' */
function cnf(detection: string): string[] {
  return detectionCnf(rule(detection).doc.detection).map((cl) => cl.map((a) => `${a.field ?? '*'}~${a.text}`).join('|'));
}

// Kleene logic (logic.ts): a rule is true only when the parts its condition needs are true, so the
// literals of those parts are necessary; anything under `not`, or not a plain case-insensitive
// comparison, adds no clause.
describe('detectionCnf: necessary literals of a detection', () => {
  it('a map ANDs its items: one clause per item, values of a list OR-ed in one clause, lower-cased', () => {
    expect(cnf(`    sel:\n        Image|endswith: ['\\Cmd.exe', '\\pwsh.exe']\n        CommandLine|contains: ' /C '\n    condition: sel`)).toEqual([
      'Image~\\cmd.exe|Image~\\pwsh.exe',
      'CommandLine~ /c ',
    ]);
  });
  it("'|all' makes one clause per value; windash alternatives join their value's clause", () => {
    expect(cnf(`    sel:\n        CommandLine|contains|all: ['abc', 'def']\n    condition: sel`)).toEqual(['CommandLine~abc', 'CommandLine~def']);
    expect(cnf(`    sel:\n        CommandLine|windash|contains: ' -enc '\n    condition: sel`)).toEqual([
      ['-', '/', '\u2013', '\u2014', '\u2015'].map((d) => `CommandLine~ ${d}enc `).join('|'),
    ]);
  });
  it('`or` of parts: the cross product of their clauses while small', () => {
    expect(cnf(`    a:\n        A: 'x1'\n        B: 'y1'\n    b:\n        C: 'z1'\n    condition: a or b`)).toEqual(['A~x1|C~z1', 'B~y1|C~z1']);
  });
  it('`not`, neq, null, exists, numeric, cased, fieldref and `*` add no clause', () => {
    expect(cnf(`    a:\n        A: 'x1'\n    f:\n        B: 'y1'\n    condition: a and not f`)).toEqual(['A~x1']);
    for (const item of ["A|neq: 'x'", 'A: null', 'A|exists: true', 'A|gt: 4', "A|cased: 'Xy'", "A|fieldref: 'B'", "A: '*'", "A: ''"]) {
      expect(cnf(`    s:\n        ${item}\n    condition: s`), item).toEqual([]);
    }
  });
  it('a part without clauses frees an `or`: no clause for the whole', () => {
    expect(cnf(`    a:\n        A: 'x1'\n    b:\n        B|gt: 3\n    condition: a or b`)).toEqual([]);
  });
  it('glob values need their longest literal part; regexes their longest literal run; keywords search every value', () => {
    expect(cnf(`    s:\n        A: 'ab*cdef?g'\n    condition: s`)).toEqual(['A~cdef']);
    expect(cnf(`    s:\n        A|re: 'foo\\d+barbaz'\n    condition: s`)).toEqual(['A~barbaz']);
    expect(cnf(`    k:\n        - 'Mimikatz'\n        - 'sekurlsa'\n    condition: k`)).toEqual(['*~mimikatz|*~sekurlsa']);
  });
});
