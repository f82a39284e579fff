// Opening an input file for the readers: streaming chunks, gzip undone, text decoded to UTF-8 with
// the byte-order mark removed, and the first bytes kept aside for format sniffing. Nothing reads a
// whole file into memory.
//
// - gzip: recognised by its magic bytes (1F 8B), whatever the file is called.
// - text encoding: UTF-8 (BOM EF BB BF optional), UTF-16 LE/BE with BOM (Windows PowerShell 5's
//   `Out-File` default) or without BOM when the first bytes are ASCII with zero high/low bytes.
//   UTF-16 is transcoded to UTF-8 while streaming. Binary EVTX (`ElfFile\0`) is passed through.
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { InputError } from '../../core/errors.ts';

const CHUNK = 256 * 1024;
const HEAD = 64 * 1024;

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

export interface Source {
  /** the path as given (used in messages and origins) */
  file: string;
  /** the first bytes of the content (decompressed, UTF-8, BOM removed), at least up to the first non-blank byte */
  head: Buffer;
  gzip: boolean;
  encoding: TextEncoding;
  /** true when the UTF-8 input started with a BOM (removed from head and chunks) */
  bom: boolean;
  /** the whole content as UTF-8 chunks, head first; can be iterated once */
  chunks(): AsyncGenerator<Buffer>;
  /** stops reading (when the caller does not iterate chunks) */
  close(): void;
}

function readError(file: string, e: unknown): InputError {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOENT' ? 'no such file'
    : err.code === 'EISDIR' ? 'is a directory, not a file'
      : err.code === 'EACCES' ? 'permission denied'
        : err.code === 'Z_DATA_ERROR' || err.code === 'Z_BUF_ERROR' ? `corrupt or truncated gzip data (${err.message})`
          : err.message;
  return new InputError('E_INPUT_READ', `cannot read: ${why}`, { file }, { cause: e });
}

function rawStream(file: string, gzip: boolean): AsyncIterator<Buffer> {
  const fileStream = createReadStream(file, { highWaterMark: CHUNK });
  const stream: Readable = gzip ? fileStream.pipe(createGunzip({ chunkSize: CHUNK })) : fileStream;
  if (gzip) fileStream.on('error', (e) => stream.destroy(e));
  return stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
}

function detectEncoding(b: Buffer): { encoding: TextEncoding; skip: number; bom: boolean } {
  if (b.subarray(0, 8).toString('latin1') === 'ElfFile\0') return { encoding: 'utf8', skip: 0, bom: false };
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { encoding: 'utf8', skip: 3, bom: true };
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { encoding: 'utf16le', skip: 2, bom: true };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { encoding: 'utf16be', skip: 2, bom: true };
  if (b.length >= 4 && b[0] !== 0 && b[1] === 0 && b[2] !== 0 && b[3] === 0) return { encoding: 'utf16le', skip: 0, bom: false };
  if (b.length >= 4 && b[0] === 0 && b[1] !== 0 && b[2] === 0 && b[3] !== 0) return { encoding: 'utf16be', skip: 0, bom: false };
  return { encoding: 'utf8', skip: 0, bom: false };
}

/** UTF-16 chunks → UTF-8 chunks (a code unit or surrogate pair split over chunks is carried over). */
async function* transcode(input: AsyncIterable<Buffer>, encoding: 'utf16le' | 'utf16be'): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
  for await (const chunk of input) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest) yield Buffer.from(rest, 'utf8');
}

/** true when the bytes are only spaces, tabs and line ends */
export function isBlank(b: Buffer): boolean {
  for (const c of b) if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  return true;
}

export async function openSource(file: string): Promise<Source> {
  let first: IteratorResult<Buffer>;
  let it = rawStream(file, false);
  try {
    first = await it.next();
  } catch (e) {
    throw readError(file, e);
  }
  const gzip = !first.done && first.value.length >= 2 && first.value[0] === 0x1f && first.value[1] === 0x8b;
  if (gzip) {
    await it.return?.();
    it = rawStream(file, true);
    try {
      first = await it.next();
    } catch (e) {
      throw readError(file, e);
    }
  }
  // collect raw bytes until the head is long enough to sniff
  const rawHead: Buffer[] = [];
  let rawLen = 0;
  let done = !!first.done;
  if (!first.done) {
    rawHead.push(first.value);
    rawLen += first.value.length;
  }
  try {
    while (!done && (rawLen < 4 || isBlank(Buffer.concat(rawHead)))) {
      const r = await it.next();
      if (r.done) done = true;
      else {
        rawHead.push(r.value);
        rawLen += r.value.length;
      }
    }
  } catch (e) {
    throw readError(file, e);
  }
  const rawFirst = Buffer.concat(rawHead);
  const { encoding, skip, bom } = detectEncoding(rawFirst);
  const upstream = it;
  const rawChunks = async function* (): AsyncGenerator<Buffer> {
    if (rawFirst.length > skip) yield rawFirst.subarray(skip);
    if (done) return;
    try {
      for (;;) {
        const r = await upstream.next();
        if (r.done) return;
        yield r.value;
      }
    } catch (e) {
      throw readError(file, e);
    }
  };
  const head = encoding === 'utf8'
    ? rawFirst.subarray(skip, skip + HEAD)
    : Buffer.from(new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(rawFirst.subarray(skip, skip + HEAD - (HEAD % 2))), 'utf8');
  let used = false;
  return {
    file,
    head,
    gzip,
    encoding,
    bom,
    chunks() {
      if (used) throw new Error(`source ${file} iterated twice`);
      used = true;
      const raw = rawChunks();
      return encoding === 'utf8' ? raw : transcode(raw, encoding);
    },
    close() {
      void upstream.return?.();
    },
  };
}

/**
 * An uncompressed file with the same content, for readers that take a path (XML, EVTX; both
 * handle byte-order marks and UTF-16 themselves): the file itself when it is not gzip-compressed,
 * else a temporary UTF-8 copy removed by `dispose`.
 */
export async function plainFile(source: Source): Promise<{ path: string; dispose(): Promise<void> }> {
  if (!source.gzip) {
    source.close();
    return { path: source.file, dispose: async () => {} };
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'atomic-lab-read-'));
  const target = path.join(dir, path.basename(source.file).replace(/\.gz$/i, ''));
  await pipeline(Readable.from(source.chunks()), createWriteStream(target));
  return { path: target, dispose: () => rm(dir, { recursive: true, force: true }) };
}
