// The search command: precedence, field=value, !=, NOT, wildcards, IN, comparisons, bare terms,
// phrases, TERM(), CASE(), metadata fields and time modifiers (spl.md §4).
import { describe, expect, it } from 'vitest';
import { NOW, raws, rawsOf, run } from '../helpers.ts';

const sorted = (rows: Awaited<ReturnType<typeof run>>, key = '_raw') => rows.map((r) => r[key]).sort();

describe('search: Boolean structure ([BOOL])', () => {
  it('implicit AND between terms: "web error" = "web AND error"', async () => {
    const ev = raws('web error', 'web ok', 'error only');
    expect(rawsOf(await run('web error', ev))).toEqual(['web error']);
    expect(rawsOf(await run('web AND error', ev))).toEqual(['web error']);
  });

  it('OR binds tighter than AND: A=1 AND B=2 OR C=3 is A=1 AND (B=2 OR C=3)', async () => {
    const ev = [{ A: '1', B: '2', n: 'ab' }, { A: '1', C: '3', n: 'ac' }, { C: '3', n: 'c' }, { A: '0', B: '2', n: 'b' }];
    expect(sorted(await run('A=1 AND B=2 OR C=3', ev), 'n')).toEqual(['ab', 'ac']);
    expect(sorted(await run('A=1 B=2 OR C=3', ev), 'n')).toEqual(['ab', 'ac']);
  });

  it('parentheses override: (A=1 AND B=2) OR C=3', async () => {
    const ev = [{ A: '1', B: '2', n: 'ab' }, { C: '3', n: 'c' }, { A: '1', n: 'a' }];
    expect(sorted(await run('(A=1 AND B=2) OR C=3', ev), 'n')).toEqual(['ab', 'c']);
  });

  it('NOT applies to the next term only', async () => {
    const ev = raws('a b', 'a', 'b', 'c');
    expect(sorted(await run('NOT a b', ev))).toEqual(['b']);
    expect(sorted(await run('NOT (a b)', ev))).toEqual(['a', 'b', 'c']);
  });

  it('operators must be upper case: a lower-case "or" is a literal term', async () => {
    const ev = raws('x', 'y', 'x or y');
    expect(sorted(await run('x or y', ev))).toEqual(['x or y']);
    expect(sorted(await run('x OR y', ev))).toEqual(['x', 'x or y', 'y']);
  });

  it('* matches every event', async () => {
    expect(await run('*', [{ a: '1' }, {}])).toHaveLength(2);
  });
});

