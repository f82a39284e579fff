import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../../../harness/core/errors.ts';
import { readAll, readEvents } from '../../../../harness/telemetry/readers/index.ts';
import { collect, events, fixture } from './collect.ts';

const tmp = mkdtempSync(path.join(tmpdir(), 'atomic-lab-readers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function copyAs(name: string, as: string): string {
  const target = path.join(tmp, as);
  copyFileSync(fixture(name), target);
  return target;
}

describe('readEvents: format detected from content, not the name (CONTRACTS.md detect: "format detected from content")', () => {
  const cases: Array<[string, string, string]> = [
    ['security-4688.xml', 'a.json', 'event-xml'],
    ['sysmon-splunk-raw.xml', 'b.log', 'event-xml'],
    ['powershell-export.json', 'c.xml', 'json-powershell'],
    ['evtx-rs-stream.json', 'd.evtx', 'json-evtx-rs'],
    ['flat.jsonl', 'e', 'json-flat'],
    ['auditd-pip-curl.log', 'f.json', 'auditd'],
    ['sysmon-linux.syslog', 'g.xml', 'sysmon-linux-syslog'],
  ];
  for (const [name, as, format] of cases) {
    it(`${name} saved as ${as} is read as ${format}`, async () => {
      const evs = await events(copyAs(name, as));
      expect(evs.length).toBeGreaterThan(0);
      expect(evs[0]!.origin.format).toBe(format);
      expect(evs[0]!.origin.file).toBe(path.join(tmp, as));
    });
  }
});

describe('readEvents: the Reader seam (types.ts) for the lab’s own traces', () => {
  it('a Wine trace and strace output are handed to their readers when no other format matches', async () => {
    const root = path.resolve(fixture('.'), '..');
    const wine = await events(path.join(root, 'wine-trace/t1-powershell-cradle.trace'));
    expect(wine.length).toBeGreaterThan(0);
    expect(new Set(wine.map((e) => e.origin.format))).toEqual(new Set(['wine-trace']));
    const strace = await events(path.join(root, 'strace/pip-hook-curl.strace'));
    expect(strace.length).toBeGreaterThan(0);
    expect(new Set(strace.map((e) => e.origin.format))).toEqual(new Set(['strace']));
  });
});

describe('readEvents: encodings and compression', () => {
  it('reads gzip-compressed input of every text format the same as the plain file (recognised by magic bytes)', async () => {
    for (const name of ['flat.jsonl', 'auditd-pip-curl.log', 'application-msi.xml', 'sysmon-linux.syslog']) {
      const gz = path.join(tmp, `${name}.bin`);
      writeFileSync(gz, gzipSync(readFileSync(fixture(name))));
      const plain = await events(fixture(name));
      const packed = await events(gz);
      const strip = (e: (typeof plain)[number]) => ({ ...e, origin: { ...e.origin, file: '' } });
      expect(packed.map(strip)).toEqual(plain.map(strip));
      expect(packed[0]!.origin.file).toBe(gz);
    }
  });

  it('names the given file, not a temporary copy, when a gzip-compressed XML file is malformed', async () => {
    const gz = path.join(tmp, 'broken.xml.gz');
    writeFileSync(gz, gzipSync(Buffer.from(readFileSync(fixture('security-4688.xml'), 'utf8').replace('</EventData>\n</Event>', '</EventData>\n</Evnt>'))));
    const r = await collect(gz);
    expect(r.error).toBeInstanceOf(InputError);
    expect(r.error!.position?.file).toBe(gz);
    expect(r.events.length).toBe(0);
  });

  it('reads UTF-16 LE with BOM (Windows PowerShell 5 Out-File) and without BOM', async () => {
    const text = readFileSync(fixture('otrf.json'), 'utf8');
    const withBom = path.join(tmp, 'utf16-bom.json');
    writeFileSync(withBom, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    const noBom = path.join(tmp, 'utf16.json');
    writeFileSync(noBom, Buffer.from(text, 'utf16le'));
    const plain = await events(fixture('otrf.json'), { flatJson: 'normalize' });
    for (const f of [withBom, noBom]) {
      const evs = await events(f, { flatJson: 'normalize' });
      expect(evs.map((e) => e.process?.commandLine)).toEqual(plain.map((e) => e.process?.commandLine));
    }
  });

  it('reads UTF-8 with BOM and CRLF line ends (atomic-evtx PowerShell export, telemetry.md §3)', async () => {
    const raw = readFileSync(fixture('powershell-export.json'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(raw.includes('\r\n')).toBe(true);
    const evs = await events(fixture('powershell-export.json'));
    expect(evs).toHaveLength(6);
    expect(evs.map((e) => e.origin.line)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('readEvents: bad input gives one clear InputError naming file and position (CONTRACTS.md exit 2)', () => {
  it('an empty file', async () => {
    const r = await collect(fixture('empty.json'));
    expect(r.error).toBeInstanceOf(InputError);
    expect(r.error!.exitCode).toBe(2);
    expect(r.error!.describe()).toBe(`${fixture('empty.json')}: the file is empty (0 bytes of content)`);
  });

  it('a file of blank lines only, and a UTF-8 BOM alone', async () => {
    const blank = path.join(tmp, 'blank.jsonl');
    writeFileSync(blank, '\n  \r\n\n');
    expect((await collect(blank)).error?.message).toBe('the file holds only blank lines or spaces');
    const bom = path.join(tmp, 'bom-only.json');
    writeFileSync(bom, Buffer.from([0xef, 0xbb, 0xbf]));
    expect((await collect(bom)).error?.message).toBe('the file is empty (0 bytes of content)');
  });

  it('an unknown format names the first bytes and the formats accepted', async () => {
    const r = await collect(fixture('unknown-format.txt'));
    expect(r.error?.code).toBe('E_INPUT_FORMAT');
    expect(r.error?.describe()).toMatch(/unknown-format\.txt:1:1: unrecognised format: the content starts with "Hello, this is a plain text note/);
    expect(r.error?.message).toContain('expected Windows event XML, .evtx, JSON');
  });

  it('a JSON line that is not JSON: the events before it are handed out, then line:column and the reason', async () => {
    const r = await collect(fixture('bad-json-line.jsonl'));
    expect(r.events).toHaveLength(1);
    expect(r.error?.code).toBe('E_INPUT_JSON');
    expect(r.error?.describe()).toBe(`${fixture('bad-json-line.jsonl')}:2:39: not valid JSON: Unexpected token 'o'`);
  });

  it('a JSON array cut short: the complete objects are handed out, then the open object is named', async () => {
    const r = await collect(fixture('truncated-array.json'));
    expect(r.events).toHaveLength(2);
    expect(r.error?.describe()).toBe(`${fixture('truncated-array.json')}:18:3: unexpected end of file: the JSON object that starts here is not closed`);
  });

  it('a missing file and a directory', async () => {
    const missing = await collect(path.join(tmp, 'nope.json'));
    expect(missing.error?.describe()).toBe(`${path.join(tmp, 'nope.json')}: cannot read: no such file`);
    const dir = path.join(tmp, 'a-dir');
    mkdirSync(dir, { recursive: true });
    expect((await collect(dir)).error?.message).toBe('cannot read: is a directory, not a file');
  });

  it('corrupt gzip data', async () => {
    const gz = path.join(tmp, 'corrupt.gz');
    const good = gzipSync(Buffer.from('{"a":1}\n'.repeat(1000)));
    writeFileSync(gz, Buffer.concat([good.subarray(0, 20), Buffer.alloc(40, 0x55)]));
    const r = await collect(gz);
    expect(r.error?.code).toBe('E_INPUT_READ');
    expect(r.error?.message).toMatch(/corrupt or truncated gzip data/);
  });

  it('a file with no events warns instead of failing (an empty JSON array is valid JSON)', async () => {
    const f = path.join(tmp, 'empty-array.json');
    writeFileSync(f, '[\n]\n');
    const r = await collect(f);
    expect(r.error).toBeUndefined();
    expect(r.warnings).toEqual([`${f}: no events in this file`]);
  });
});

describe('readEvents / readAll: streaming', () => {
  it('readAll reads several files one after the other, in order', async () => {
    const evs: string[] = [];
    for await (const e of readAll([fixture('flat.jsonl'), fixture('otrf.json')], { onWarning: () => {} })) evs.push(`${e.origin.format}:${e.origin.line}`);
    expect(evs).toEqual(['json-flat:1', 'json-flat:2', 'json-flat:3', 'json-otrf:1', 'json-otrf:2', 'json-otrf:3']);
  });

  it('a consumer may stop early (break) without reading the rest', async () => {
    let n = 0;
    for await (const _ of readEvents(fixture('auditd-pip-curl.log'))) {
      n++;
      break;
    }
    expect(n).toBe(1);
  });

  it('a 50 MB JSON Lines file is read with flat memory (printed, not a timing assertion)', async () => {
    const big = path.join(tmp, 'big.jsonl');
    const line = JSON.stringify({
      EventCode: '1', Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', ParentImage: 'C:\\Windows\\System32\\msiexec.exe',
      CommandLine: `powershell.exe -nop -c "${'x'.repeat(300)}"`, host: 'LAB-WIN10', _time: '1714644001',
    }) + '\n';
    const count = Math.ceil((50 * 1024 * 1024) / line.length);
    await new Promise<void>((resolve, reject) => {
      const w = createWriteStream(big);
      const block = line.repeat(1000);
      let i = 0;
      const write = (): void => {
        while (i < count) {
          i += 1000;
          if (!w.write(block)) return void w.once('drain', write);
        }
        w.end(resolve);
      };
      w.on('error', reject);
      write();
    });
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    let n = 0;
    for await (const e of readEvents(big)) {
      n++;
      if ((n & 0x3fff) === 0) peak = Math.max(peak, process.memoryUsage().rss);
      expect(e.kind).toBe('raw');
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
    console.log(`50 MB file: ${n} events, RSS before ${mb(before)} MB, peak ${mb(peak)} MB, growth ${mb(peak - before)} MB`);
    expect(n).toBeGreaterThanOrEqual(count);
    // a whole-file load would hold the 50 MB Buffer plus its decoded string; streaming stays far below
    expect(peak - before).toBeLessThan(50 * 1024 * 1024);
  }, 120_000);
});
