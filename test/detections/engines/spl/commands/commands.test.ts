// Every command the engine runs, with the documented behaviour it pins (spl.md §6 and the command
// reference pages cited there).
import { describe, expect, it } from 'vitest';
import { NOW, raws, ruleError, run } from '../helpers.ts';

const ev3 = [
  { _time: 1, host: 'a', user: 'u1', n: '3', _raw: 'first' },
  { _time: 2, host: 'b', user: 'u2', n: '1', _raw: 'second' },
  { _time: 3, host: 'a', user: 'u1', n: '2', _raw: 'third' },
];

describe('search / where / regex', () => {
  it('a later | search filters results with search-command semantics', async () => {
    expect((await run('* | search host=A', ev3)).map((r) => r._raw)).toEqual(['third', 'first']);
  });

  it('where keeps rows whose expression is TRUE', async () => {
    expect((await run('* | where n > 1', ev3)).map((r) => r.n)).toEqual(['2', '3']);
  });

  it('regex field="re" keeps matching rows, != the others', async () => {
    expect((await run('* | regex _raw="^s"', ev3)).map((r) => r._raw)).toEqual(['second']);
    expect((await run('* | regex _raw!="^s"', ev3)).map((r) => r._raw)).toEqual(['third', 'first']);
  });
});

describe('table / fields / rename', () => {
  it('table keeps only the listed fields, in order, dropping _raw ([TABLE])', async () => {
    const rows = await run('* | table n, host', ev3);
    expect(rows[0]).toEqual({ n: '2', host: 'a' });
    expect(Object.keys(rows[0]!)).toEqual(['n', 'host']);
  });

  it('table * does not select underscore fields; _time must be named (CHOICE)', async () => {
    expect(Object.keys((await run('* | table *', ev3))[0]!)).toEqual(['host', 'user', 'n']);
    expect(Object.keys((await run('* | table _time, *', ev3))[0]!)).toEqual(['_time', 'host', 'user', 'n']);
  });

  it('fields - removes, fields + keeps (with _raw and _time kept) ([FIELDS])', async () => {
    expect(await run('* | fields - user, _raw, _time', ev3.slice(0, 1))).toEqual([{ host: 'a', n: '3' }]);
    expect(await run('* | fields host', ev3.slice(0, 1))).toEqual([{ _time: '1970-01-01T00:00:01.000+00:00', host: 'a', _raw: 'first' }]);
  });

  it('rename a AS b, wildcards with matching stars ([RENAME])', async () => {
    const rows = await run('* | rename user AS account, process_* AS p_*', [{ user: 'u', process_name: 'x', process_id: '4' }]);
    expect(rows).toEqual([{ account: 'u', p_name: 'x', p_id: '4' }]);
    expect(ruleError('* | rename a* AS b').message).toMatch(/Wildcard mismatch/);
  });
});

describe('sort ([SORT])', () => {
  it('- descending, + ascending; a sign with white space applies to the following fields', async () => {
    const ev = [{ a: '1', b: 'x' }, { a: '2', b: 'y' }, { a: '1', b: 'z' }];
    expect((await run('* | sort - a, b', ev)).map((r) => r.b)).toEqual(['y', 'z', 'x']);
    expect((await run('* | sort -a, +b', ev)).map((r) => r.b)).toEqual(['y', 'x', 'z']);
  });

  it('auto collation: numbers numerically and before strings; uppercase before lowercase', async () => {
    const ev = [{ v: 'b' }, { v: '10' }, { v: 'B' }, { v: '9' }];
    expect((await run('* | sort v', ev)).map((r) => r.v)).toEqual(['9', '10', 'B', 'b']);
    expect((await run('* | sort str(v)', ev)).map((r) => r.v)).toEqual(['10', '9', 'B', 'b']);
  });

  it('ip() sorts addresses in address order', async () => {
    const ev = [{ ip: '10.0.0.10' }, { ip: '10.0.0.9' }];
    expect((await run('* | sort ip(ip)', ev)).map((r) => r.ip)).toEqual(['10.0.0.9', '10.0.0.10']);
  });

  it('default limit 10000; sort 0 keeps all; sort N keeps N', async () => {
    const ev = Array.from({ length: 10_005 }, (_, i) => ({ i: String(i) }));
    expect(await run('* | sort i', ev)).toHaveLength(10_000);
    expect(await run('* | sort 0 i', ev)).toHaveLength(10_005);
    expect(await run('* | sort 3 - i', ev)).toHaveLength(3);
    expect(await run('* | sort limit=5 i', ev)).toHaveLength(5);
  });

  it('a trailing d reverses the order', async () => {
    expect((await run('* | sort n d', ev3)).map((r) => r.n)).toEqual(['3', '2', '1']);
  });
});

