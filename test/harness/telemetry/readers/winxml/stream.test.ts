// readEventXml: streaming a file in 64 KiB pieces, positions, encodings, errors after good events.
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../../../harness/core/errors.ts';
import { readEventXml, type XmlEventRecord } from '../../../../../harness/telemetry/readers/winxml/index.ts';
import { REPO_ROOT } from '../../../../support/corpus.ts';
import { sysmonProcessCreateXml } from '../../../../fixtures/winxml/generate.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'winxml-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const temp = (content: string | Buffer): string => {
  const f = path.join(dir, `f${n++}.xml`);
  writeFileSync(f, content);
  return f;
};

async function readAll(file: string): Promise<{ records: XmlEventRecord[]; warnings: string[]; error?: InputError }> {
  const records: XmlEventRecord[] = [];
  const warnings: string[] = [];
  try {
    for await (const r of readEventXml(file, { onWarning: (m) => warnings.push(m) })) records.push(r);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return { records, warnings, error: e as InputError };
  }
  return { records, warnings };
}

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';
const small = (id: number, value = 'v'): string =>
  `<Event xmlns="${NS}">\n  <System><Provider Name="P"/><EventID>${id}</EventID><Channel>C</Channel><Computer>H</Computer></System>\n  <EventData><Data Name="x">${value}</Data></EventData>\n</Event>`;

/** 1-based line of byte offset `offset` in `bytes`. */
function lineOf(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 10) line++;
  return line;
}

