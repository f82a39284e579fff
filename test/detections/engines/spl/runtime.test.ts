// Result order and result rows (spl.md §6; CONTRACTS.md `detect --format json`).
import { describe, expect, it } from 'vitest';
import { run } from './helpers.ts';

describe('result order of the initial search', () => {
  it('newest first by _time ("most recent N events for a historical search", [HEAD])', async () => {
    const ev = [{ _time: '2024-01-01T00:00:02Z', n: 'b' }, { _time: '2024-01-01T00:00:03Z', n: 'c' }, { _time: '2024-01-01T00:00:01Z', n: 'a' }];
    expect((await run('*', ev)).map((r) => r.n)).toEqual(['c', 'b', 'a']);
  });

  it('CHOICE: equal _time and untimed events come in reverse input order, untimed last', async () => {
    const ev = [{ n: 'x' }, { _time: 5, n: 'p' }, { _time: 5, n: 'q' }, { n: 'y' }, { _time: 9, n: 'r' }];
    expect((await run('*', ev)).map((r) => r.n)).toEqual(['r', 'q', 'p', 'y', 'x']);
  });

  it('ordering uses the event time as read, not a _time changed by eval', async () => {
    const ev = [{ _time: 1, n: 'old' }, { _time: 2, n: 'new' }];
    expect((await run('* | eval _time=100-_time', ev)).map((r) => r.n)).toEqual(['new', 'old']);
  });

  it('accepts epoch numbers, numeric strings and ISO times with offsets', async () => {
    const ev = [{ _time: 1713441600.5, n: 'a' }, { _time: '1713441601', n: 'b' }, { _time: '2024-04-18T14:00:02+02:00', n: 'c' }, { _time: '2024-04-18 12:00:03.1234567', n: 'd' }];
    expect((await run('*', ev)).map((r) => r.n)).toEqual(['d', 'c', 'b', 'a']);
  });
});

describe('result rows are product-style', () => {
  it('strings only: numbers textual, multivalue as arrays of strings, NULL omitted, _time ISO', async () => {
    const rows = await run('* | eval a=1+1, m=mvappend(1, "x"), z=null()', [{ _time: 0.25, n: 7, b: true, o: null, arr: [1, 2] }]);
    expect(rows).toEqual([{ _time: '1970-01-01T00:00:00.250+00:00', n: '7', b: 'true', arr: ['1', '2'], a: '2', m: ['1', 'x'] }]);
  });

  it('nested JSON objects are flattened with dots (Splunk JSON extraction naming)', async () => {
    expect(await run('a.b=1 | table a.b', [{ a: { b: 1 } }])).toEqual([{ 'a.b': '1' }]);
  });

  it('a rule can be evaluated twice and over an async iterable', async () => {
    async function* gen() {
      yield { x: '1' };
      yield { x: '2' };
    }
    const { compile } = await import('./helpers.ts');
    const rule = compile('x=2');
    const out: unknown[] = [];
    for await (const r of rule.evaluate(gen())) out.push(r);
    for await (const r of rule.evaluate([{ x: '2' }])) out.push(r);
    expect(out).toEqual([{ x: '2' }, { x: '2' }]);
  });
});
