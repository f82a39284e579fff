// Windows event XML: parse a string, stream a file, render an event.
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { decodeWindows1252 } from './cp1252.ts';
import { InputError } from '../../../core/errors.ts';
import type { WinEvent } from '../../model.ts';
import { EventXmlScanner, type XmlEventRecord } from './scanner.ts';

export type { XmlEventRecord } from './scanner.ts';
export { renderEventXml } from './render.ts';
export { EVENT_NS } from './builder.ts';

/** Parses every <Event> in `text` (one or many, wrapped or concatenated). Throws InputError. */
export function parseEventXml(text: string, file?: string): WinEvent[] {
  const scanner = new EventXmlScanner(file);
  const out: XmlEventRecord[] = [];
  scanner.feed(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, out);
  scanner.finish(out);
  return out.map((r) => r.event);
}

// 64 KiB pieces: measured faster than 256 KiB and 1 MiB (bench/read-xml.ts), because the events
// of a smaller piece are handed on, and die, before the young generation fills up.
const READ_CHUNK = 1 << 16;

interface Encoding {
  decoder: { decode(input?: Uint8Array, options?: { stream?: boolean }): string };
  bom: number;
  bytes: (s: string) => number;
}

/**
 * Picks the text encoding from the first bytes: a byte order mark (UTF-8, UTF-16 LE/BE; PowerShell
 * 5 `Out-File` writes UTF-16 LE with BOM), UTF-16 without BOM (`<` followed by NUL), else the
 * XML declaration's `encoding`, else UTF-8 (XML 1.0 §4.3.3, Appendix F).
 */
function detectEncoding(head: Buffer, file: string): Encoding {
  const utf16 = (label: 'utf-16le' | 'utf-16be', bom: number): Encoding => ({
    decoder: new TextDecoder(label),
    bom,
    bytes: (s) => s.length * 2,
  });
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { decoder: new TextDecoder('utf-8', { fatal: true }), bom: 3, bytes: (s) => Buffer.byteLength(s, 'utf8') };
  }
  if (head[0] === 0xff && head[1] === 0xfe) return utf16('utf-16le', 2);
  if (head[0] === 0xfe && head[1] === 0xff) return utf16('utf-16be', 2);
  if (head[0] === 0x3c && head[1] === 0x00) return utf16('utf-16le', 0);
  if (head[0] === 0x00 && head[1] === 0x3c) return utf16('utf-16be', 0);
  const decl = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head.toString('latin1', 0, 200));
  const label = decl?.[1]?.toLowerCase();
  if (label && label !== 'utf-8' && label !== 'utf8') {
    let decoder: TextDecoder;
    try {
      decoder = new TextDecoder(label);
    } catch {
      throw new InputError('E_INPUT_XML', `unsupported encoding "${decl?.[1]}" in the XML declaration`, { file, line: 1 });
    }
    if (!/^(windows-125\d|iso-8859-\d+|us-ascii|ascii|latin1)$/.test(decoder.encoding) && decoder.encoding !== 'windows-1252') {
      throw new InputError('E_INPUT_XML', `unsupported encoding "${decl?.[1]}" (use UTF-8, UTF-16 or a single-byte code page)`, {
        file,
        line: 1,
      });
    }
    if (decoder.encoding === 'windows-1252') return { decoder: { decode: (b) => (b ? decodeWindows1252(b) : '') }, bom: 0, bytes: (s) => s.length };
    return { decoder, bom: 0, bytes: (s) => s.length };
  }
  return { decoder: new TextDecoder('utf-8', { fatal: true }), bom: 0, bytes: (s) => Buffer.byteLength(s, 'utf8') };
}

/**
 * Streams the events of an Event XML file, reading 64 KiB at a time (memory stays flat however
 * large the file). Malformed XML stops the stream with an InputError naming file:line:column,
 * after every complete event before it has been yielded.
 */
export async function* readEventXml(
  file: string,
  opts: { onWarning?: (m: string) => void } = {},
): AsyncIterable<XmlEventRecord> {
  const stream = createReadStream(file, { highWaterMark: READ_CHUNK });
  let enc: Encoding | undefined;
  let scanner: EventXmlScanner | undefined;
  let bytes = 0;
  const out: XmlEventRecord[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (!enc) {
        enc = detectEncoding(chunk, file);
        scanner = new EventXmlScanner(file, enc.bytes, enc.bom, opts.onWarning);
      }
      let text: string;
      try {
        text = enc.decoder.decode(bytes === 0 ? chunk.subarray(enc.bom) : chunk, { stream: true });
      } catch {
        throw new InputError('E_INPUT_XML', `invalid UTF-8 in bytes ${bytes}..${bytes + chunk.length} (declare the encoding in the XML declaration)`, {
          file,
          offset: bytes,
        });
      }
      bytes += chunk.length;
      let failure: unknown;
      try {
        scanner!.feed(text, out);
      } catch (e) {
        failure = e;
      }
      for (const r of out) yield r;
      out.length = 0;
      if (failure) throw failure;
    }
    scanner ??= new EventXmlScanner(file);
    let failure: unknown;
    try {
      if (enc) scanner.feed(enc.decoder.decode(), out);
      scanner.finish(out);
    } catch (e) {
      failure = e;
    }
    for (const r of out) yield r;
    if (failure) throw failure;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      throw new InputError('E_INPUT_IO', `cannot read ${file}: ${(e as Error).message}`, { file }, { cause: e });
    }
    throw e;
  } finally {
    stream.destroy();
  }
}