describe('search: field=value ([SEARCH])', () => {
  it('values are case-insensitive', async () => {
    expect(await run('sourcetype=xmlwineventlog', [{ sourcetype: 'XmlWinEventLog' }])).toHaveLength(1);
  });

  it('field names are case-sensitive ([FNAMES])', async () => {
    expect(await run('Sourcetype=XmlWinEventLog', [{ sourcetype: 'XmlWinEventLog' }])).toEqual([]);
  });

  it('* is a wildcard in values, quoted or not; the value must match whole', async () => {
    const e = [{ Image: 'C:\\Windows\\System32\\msiexec.exe' }];
    expect(await run('Image=*msiexec.exe', e)).toHaveLength(1);
    expect(await run('Image="*\\\\msiexec.exe"', e)).toHaveLength(1);
    expect(await run('Image=msiexec.exe', e)).toEqual([]);
    expect(await run('Image=C:*System32*', e)).toHaveLength(1);
  });

  it('backslash escapes: \\\\ is one backslash, other sequences stay as written', async () => {
    const e = [{ p: 'a\\b' }];
    expect(await run('p="a\\\\b"', e)).toHaveLength(1);
    expect(await run('p=a\\b', e)).toHaveLength(1);
  });

  it('=/!= compare strings: "1" does not match "1.0"', async () => {
    expect(await run('x=1', [{ x: '1.0' }])).toEqual([]);
    expect(await run('x=1', [{ x: '1' }])).toHaveLength(1);
  });

  it('a numeric JSON value matches its textual form', async () => {
    expect(await run('EventCode=4688', [{ EventCode: 4688 }])).toHaveLength(1);
  });

  it('any value of a multivalue field can match', async () => {
    expect(await run('tag=b', [{ tag: ['a', 'b'] }])).toHaveLength(1);
  });

  it('field=* matches events that have the field', async () => {
    expect((await run('x=*', [{ x: 'v', n: '1' }, { n: '2' }])).map((r) => r.n)).toEqual(['1']);
  });

  it('field!=value needs the field; NOT field=value also returns events without it ([NOTX])', async () => {
    const ev = [{ x: '1', n: 'one' }, { x: '2', n: 'two' }, { n: 'none' }];
    expect(sorted(await run('x!=1', ev), 'n')).toEqual(['two']);
    expect(sorted(await run('NOT x=1', ev), 'n')).toEqual(['none', 'two']);
  });

  it('a CIDR value matches IP addresses ([SEARCH] ip="10.10.10.0/24")', async () => {
    const ev = [{ ip: '10.10.10.7', n: 'in' }, { ip: '10.10.11.7', n: 'out' }];
    expect(sorted(await run('ip="10.10.10.0/24"', ev), 'n')).toEqual(['in']);
  });

  it('IN (v1, v2*) is an OR of field=value with wildcards', async () => {
    const ev = [{ c: '1' }, { c: '3' }, { c: '40' }, { c: '5' }];
    expect(sorted(await run('c IN (1, 4*)', ev), 'c')).toEqual(['1', '40']);
    expect(sorted(await run('c IN ("3","5")', ev), 'c')).toEqual(['3', '5']);
  });

  it('field = value may be written with spaces around =', async () => {
    expect(await run('x = 1', [{ x: '1' }])).toHaveLength(1);
  });

  it('< > <= >= are numeric when both sides are numbers ("10" > "9")', async () => {
    const ev = [{ n: '9' }, { n: '10' }, { n: 'abc' }];
    expect(sorted(await run('n>9', ev), 'n')).toEqual(['10', 'abc']);
    expect(sorted(await run('n<=9', ev), 'n')).toEqual(['9']);
  });

  it('comparisons with a non-number are lexicographic', async () => {
    expect(await run('s>b', [{ s: 'c' }, { s: 'a' }])).toEqual([{ s: 'c' }]);
  });

  it('search fieldA=fieldB compares with the literal text "fieldB" ([SEARCH])', async () => {
    expect(await run('a=b', [{ a: 'b' }])).toHaveLength(1);
    expect(await run('a=b', [{ a: 'x', b: 'x' }])).toEqual([]);
  });
});

describe('search: metadata fields', () => {
  const e = { index: 'wineventlog', sourcetype: 'XmlWinEventLog', source: 'XmlWinEventLog:Security', host: 'WIN-1' };
  it('index=, sourcetype=, source=, host= select on the default fields', async () => {
    expect(await run('index=wineventlog sourcetype=XmlWinEventLog source="XmlWinEventLog:Security" host=win-1', [e])).toHaveLength(1);
    expect(await run('index=main', [e])).toEqual([]);
  });
  it('sourcetype=<string> matches the sourcetype, not the source', async () => {
    expect(await run('sourcetype="XmlWinEventLog:Security"', [e])).toEqual([]);
  });
});

