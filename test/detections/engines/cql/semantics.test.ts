import { describe, expect, it } from 'vitest';
import { kept, run } from './helpers.ts';

describe('field filters (cql.md §1.2, [OPS], [FILTERS])', () => {
  it('C1: = is an exact, case-sensitive whole-value match', async () => {
    expect(kept(await run('FileName=cmd.exe', [{ FileName: 'cmd.exe' }]))).toBe(true);
    expect(kept(await run('FileName=CMD.EXE', [{ FileName: 'cmd.exe' }]))).toBe(false);
  });
  it('C2: = is anchored and * is a glob', async () => {
    const ev = [{ FileName: 'cmd.exe' }];
    expect(kept(await run('FileName=cmd', ev))).toBe(false);
    expect(kept(await run('FileName=*cmd*', ev))).toBe(true);
    expect(kept(await run('FileName=cmd*', ev))).toBe(true);
    expect(kept(await run('FileName=*.exe', ev))).toBe(true);
    expect(kept(await run('FileName=c*d*e', ev))).toBe(true);
  });
  it('quoted values may carry * wildcards too ([SUBSET], LIKELY)', async () => {
    expect(kept(await run('FileName="cmd*"', [{ FileName: 'cmd.exe' }]))).toBe(true);
  });
  it('name="" means present and empty', async () => {
    expect(kept(await run('name=""', [{ name: '' }]))).toBe(true);
    expect(kept(await run('name=""', [{}]))).toBe(false);
  });
  it('like is a case-sensitive contains', async () => {
    expect(kept(await run('class like "Bucket"', [{ class: 'S3Bucket1' }]))).toBe(true);
    expect(kept(await run('class like "bucket"', [{ class: 'S3Bucket1' }]))).toBe(false);
  });
  it('numbers: "LogScale first tries to convert the field value to a number"', async () => {
    expect(kept(await run('statuscode = "404"', [{ statuscode: '404' }]))).toBe(true);
    expect(kept(await run('n > 3', [{ n: '10' }]))).toBe(true);
    expect(kept(await run('n > 3', [{ n: 'abc' }]))).toBe(false);
  });
  it('the right side of = is never a field ([APPA] "Irregularity of Comparison")', async () => {
    expect(kept(await run('a = b', [{ a: 'x', b: 'x' }]))).toBe(false);
    expect(kept(await run('a = b', [{ a: 'b' }]))).toBe(true);
    expect(kept(await run('test(a == b)', [{ a: 'x', b: 'x' }]))).toBe(true);
  });
  it('field names are case-sensitive ([FNAME]); #x and x are different fields (§1.6)', async () => {
    expect(kept(await run('filename=cmd.exe', [{ FileName: 'cmd.exe' }]))).toBe(false);
    expect(kept(await run('#event_simpleName=ProcessRollup2', [{ event_simpleName: 'ProcessRollup2' }]))).toBe(false);
    expect(kept(await run('#event_simpleName=ProcessRollup2', [{ '#event_simpleName': 'ProcessRollup2' }]))).toBe(true);
  });
});

describe('missing fields: "the comparison always fails — unless it is !=" ([OPS], cql.md §1.7)', () => {
  it('C4: on {} — /x/ drops, NOT /x/ keeps, != keeps, !=* keeps, =* drops', async () => {
    expect(kept(await run('FileName=/x/', [{}]))).toBe(false);
    expect(kept(await run('NOT FileName=/x/', [{}]))).toBe(true);
    expect(kept(await run('FileName!=x', [{}]))).toBe(true);
    expect(kept(await run('FileName!=*', [{}]))).toBe(true);
    expect(kept(await run('FileName=*', [{}]))).toBe(false);
    expect(kept(await run('FileName!=/x/', [{}]))).toBe(true);
  });
  it('<, > on a missing field fail', async () => {
    expect(kept(await run('n < 5', [{}]))).toBe(false);
    expect(kept(await run('n >= 5', [{}]))).toBe(false);
  });
  it('C24: NOT RemoteAddressIP4=/…/ keeps an event without RemoteAddressIP4', async () => {
    const q = 'NOT RemoteAddressIP4=/^(10\\.|172\\.(1[6-9]|2[0-9]|3[01])\\.|192\\.168\\.|127\\.|::1)/';
    expect(kept(await run(q, [{ RemoteAddressIP4: '172.32.0.1' }]))).toBe(true);
    expect(kept(await run(q, [{ RemoteAddressIP4: '172.31.255.1' }]))).toBe(false);
    expect(kept(await run(q, [{}]))).toBe(true);
  });
});

