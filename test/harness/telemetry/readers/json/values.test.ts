import { describe, expect, it } from 'vitest';
import { InputError } from '../../../../../harness/core/errors.ts';
import { jsonBatches, jsonErrorOffset } from '../../../../../harness/telemetry/readers/json/values.ts';

/** Feeds `text` in chunks of `size` bytes, so every boundary case (inside strings, escapes, multi-byte characters) is crossed. */
async function values(text: string, size = 1 << 20): Promise<{ values: unknown[]; lines: number[]; error?: InputError }> {
  const buf = Buffer.from(text, 'utf8');
  async function* chunks(): AsyncGenerator<Buffer> {
    for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
  }
  const out: { values: unknown[]; lines: number[]; error?: InputError } = { values: [], lines: [] };
  try {
    for await (const b of jsonBatches(buf.subarray(0, 65536), chunks(), 'in.json')) {
      out.values.push(...b.values);
      out.lines.push(...b.lines);
    }
  } catch (e) {
    out.error = e as InputError;
  }
  return out;
}

const tricky = { a: 'brace } bracket ] quote " backslash \\ end\\', b: ['[', '{'], c: 'naïve ünïcödé ✓ 𝄞', d: { e: null, f: 1.5e3 } };

describe('jsonBatches: the three layouts of telemetry.md §3', () => {
  it('JSON Lines: one value per line, blank lines skipped, CRLF accepted, line numbers kept', async () => {
    const r = await values('{"a":1}\r\n\r\n{"b":2}\r\n   \n{"c":3}');
    expect(r.values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    expect(r.lines).toEqual([1, 3, 5]);
  });

  it('a JSON array of objects (pretty-printed), element lines kept', async () => {
    const r = await values(JSON.stringify([{ a: 1 }, tricky, { z: [] }], null, 2));
    expect(r.values).toEqual([{ a: 1 }, tricky, { z: [] }]);
    expect(r.lines).toEqual([2, 5, 17]);
  });

  it('a stream of pretty-printed objects that is not an array (the Rust evtx crate output)', async () => {
    const text = [tricky, { x: 1 }, tricky].map((o) => JSON.stringify(o, null, 2)).join('\n');
    const r = await values(text);
    expect(r.values).toEqual([tricky, { x: 1 }, tricky]);
  });

  it('concatenated objects on one line and a one-line array of a thousand objects', async () => {
    expect((await values('{"a":1}{"b":2} {"c":3}')).values).toEqual([{ a: 1 }, { b: 2 }, { c: 3 }]);
    const many = Array.from({ length: 1000 }, (_, i) => ({ i, s: `"}${i}` }));
    expect((await values(JSON.stringify(many), 7)).values).toEqual(many);
  });

  it('gives the same values whatever the chunk size: strings, escapes and UTF-8 sequences split across chunks', async () => {
    const text = JSON.stringify([tricky, tricky, { k: '\\\\"\\' }], null, 1);
    const whole = await values(text);
    for (const size of [1, 2, 3, 5, 13, 64]) {
      expect((await values(text, size)).values).toEqual(whole.values);
    }
    const lines = `${JSON.stringify(tricky)}\n${JSON.stringify(tricky)}\n`;
    for (const size of [1, 3, 17]) expect((await values(lines, size)).values).toEqual([tricky, tricky]);
  });
});

describe('jsonBatches: errors name line:column after handing out what came before', () => {
  it('JSON Lines: a line that is not JSON', async () => {
    const r = await values('{"a":1}\n{"b":2,}\n{"c":3}\n');
    expect(r.values).toEqual([{ a: 1 }]);
    expect(r.error?.describe()).toBe('in.json:2:8: not valid JSON: Expected double-quoted property name');
  });

  it('JSON Lines: a line holding half an object is reported at its end', async () => {
    const r = await values('{"a":1}\n{"b":"x\n');
    expect(r.error?.position).toMatchObject({ line: 2, column: 8 });
  });

  it('array: an element that is not an object', async () => {
    const r = await values('[\n  {"a":1},\n  42\n]');
    expect(r.values).toEqual([{ a: 1 }]);
    expect(r.error?.describe()).toBe('in.json:3:3: not valid JSON here: an array element that is not a JSON object (found "4")');
  });

  it('stream: text between objects', async () => {
    const r = await values('{\n "a": 1\n}\nnot json\n');
    expect(r.values).toEqual([{ a: 1 }]);
    expect(r.error?.position).toMatchObject({ line: 4, column: 1 });
  });

  it('stream: a bad value inside a multi-line object is placed on its own line', async () => {
    const r = await values('{\n  "a": 1\n}\n{\n  "b": tru,\n  "c": 2\n}\n');
    expect(r.values).toEqual([{ a: 1 }]);
    expect(r.error?.position).toMatchObject({ line: 5, column: 11 });
  });

  it('an array without its closing bracket', async () => {
    const r = await values('[{"a":1},\n{"b":2}\n');
    expect(r.values).toEqual([{ a: 1 }, { b: 2 }]);
    expect(r.error?.describe()).toBe("in.json:1:1: unexpected end of file: the JSON array that starts here is not closed with ']'");
  });
});

describe('jsonErrorOffset: where JSON.parse would have failed', () => {
  it.each([
    ['{"a":1}', -1],
    ['{"a":1,}', 7],
    ['{"a" 1}', 5],
    ['{"a":tru}', 8],
    ['{"a":"x\ny"}', 7],
    ['[1,2', 4],
    ['{"a":1} x', 8],
    ['{"a":"\\q"}', 7],
  ])('%j → %i', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
  });
});
