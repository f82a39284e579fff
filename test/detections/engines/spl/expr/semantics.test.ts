// eval/where semantics: NULL, dual typing, operators, precedence, keywords, field references
// (spl.md §1, §3).
import { describe, expect, it } from 'vitest';
import { evalOn, run, whereKeeps } from '../helpers.ts';

describe('NULL is distinct from "" and 0 (spl.md §1)', () => {
  it('a missing field is NULL: isnull TRUE, isnull("") FALSE ([INFO])', async () => {
    const r = await evalOn({ e: '' }, 'a=if(isnull(x),"y","n"), b=if(isnull(e),"y","n"), c=if(isnotnull(e),"y","n")');
    expect(r).toMatchObject({ a: 'y', b: 'n', c: 'y' });
  });

  it('a comparison on a missing field is NULL, so where drops the row either way ([HEAD], [WHERE])', async () => {
    expect(await whereKeeps({}, 'x > 10')).toBe(false);
    expect(await whereKeeps({}, 'x = 1')).toBe(false);
    expect(await whereKeeps({}, 'x != 1')).toBe(false);
  });

  it('NULL == NULL behaves as false in if() ([QIITA] §2)', async () => {
    expect((await evalOn({}, 'r=if(a=b,"t","f")')).r).toBe('f');
  });

  it('where keeps only TRUE: "returns only the results for which the eval expression returns true"', async () => {
    expect(await whereKeeps({ x: '5' }, 'x > 1')).toBe(true);
    expect(await whereKeeps({ x: '0' }, 'x > 1')).toBe(false);
  });

  it('an eval giving NULL removes the field ("eval erases the value in the result field")', async () => {
    const rows = await run('* | eval x=null()', [{ x: 'had a value' }]);
    expect(rows[0]).not.toHaveProperty('x');
  });

  it('division by zero results in a null field ([EVAL])', async () => {
    expect(await evalOn({}, 'r=1/0')).not.toHaveProperty('r');
  });

  it('NOT of NULL is TRUE by default; null-not=null keeps it NULL (setting)', async () => {
    expect((await evalOn({}, 'r=if(NOT x=1,"t","f")')).r).toBe('t');
    expect((await evalOn({}, 'r=if(NOT x=1,"t","f")', { 'null-not': 'null' })).r).toBe('f');
  });

  it('null-logic=three-valued: NULL OR TRUE is TRUE, NULL AND TRUE is NULL, NOT(NULL AND FALSE)... is TRUE', async () => {
    const s = { 'null-logic': 'three-valued', 'null-not': 'null' };
    const r = await evalOn({ y: '1' }, 'a=if(x=1 OR y=1,"t","f"), b=if(x=1 AND y=1,"t","f"), c=if(NOT (x=1 AND y=2),"t","f")', s);
    expect(r).toMatchObject({ a: 't', b: 'f', c: 't' });
  });
});

describe('dual typing and comparisons (spl.md §3)', () => {
  it('= and == are synonyms', async () => {
    expect((await evalOn({ a: '3' }, 'x=if(a==3,"y","n"), y=if(a=3,"y","n")'))).toMatchObject({ x: 'y', y: 'y' });
  });

  it('numeric when both sides are numbers: "10" > 9, "01" = 1', async () => {
    const r = await evalOn({ a: '10', b: '01' }, 'x=if(a>9,"y","n"), y=if(b=1,"y","n")');
    expect(r).toMatchObject({ x: 'y', y: 'y' });
  });

  it('a quoted literal is a string: "01" = "1" is FALSE; field "01" = "01" TRUE', async () => {
    const r = await evalOn({ b: '01' }, 'x=if("01"="1","y","n"), y=if(b="01","y","n"), z=if(b="1","y","n")');
    expect(r).toMatchObject({ x: 'n', y: 'y', z: 'n' });
  });

  it('two fields compare numerically when both parse as numbers', async () => {
    expect(await whereKeeps({ a: '9', b: '10' }, 'a < b')).toBe(true);
  });

  it('string comparison is case-sensitive ("The <eval-expression> is case-sensitive")', async () => {
    expect(await whereKeeps({ s: 'MsiExec' }, 's="msiexec"')).toBe(false);
    expect(await whereKeeps({ s: 'B' }, 's < "a"')).toBe(true);
  });

  it('an unquoted name is a field, a quoted one a literal; single quotes name odd fields ([WHERE])', async () => {
    expect(await whereKeeps({ 'server-1': 'x', other: 'x' }, "'server-1'=other")).toBe(true);
    expect(await whereKeeps({ a: 'b' }, 'a="b"')).toBe(true);
  });

  it('a multivalue field compares TRUE when any value does (CHOICE)', async () => {
    expect(await whereKeeps({ m: ['a', 'b'] }, 'm="b"')).toBe(true);
  });
});