describe('head / tail ([HEAD])', () => {
  it('head N: the first N in search order', async () => {
    expect((await run('* | head 2', ev3)).map((r) => r._raw)).toEqual(['third', 'second']);
    expect((await run('* | head limit=1', ev3)).map((r) => r._raw)).toEqual(['third']);
  });

  it('tail N: the last N, in reverse order', async () => {
    expect((await run('* | tail 2', ev3)).map((r) => r._raw)).toEqual(['first', 'second']);
  });
});

describe('dedup ([DEDUP])', () => {
  it('keeps the first result per combination, in search order (newest first)', async () => {
    expect((await run('* | dedup host', ev3)).map((r) => r._raw)).toEqual(['third', 'second']);
  });

  it('dedup N keeps N per combination; consecutive=true only drops runs', async () => {
    expect(await run('* | dedup 2 host', ev3)).toHaveLength(3);
    const ev = [{ k: 'a', _time: 3 }, { k: 'b', _time: 2 }, { k: 'a', _time: 1 }];
    expect(await run('* | dedup k consecutive=true', ev)).toHaveLength(3);
  });

  it('sortby orders the survivors', async () => {
    expect((await run('* | dedup host sortby +n', ev3)).map((r) => r.n)).toEqual(['1', '2']);
  });
});

describe('stats / eventstats ([STATS], [MVAGG], [ESTATS])', () => {
  const ev = [
    { h: 'a', p: 'x', n: '1', _time: 10 },
    { h: 'a', p: 'y', n: '3', _time: 20 },
    { h: 'b', p: 'x', n: '5', _time: 30 },
    { h: 'a', p: 'x', _time: 40 },
  ];

  it('count, dc, values, list, min, max, sum, avg by a field; rows ordered by the BY value', async () => {
    const rows = await run('* | stats count, count(n) as cn, dc(p), values(p), list(p) as lp, min(n), max(n), sum(n), avg(n) by h', ev);
    expect(rows).toEqual([
      { h: 'a', count: '3', cn: '2', 'dc(p)': '2', 'values(p)': ['x', 'y'], lp: ['x', 'y', 'x'], 'min(n)': '1', 'max(n)': '3', 'sum(n)': '4', 'avg(n)': '2' },
      { h: 'b', count: '1', cn: '1', 'dc(p)': '1', 'values(p)': 'x', lp: 'x', 'min(n)': '5', 'max(n)': '5', 'sum(n)': '5', 'avg(n)': '5' },
    ]);
  });

  it('without BY: one row, even over no results (count 0)', async () => {
    expect(await run('* | stats count', ev)).toEqual([{ count: '4' }]);
    expect(await run('nomatch | stats count', ev)).toEqual([{ count: '0' }]);
  });

  it('earliest/latest follow _time; first/last follow search order (first = newest)', async () => {
    const rows = await run('* | stats earliest(p) as e, latest(p) as l, first(p) as f, last(p) as z by h', ev);
    expect(rows[0]).toEqual({ h: 'a', e: 'x', l: 'x', f: 'x', z: 'x' });
    const rows2 = await run('* | stats earliest(n) as e, latest(n) as l, first(n) as f, last(n) as z', ev);
    expect(rows2[0]).toEqual({ e: '1', l: '5', f: '5', z: '1' });
  });

  it('values(*) as * aggregates every field into a same-named multivalue', async () => {
    const rows = await run('* | table _time, h, p, n | stats values(*) as * by h', ev);
    expect(rows).toEqual([{ h: 'a', n: ['1', '3'], p: ['x', 'y'] }, { h: 'b', n: '5', p: 'x' }]);
  });

  it('results missing a BY field are dropped (UNSURE as documented fact)', async () => {
    expect(await run('* | stats count by n', ev)).toHaveLength(3);
  });

  it('eventstats appends the aggregate to every result, keeping order', async () => {
    const rows = await run('* | eventstats count as c by h | table _time, h, c', ev);
    expect(rows.map((r) => [r.h, r.c])).toEqual([['a', '3'], ['b', '1'], ['a', '3'], ['a', '3']]);
  });

  it('an unknown aggregation is an error; count(eval(...)) is unsupported', () => {
    expect(ruleError('* | stats foo(x)').code).toBe('E_SPL_UNKNOWN_FUNCTION');
    expect(ruleError('* | stats count(eval(x>1))').code).toBe('E_SPL_UNSUPPORTED');
  });
});