describe('AND, OR, NOT precedence: NOT > OR > AND ([GRAMMAR], [APPA])', () => {
  it('C5: a=1 b=2 OR c=3 is a=1 AND (b=2 OR c=3)', async () => {
    expect(kept(await run('a=1 b=2 OR c=3', [{ a: '0', c: '3' }]))).toBe(false);
    expect(kept(await run('a=1 b=2 OR c=3', [{ a: '1', c: '3' }]))).toBe(true);
  });
  it('C6: not a=1 b=2 is (not a=1) and b=2', async () => {
    expect(kept(await run('not a=1 b=2', [{ a: '1', b: '2' }]))).toBe(false);
    expect(kept(await run('not a=1 b=2', [{ a: '0', b: '2' }]))).toBe(true);
  });
  it('"foo and not bar or baz" ≡ "foo and ((not bar) or baz)" ([OPS])', async () => {
    expect(kept(await run('x=1 and not y=1 or z=1', [{ x: '1', y: '1', z: '1' }]))).toBe(true);
    expect(kept(await run('x=1 and not y=1 or z=1', [{ x: '1', y: '1', z: '0' }]))).toBe(false);
  });
  it('explicit AND, lower- or upper-case operators, ! as NOT, parentheses', async () => {
    expect(kept(await run('(a=1 OR a=2) AND b=3', [{ a: '2', b: '3' }]))).toBe(true);
    expect(kept(await run('a=1 or a=2 and !b=3', [{ a: '2', b: '3' }]))).toBe(false);
  });
  it('a b means a | b (implicit AND)', async () => {
    expect(await run('src="client" ip="127.0.0.1"', [{ src: 'client', ip: '127.0.0.1' }, { src: 'client', ip: '1' }])).toHaveLength(1);
  });
});

describe('free text (cql.md §1.4)', () => {
  it('searches every field as *word*, except tag fields', async () => {
    expect(kept(await run('webclient', [{ CommandLine: 'x Net.webclient y' }]))).toBe(true);
    expect(kept(await run('ProcessRollup2', [{ '#event_simpleName': 'ProcessRollup2' }]))).toBe(false);
  });
  it('sees only the fields present at the start of the pipeline', async () => {
    expect(kept(await run('x := "needle" | needle', [{ a: 'hay' }]))).toBe(false);
  });
  it('stray tokens are filters: foo < 42 + 3 is (foo<42) AND *+* AND *3*', async () => {
    expect(kept(await run('foo < 42 + 3', [{ foo: '1', bar: 'a+b3' }]))).toBe(true);
    expect(kept(await run('foo < 42 + 3', [{ foo: '1', bar: 'ab3' }]))).toBe(false);
  });
  it('a bare /regex/ searches every field', async () => {
    expect(kept(await run('/fisk/i', [{ a: 'FISK' }]))).toBe(true);
  });
});

describe('case (cql.md §2, [CASE])', () => {
  it('C7: no clause matches and no * → dropped', async () => {
    expect(await run('case { x=1 | t:="A" }', [{ x: '2' }])).toEqual([]);
  });
  it('C8: the * clause passes unmatched events through unchanged', async () => {
    expect(await run('case { x=1 | t:="A"; * }', [{ x: '2' }])).toEqual([{ x: '2' }]);
  });
  it('C9: a clause matches only if its pipeline returns the event; the next clause sees the original', async () => {
    expect(await run('case { x=1 | y=1 | t:="A"; * | t:="B" }', [{ x: '1', y: '0' }])).toEqual([{ x: '1', y: '0', t: 'B' }]);
    expect(await run('case { x=1 | t:="A" | y=1; * | u:="B" }', [{ x: '1', y: '0' }])).toEqual([{ x: '1', y: '0', u: 'B' }]);
  });
  it('first match wins', async () => {
    expect(await run('case { x=* | t:="A"; x=1 | t:="B" }', [{ x: '1' }])).toEqual([{ x: '1', t: 'A' }]);
  });
  it('C10: * | dropEvent() never matches, so unmatched events are dropped', async () => {
    expect(await run('case { x=1 | t:="A"; * | dropEvent() }', [{ x: '2' }])).toEqual([]);
  });
  it('a trailing ; before } is accepted', async () => {
    expect(await run('case { x=1 | t:="A"; }', [{ x: '1' }])).toEqual([{ x: '1', t: 'A' }]);
  });
  it('OR keeps one copy of an event ("A OR B is shorthand for case { A ; B }")', async () => {
    expect(await run('a=1 OR b=1', [{ a: '1', b: '1' }])).toHaveLength(1);
  });
});