describe('operators ([EVAL])', () => {
  it('+ adds numbers and concatenates strings; . concatenates', async () => {
    const r = await evalOn({ a: '2', s: 'x' }, 'n=a+3, c=s+"y", d=a."z", e=1 . 2');
    expect(r).toMatchObject({ n: '5', c: 'xy', d: '2z', e: '12' });
  });

  it('- * / % take numbers', async () => {
    const r = await evalOn({}, 'a=7-2, b=3*4, c=10/4, d=10%3, e=-(2)');
    expect(r).toMatchObject({ a: '5', b: '12', c: '2.5', d: '1', e: '-2' });
  });

  it('arithmetic on a non-number gives NULL', async () => {
    expect(await evalOn({ s: 'abc' }, 'r=s*2')).not.toHaveProperty('r');
  });

  it('precedence: * before +, comparisons before NOT, NOT before AND, AND before OR, OR before XOR', async () => {
    const r = await evalOn({}, 'a=1+2*3, b=if(NOT 1=2 AND 1=1,"t","f"), c=if(1=1 OR 1=1 XOR 1=1,"t","f")');
    expect(r).toMatchObject({ a: '7', b: 't', c: 'f' });
  });

  it('lower-case and/or/not are accepted in eval/where (Splunk\'s own detections use them)', async () => {
    expect(await whereKeeps({ a: '1', b: '2' }, 'a=1 and (b=3 or not b=4)')).toBe(true);
  });

  it('x LIKE "a%" in where ([EVAL])', async () => {
    expect(await whereKeeps({ x: 'abc' }, 'x LIKE "a%"')).toBe(true);
    expect(await whereKeeps({ x: 'abc' }, 'x LIKE "b%"')).toBe(false);
  });

  it('x IN ("a", "b") in where', async () => {
    expect(await whereKeeps({ x: 'b' }, 'x IN ("a", "b")')).toBe(true);
    expect(await whereKeeps({ x: 'c' }, 'x in ("a", "b")')).toBe(false);
  });

  it('XOR is TRUE when exactly one side is', async () => {
    expect((await evalOn({}, 'r=if(1=1 XOR 1=2,"t","f"), s=if(1=1 XOR 2=2,"t","f")'))).toMatchObject({ r: 't', s: 'f' });
  });
});

describe('eval assignments', () => {
  it('several comma-separated assignments; a later one sees the earlier ones', async () => {
    expect(await evalOn({}, 'a=1, b=a+1, c=b*10')).toMatchObject({ a: '1', b: '2', c: '20' });
  });

  it('results are strings: numbers textual ("1" not 1)', async () => {
    const r = await evalOn({}, 'a=1, b=0.5, c=1e3');
    expect(r).toEqual({ a: '1', b: '0.5', c: '1000' });
  });

  it('eval can overwrite a field and create a multivalue', async () => {
    const r = await evalOn({ x: 'old' }, 'x="new", m=split("a,b", ",")');
    expect(r).toMatchObject({ x: 'new', m: ['a', 'b'] });
  });

  it('an eval target may be a single-quoted name', async () => {
    expect(await evalOn({}, "'my-field'=1")).toMatchObject({ 'my-field': '1' });
  });
});