describe('readEventXml', () => {
  it('gives each event its 1-based line, byte offset and exact source text (multi-byte characters before it)', async () => {
    const text = `<?xml version="1.0"?>\n<Events>\n${small(1, 'Microsoft® Windows® — Ü')}\n${small(2)}\n</Events>\n`;
    const file = temp(text);
    const bytes = readFileSync(file);
    const { records, error } = await readAll(file);
    expect(error).toBeUndefined();
    expect(records.map((r) => [r.event.eventId, r.line])).toEqual([
      [1, 3],
      [2, 7],
    ]);
    for (const r of records) {
      expect(bytes.subarray(r.offset, r.offset + Buffer.byteLength(r.text)).toString()).toBe(r.text);
      expect(r.text.startsWith('<Event') && r.text.endsWith('</Event>')).toBe(true);
    }
    expect(records[0]!.event.data[0]!.value).toBe('Microsoft® Windows® — Ü');
  });

  it('reads events split across its 64 KiB read pieces, with correct lines and offsets for all of them', async () => {
    const events: string[] = [];
    for (let i = 0; i < 1800; i++) events.push(i % 3 === 0 ? sysmonProcessCreateXml(i) : small(i, '€'.repeat(i % 700)));
    const file = temp(`<Events>\n${events.join('\n')}\n</Events>\n`);
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(2 << 20);
    const { records, error } = await readAll(file);
    expect(error).toBeUndefined();
    expect(records).toHaveLength(1800);
    let line = 1;
    let from = 0;
    for (const r of records) {
      expect(bytes.toString('utf8', r.offset, r.offset + 6)).toBe('<Event');
      for (let i = from; i < r.offset; i++) if (bytes[i] === 10) line++;
      from = r.offset;
      expect(r.line).toBe(line);
    }
    expect(lineOf(bytes, records[1799]!.offset)).toBe(records[1799]!.line);
  });

  it('an event larger than several read pieces, and an </Event> inside a CDATA section or comment of an event', async () => {
    const big = 'A'.repeat(300_000);
    const tricky = small(3, '<![CDATA[ </Event> ]]><!-- </Event> -->');
    const { records, error } = await readAll(temp(`<Events>\n${small(1)}\n${small(2, big)}\n${tricky}\n${small(4)}\n</Events>\n`));
    expect(error).toBeUndefined();
    expect(records.map((r) => r.event.eventId)).toEqual([1, 2, 3, 4]);
    expect(records[1]!.event.data[0]!.value).toBe(big);
    expect(records[2]!.event.data[0]!.value).toBe(' </Event> ');
    expect(records[3]!.line).toBe(14); // <Events>, then 4 lines per event
  });

  it('malformed XML: the complete events before the error are yielded, then InputError file:line:column', async () => {
    const file = path.join(REPO_ROOT, 'test/fixtures/winxml/malformed-mismatched-tag.xml');
    const { records, error } = await readAll(file);
    expect(records.map((r) => r.event.eventId)).toEqual([1]);
    expect(error!.code).toBe('E_INPUT_XML');
    expect(error!.describe()).toBe(`${file}:3:261: mismatched end tag </Datum>: expected </Data>`);
  });

  it('a file cut in the middle of an event: the events before it, then an error at the end of the file', async () => {
    const text = `<Events>\n${small(1)}\n${small(2)}\n${small(3).slice(0, 120)}`;
    const { records, error } = await readAll(temp(text));
    expect(records.map((r) => r.event.eventId)).toEqual([1, 2]);
    expect(error!.message).toMatch(/^unexpected end of file inside <System>: <Event> opened at line 10, column 1 is not closed$/);
    expect(error!.position).toMatchObject({ line: 11 });
  });

  it('UTF-16 LE with a byte order mark (PowerShell 5 Out-File): events, and offsets in bytes', async () => {
    const text = `<Events>\r\n${small(1, 'é')}\r\n${small(2)}\r\n</Events>`;
    const file = temp(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const { records, error } = await readAll(file);
    expect(error).toBeUndefined();
    expect(records.map((r) => r.event.data[0]!.value)).toEqual(['é', 'v']);
    expect(records[0]!.offset).toBe(2 + 2 * text.indexOf('<Event '));
  });

  it('the encoding named in the XML declaration (Windows-1252: 0x80 is €)', async () => {
    const head = Buffer.from('<?xml version="1.0" encoding="windows-1252"?>\n', 'latin1');
    const body = Buffer.from(small(1, 'caf\u00e9 \u0080'), 'latin1');
    const { records, error } = await readAll(temp(Buffer.concat([head, body])));
    expect(error).toBeUndefined();
    expect(records[0]!.event.data[0]!.value).toBe('café €');
    expect(records[0]!.offset).toBe(head.length);
  });

  it('invalid UTF-8 without a declared encoding is an InputError', async () => {
    const { error } = await readAll(temp(Buffer.concat([Buffer.from(small(1, 'x')), Buffer.from([0xff, 0xfe, 0x41])])));
    expect(error!.message).toMatch(/invalid UTF-8/);
  });

  it('warns once about text outside <Event> elements (syslog prefixes) and reads the events', async () => {
    const line = (i: number): string => `Jan 15 10:42:4${i} lab sysmon: ${small(i).replace(/\n\s*/g, '')}`;
    const { records, warnings } = await readAll(temp(`${line(1)}\n${line(2)}\n`));
    expect(records).toHaveLength(2);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/:1:1: text outside <Event> elements is ignored \("Jan 15 10:42:41 lab sysmon: "\)/);
  });

  it('an empty file, and a missing file', async () => {
    const empty = (await readAll(temp(''))).error!;
    expect(empty.code).toBe('E_INPUT_EMPTY');
    expect(empty.exitCode).toBe(2);
    const missing = (await readAll(path.join(dir, 'nope.xml'))).error!;
    expect(missing.code).toBe('E_INPUT_IO');
  });

  it('reads a 50 MB file with flat memory (prints heap and RSS; asserts the event count)', async () => {
    const file = path.join(dir, 'big.xml');
    const out = createWriteStream(file);
    out.write('<?xml version="1.0" encoding="utf-8"?>\n<Events>\n');
    let count = 0;
    let size = 0;
    while (size < 50 * 1024 * 1024) {
      const lines: string[] = [];
      for (let i = 0; i < 1000; i++) lines.push(sysmonProcessCreateXml(count++));
      const chunk = lines.join('\n') + '\n';
      size += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end('</Events>\n');
    await once(out, 'finish');
    const before = process.memoryUsage();
    let peakHeap = before.heapUsed;
    let peakRss = before.rss;
    let seen = 0;
    let lastRecord = '';
    for await (const r of readEventXml(file)) {
      seen++;
      lastRecord = r.event.eventRecordId ?? '';
      if (seen % 2000 === 0) {
        const m = process.memoryUsage();
        peakHeap = Math.max(peakHeap, m.heapUsed);
        peakRss = Math.max(peakRss, m.rss);
      }
    }
    const mb = (x: number): string => (x / 1048576).toFixed(1);
    console.log(
      `50 MB Event XML: ${seen} events from ${mb(statSync(file).size)} MiB; heap ${mb(before.heapUsed)} → peak ${mb(peakHeap)} MiB, ` +
        `RSS ${mb(before.rss)} → peak ${mb(peakRss)} MiB`,
    );
    expect(seen).toBe(count);
    expect(lastRecord).toBe(String(count));
    // Holding the events would take several times the file size; streaming stays far below it.
    expect(peakHeap - before.heapUsed).toBeLessThan(100 * 1048576);
  });
});