describe('drop(), dropEvent() (cql.md §3)', () => {
  it('C11: drop(f1) removes the field, not the event', async () => {
    expect(await run('drop(f1)', [{ f1: 'a', f2: 'b' }])).toEqual([{ f2: 'b' }]);
    expect(await run('drop([f1, f2])', [{ f1: 'a', f2: 'b', f3: 'c' }])).toEqual([{ f3: 'c' }]);
  });
  it('drop(mode=glob) removes matching names (1.267)', async () => {
    expect(await run('drop("f*", mode=glob)', [{ f1: 'a', f2: 'b', g: 'c' }])).toEqual([{ g: 'c' }]);
  });
  it('dropEvent() in a search is false', async () => {
    expect(await run('dropEvent()', [{ a: '1' }])).toEqual([]);
  });
});

describe(':= and expressions (cql.md §4, [EXPR], [FIELDS])', () => {
  it('C13: assigning null neither creates nor overwrites', async () => {
    expect(await run('t := missing', [{ a: '5' }])).toEqual([{ a: '5' }]);
    expect(await run('t := missing', [{ t: 'old' }])).toEqual([{ t: 'old' }]);
  });
  it('the official alias idiom falconPID:=TargetProcessId | falconPID:=ContextProcessId', async () => {
    const rows = await run('p := TargetProcessId | p := ContextProcessId | select([p])', [{ TargetProcessId: '1' }, { ContextProcessId: '2' }]);
    expect(rows).toEqual([{ p: '1' }, { p: '2' }]);
  });
  it('arithmetic and comparisons; wrong types give null', async () => {
    expect(await run('x := a * 2 + 1 | y := a > 3 | z := b + 1 | select([x, y, z])', [{ a: '5', b: 'q' }])).toEqual([{ x: '11', y: 'true' }]);
  });
  it('eval(x = expr) is x := expr', async () => {
    expect(await run('eval(x = a - 1) | select([x])', [{ a: '5' }])).toEqual([{ x: '4' }]);
  });
  it('x := f(…) is f(…, as=x)', async () => {
    expect(await run('y := lower(a) | select([y])', [{ a: 'ABC' }])).toEqual([{ y: 'abc' }]);
  });
  it('if(): condition true → then, otherwise (also null) → else', async () => {
    const q = 'r := if(regex("^1", field=s), then="info", else=if(s == "404", then="nf", else="other")) | select([r])';
    expect(await run(q, [{ s: '100' }, { s: '404' }, { s: '500' }, {}])).toEqual([{ r: 'info' }, { r: 'nf' }, { r: 'other' }, { r: 'other' }]);
  });
  it('if() with a null result leaves the as field unset', async () => {
    expect(await run('if(a == "1", then=b, else="x", as=r)', [{ a: '1' }])).toEqual([{ a: '1' }]);
    expect(await run('if(a == "1", then=b, else="x")', [{ a: '2' }])).toEqual([{ a: '2', _if: 'x' }]);
  });
  it('test() keeps events where the expression is true; missing field → dropped', async () => {
    expect(await run('test(length(a) > 2)', [{ a: 'abc' }, { a: 'ab' }, {}])).toEqual([{ a: 'abc' }]);
  });
  it('text:contains() in an expression', async () => {
    expect(await run('test(text:contains(string=a, substring="b"))', [{ a: 'abc' }, { a: 'x' }])).toEqual([{ a: 'abc' }]);
  });
});