describe('bin / bucket ([BIN])', () => {
  it('span=1s floors _time to whole seconds; bucket is a synonym', async () => {
    const rows = await run('* | bin _time span=1s | table _time', [{ _time: 100.7 }]);
    expect(rows).toEqual([{ _time: '1970-01-01T00:01:40.000+00:00' }]);
    expect(await run('* | bucket _time span=1s | table _time', [{ _time: 100.7 }])).toEqual(rows);
  });

  it('spans of days align to midnight (UTC), months to the first', async () => {
    const t = Date.UTC(2024, 3, 18, 15, 30) / 1000;
    expect((await run('* | bin _time span=1d | table _time', [{ _time: t }]))[0]!._time).toBe('2024-04-18T00:00:00.000+00:00');
    expect((await run('* | bin _time span=1mon | table _time', [{ _time: t }]))[0]!._time).toBe('2024-04-01T00:00:00.000+00:00');
    expect((await run('* | bin _time span=5m | table _time', [{ _time: t + 7 * 60 }]))[0]!._time).toBe('2024-04-18T15:35:00.000+00:00');
  });

  it('a numeric span on another field gives the range "lo-hi"; AS names the result', async () => {
    expect(await run('* | bin n span=10 AS r | table n, r', [{ n: '37' }])).toEqual([{ n: '37', r: '30-40' }]);
  });

  it('bins= without span is not supported', () => {
    expect(ruleError('* | bin _time bins=10').code).toBe('E_SPL_UNSUPPORTED');
  });
});

describe('rex', () => {
  it('named groups become fields (default field _raw)', async () => {
    expect(await run('* | rex "user=(?<user>\\w+)" | table user', raws('login user=bob ok'))).toEqual([{ user: 'bob' }]);
  });

  it('field= and max_match=N (multivalue)', async () => {
    const rows = await run('* | rex field=s max_match=0 "(?<d>\\d+)" | table d', [{ s: 'a1b22c333' }]);
    expect(rows).toEqual([{ d: ['1', '22', '333'] }]);
  });

  it('no match leaves the fields as they were', async () => {
    expect(await run('* | rex field=s "(?<d>\\d+)" | table s, d', [{ s: 'none' }])).toEqual([{ s: 'none' }]);
  });

  it('mode=sed: s/regex/replacement/g and y/abc/xyz/', async () => {
    expect(await run('* | rex field=s mode=sed "s/(\\d+)/<\\1>/g" | table s', [{ s: 'a1b22' }])).toEqual([{ s: 'a<1>b<22>' }]);
    expect(await run('* | rex field=s mode=sed "y/ab/xy/" | table s', [{ s: 'aabb' }])).toEqual([{ s: 'xxyy' }]);
  });

  it('a regex without a named group is an error', () => {
    expect(ruleError('* | rex "\\d+"').message).toContain('does not extract anything');
  });
});

describe('fillnull / mvexpand / makeresults', () => {
  it('fillnull with fields fills them; without fields, every field any result has; default 0', async () => {
    const ev = [{ a: '1', _time: 2 }, { b: '2', _time: 1 }];
    expect(await run('* | fillnull value=NA c | table a, c', ev)).toEqual([{ a: '1', c: 'NA' }, { c: 'NA' }]);
    expect(await run('* | fillnull | table a, b', ev)).toEqual([{ a: '1', b: '0' }, { a: '0', b: '2' }]);
  });

  it('mvexpand: one row per value', async () => {
    expect(await run('* | mvexpand m | table m', [{ m: ['x', 'y'] }])).toEqual([{ m: 'x' }, { m: 'y' }]);
  });

  it('makeresults count=N: N rows with _time = now; only as the first command', async () => {
    const rows = await run('| makeresults count=2 | eval x=1', []);
    expect(rows).toEqual([{ _time: new Date(NOW * 1000).toISOString().replace('Z', '+00:00'), x: '1' }, { _time: new Date(NOW * 1000).toISOString().replace('Z', '+00:00'), x: '1' }]);
    expect(ruleError('* | makeresults').message).toContain('must be the first command');
  });
});