describe('search: terms against _raw ([SEARCH], [TERM], [SEGCONF])', () => {
  it('bare terms are case-insensitive whole tokens', async () => {
    const ev = raws('User LOGON failed', 'logonid=5');
    expect(sorted(await run('logon', ev))).toEqual(['User LOGON failed']);
  });

  it('a term with minor breakers is a phrase: its sub-tokens, then the text', async () => {
    const ev = raws('src=127.0.0.1 ok', 'src=127.0.0.2 ok 1');
    expect(sorted(await run('127.0.0.1', ev))).toEqual(['src=127.0.0.1 ok']);
  });

  it('minor pieces of 192.168.1.1 are tokens for bare terms; TERM() needs the whole major segment (CHOICE, [TERM])', async () => {
    expect(await run('TERM(192.168)', raws('ip 192.168.1.1'))).toEqual([]);
    expect(await run('192', raws('ip 192.168.1.1'))).toHaveLength(1);
    expect(await run('TERM(192.168.1.1)', raws('ip 192.168.1.1'))).toHaveLength(1);
  });

  it('quoted phrases match the words in order', async () => {
    const ev = raws('access denied for bob', 'denied access');
    expect(sorted(await run('"access denied"', ev))).toEqual(['access denied for bob']);
  });

  it('wildcard terms match any token (fail*)', async () => {
    const ev = raws('login failure', 'login ok');
    expect(sorted(await run('fail*', ev))).toEqual(['login failure']);
    expect(sorted(await run('*ure', ev))).toEqual(['login failure']);
  });

  it('"<EventID>4688<" matches <EventID>4688</EventID> (< and > are major breakers)', async () => {
    expect(await run('"<EventID>4688<"', raws('<System><EventID>4688</EventID></System>'))).toHaveLength(1);
    expect(await run('"<EventID>4688<"', raws('<System><EventID>14688</EventID></System>'))).toEqual([]);
  });

  it('breaker-only phrase "://" is a substring test (UNSURE)', async () => {
    expect(await run('"://"', raws("xmlns='http://schemas'"))).toHaveLength(1);
    expect(await run('"://"', raws('C:\\local\\a.msi'))).toEqual([]);
  });

  it('events without _raw never match a term', async () => {
    expect(await run('foo', [{ x: 'foo' }])).toEqual([]);
  });

  it('"--" and percent-encoded sequences are major breakers', async () => {
    expect(await run('bar', raws('foo--bar'))).toHaveLength(1);
    expect(await run('bar', raws('foo%20bar'))).toHaveLength(1);
  });
});

describe('search: TERM() and CASE() ([TERM])', () => {
  it('TERM(x) matches x as one token bounded by major breakers, even with minor breakers inside', async () => {
    expect(await run('TERM(EventCode=4688)', raws('LogName=Security\nEventCode=4688\nType=Information'))).toHaveLength(1);
    expect(await run('TERM(EventCode=4688)', raws('<EventID>4688</EventID>'))).toEqual([]);
  });

  it('TERM(/i) matches " /i " and /i" (quote is major), any case', async () => {
    expect(await run('TERM(/i)', raws('msiexec /I "C:\\x.msi"'))).toHaveLength(1);
    expect(await run('TERM(/i)', raws('msiexec /i"C:\\x.msi"'))).toHaveLength(1);
    expect(await run('TERM(/i)', raws('msiexec -i C:\\x.msi'))).toEqual([]);
  });

  it('TERM(install) does not match /install (not bounded by major breakers)', async () => {
    expect(await run('TERM(install)', raws('setup.exe /install'))).toEqual([]);
    expect(await run('TERM(install)', raws('pip install x'))).toHaveLength(1);
  });

  it('CASE(x) is a case-sensitive term', async () => {
    const ev = raws('Error here', 'error here');
    expect(sorted(await run('CASE(Error)', ev))).toEqual(['Error here']);
  });
});

describe('search: time modifiers', () => {
  it('earliest=-1h / latest=now are relative to the search time', async () => {
    const ev = [{ _time: NOW - 7200, n: 'old' }, { _time: NOW - 60, n: 'new' }];
    expect((await run('earliest=-1h latest=now', ev)).map((r) => r.n)).toEqual(['new']);
  });
  it('earliest= takes epoch seconds', async () => {
    expect((await run('earliest=100', [{ _time: 50 }, { _time: 150 }])).length).toBe(1);
  });
});