describe('field functions', () => {
  it('lower/upper replace the field when as= is absent; length gives _length', async () => {
    expect(await run('lower(a) | upper(b, as=c) | length(a)', [{ a: 'AbC', b: 'x' }])).toEqual([{ a: 'abc', b: 'x', c: 'X', _length: '3' }]);
  });
  it('default() fills missing (and with replaceEmpty, empty) fields', async () => {
    expect(await run('default(value="-", field=[a, b, c], replaceEmpty=true)', [{ a: '1', b: '' }])).toEqual([{ a: '1', b: '-', c: '-' }]);
  });
  it('rename() single and pairs; select() keeps fields in order', async () => {
    expect(await run('rename(a, as=b) | rename(field=[[c, d]]) | select([d, b])', [{ a: '1', c: '2', e: '3' }])).toEqual([{ d: '2', b: '1' }]);
  });
  it('in() with globs; a missing field is in no list and !in() keeps it', async () => {
    const evs = [{ s: '200' }, { s: '404' }, {}];
    expect(await run('in(s, values=["2*", "301"])', evs)).toEqual([{ s: '200' }]);
    expect(await run('!in(s, values=["2*"])', evs)).toEqual([{ s: '404' }, {}]);
  });
  it('regex() extracts named groups and drops non-matching events', async () => {
    expect(await run('regex("(?<FileName>[^\\\\\\\\]+)$", field=ImageFileName) | select([FileName])', [{ ImageFileName: 'C:\\W\\cmd.exe' }, {}])).toEqual([{ FileName: 'cmd.exe' }]);
  });
  it('unknown \\x escapes in strings are kept verbatim (cql.md §4: UNSURE, chosen)', async () => {
    expect(await run('regex("a\\.b", field=f)', [{ f: 'a.b' }, { f: 'axb' }])).toEqual([{ f: 'a.b' }]);
  });
  it('cidr() on IPv4 subnets; !cidr keeps missing fields', async () => {
    const evs = [{ ip: '10.1.2.3' }, { ip: '8.8.8.8' }, {}];
    expect(await run('cidr(ip, subnet=["10.0.0.0/8"])', evs)).toEqual([{ ip: '10.1.2.3' }]);
    expect(await run('!cidr(ip, subnet=["10.0.0.0/8"])', evs)).toEqual([{ ip: '8.8.8.8' }, {}]);
  });
  it('format(), concat(), splitString(), replace()', async () => {
    const rows = await run(
      'format("%s-%03d", field=[a, n], as=f) | concat([a, b], as=c) | splitString(field=p, by="/", index=1, as=s) | replace("o+", with="0", field=b, as=r) | select([f, c, s, r])',
      [{ a: 'x', n: '7', b: 'foo', p: 'u/v/w' }],
    );
    expect(rows).toEqual([{ f: 'x-007', c: 'xfoo', s: 'v', r: 'f0' }]);
  });
});

describe('groupBy (cql.md §5, [GROUPBY])', () => {
  it('C14: default function count(as=_count); no other fields', async () => {
    expect(await run('groupBy(k)', [{ k: 'g', x: '1' }, { k: 'g' }, { k: 'h' }])).toEqual([{ k: 'g', _count: '2' }, { k: 'h', _count: '1' }]);
  });
  it('C15: count(field) counts only events that have the field', async () => {
    expect(await run('groupBy(k, function=count(aid, as=n))', [{ k: 'g', aid: '1' }, { k: 'g' }])).toEqual([{ k: 'g', n: '1' }]);
  });
  it('C16: an event lacking a group field is not counted (groupby-missing=drop, the default; LIKELY)', async () => {
    expect(await run('groupBy([a, b])', [{ a: '1', b: 'x' }, { a: '1' }])).toEqual([{ a: '1', b: 'x', _count: '1' }]);
  });
  it('groupby-missing=keep groups such events with the field left out of the row', async () => {
    expect(await run('groupBy([a, b])', [{ a: '1', b: 'x' }, { a: '1' }], { 'groupby-missing': 'keep' })).toEqual([
      { a: '1', b: 'x', _count: '1' },
      { a: '1', _count: '1' },
    ]);
  });
  it('C17: an empty string is a present value', async () => {
    expect(await run('groupBy([a, b])', [{ a: '1', b: '' }, { a: '1', b: '' }])).toEqual([{ a: '1', b: '', _count: '2' }]);
  });
  it('several aggregates: count distinct, min, max, sum, avg, collect', async () => {
    const rows = await run('groupBy(k, function=[count(u, distinct=true, as=users), min(n), max(n), sum(n), avg(n), collect(u)])', [
      { k: 'g', u: 'a', n: '1' },
      { k: 'g', u: 'b', n: '4' },
      { k: 'g', u: 'a', n: 'x' },
    ]);
    expect(rows).toEqual([{ k: 'g', users: '2', _min: '1', _max: '4', _sum: '5', _avg: '2.5', u: 'a\nb' }]);
  });
  it('function=[] lists distinct combinations only', async () => {
    expect(await run('groupBy(k, function=[])', [{ k: 'g' }, { k: 'g' }])).toEqual([{ k: 'g' }]);
  });
  it('limit caps the number of groups', async () => {
    expect(await run('groupBy(k, limit=1)', [{ k: 'a' }, { k: 'b' }, { k: 'a' }])).toEqual([{ k: 'a', _count: '2' }]);
  });
  it('count() alone gives one row with _count', async () => {
    expect(await run('count()', [{}, {}])).toEqual([{ _count: '2' }]);
  });
});

describe('sort, head, tail, top, table (cql.md §6, [SORT], [TOP])', () => {
  const rows = [{ n: '2' }, { n: '10' }, { n: '1' }];
  it('C18: sort defaults are desc and numeric', async () => {
    expect((await run('sort(n)', rows)).map((r) => r.n)).toEqual(['10', '2', '1']);
    expect((await run('sort(n, type=string, order=asc)', rows)).map((r) => r.n)).toEqual(['1', '10', '2']);
  });
  it('sort limit defaults to 200', async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ n: String(i) }));
    expect(await run('sort(n)', many)).toHaveLength(200);
    expect(await run('sort(n, limit=5)', many)).toHaveLength(5);
  });
  it('sort type=hex accepts 0x and bare hex', async () => {
    expect((await run('sort(h, type=hex, order=asc)', [{ h: '0x10' }, { h: 'f' }])).map((r) => r.h)).toEqual(['f', '0x10']);
  });
  it('head and tail', async () => {
    expect(await run('head(2)', rows)).toEqual([{ n: '2' }, { n: '10' }]);
    expect(await run('tail(1)', rows)).toEqual([{ n: '1' }]);
  });
  it('top(): counts by value, events without the field are not counted', async () => {
    expect(await run('top(k)', [{ k: 'a' }, { k: 'b' }, { k: 'a' }, {}])).toEqual([{ k: 'a', _count: '2' }, { k: 'b', _count: '1' }]);
  });
  it('table(): the named fields, newest first by @timestamp', async () => {
    expect(await run('table([a])', [{ a: '1', '@timestamp': '1' }, { a: '2', '@timestamp': '2' }])).toEqual([{ a: '2' }, { a: '1' }]);
  });
});

describe('join() (cql.md §8.2: aid + ContextProcessId = TargetProcessId)', () => {
  const evs = [
    { t: 'PR2', aid: 'h', TargetProcessId: '7', ImageFileName: 'msiexec.exe' },
    { t: 'NET', aid: 'h', ContextProcessId: '7', RemoteAddressIP4: '8.8.8.8' },
    { t: 'NET', aid: 'h', ContextProcessId: '9', RemoteAddressIP4: '8.8.4.4' },
  ];
  it('inner join adds the partner fields and drops events without a partner', async () => {
    const q = 't=NET | join({t=PR2}, field=[aid, ContextProcessId], key=[aid, TargetProcessId], include=[ImageFileName])';
    expect(await run(q, evs)).toEqual([{ t: 'NET', aid: 'h', ContextProcessId: '7', RemoteAddressIP4: '8.8.8.8', ImageFileName: 'msiexec.exe' }]);
  });
  it('mode=left keeps events without a partner', async () => {
    const q = 't=NET | join({t=PR2}, field=[aid, ContextProcessId], key=[aid, TargetProcessId], include=[ImageFileName], mode=left)';
    expect(await run(q, evs)).toHaveLength(2);
  });
});

describe('input values', () => {
  it('numbers become text, nulls are missing, arrays and objects flatten as parseJson names them', async () => {
    expect(await run('*', [{ n: 1, z: null, a: ['x', 'y'], o: { p: true } }])).toEqual([{ n: '1', 'a[0]': 'x', 'a[1]': 'y', 'o.p': 'true' }]);
  });
  it('evaluate accepts async iterables', async () => {
    async function* gen() {
      yield { a: '1' };
      yield { a: '2' };
    }
    const { cqlEngine } = await import('../../../../detections/engines/cql/index.ts');
    const rule = cqlEngine.compile('a=2', { file: 'x.cql' });
    const out = [];
    for await (const r of rule.evaluate(gen())) out.push(r);
    expect(out).toEqual([{ a: '2' }]);
  });
});
