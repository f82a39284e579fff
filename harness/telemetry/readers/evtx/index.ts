// Windows XML Event Log (.evtx) reader, written from the libevtx format documentation: file
// header, 64 KiB chunks, event records, Binary XML with templates. Streams chunk by chunk.
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '../../../core/errors.ts';
import { readChunk, type EvtxRecord } from './chunk.ts';
import { CHUNK_SIZE, FILE_HEADER_SIZE, FILE_SIGNATURE, hex, parseFileHeader } from './layout.ts';

export type { EvtxRecord } from './chunk.ts';

/**
 * Yields the records of an EVTX file in file order (chunk by chunk), with their EventRecordID and
 * byte offset. Recoverable damage (checksum mismatches, unused or foreign chunks) is reported
 * through `onWarning`; a truncated or corrupt file ends with an InputError naming the record and
 * offset, after every good record before it.
 */
export async function* readEvtx(file: string, opts: { onWarning?: (m: string) => void } = {}): AsyncIterable<EvtxRecord> {
  const warn = opts.onWarning ?? (() => {});
  let fh: FileHandle;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw new InputError('E_INPUT_IO', `cannot read ${file}: ${(e as Error).message}`, { file }, { cause: e });
  }
  try {
    const stat = await fh.stat();
    if (!stat.isFile()) throw new InputError('E_INPUT_IO', `cannot read ${file}: not a regular file`, { file });
    const size = stat.size;
    if (size === 0) throw new InputError('E_INPUT_EMPTY', 'file is empty: no Windows events to read', { file });
    const head = Buffer.alloc(Math.min(FILE_HEADER_SIZE, size));
    await fh.read(head, 0, head.length, 0);
    if (head.toString('latin1', 0, 8) !== FILE_SIGNATURE) {
      throw new InputError(
        'E_INPUT_EVTX',
        `not an EVTX file: it starts with ${JSON.stringify(head.toString('latin1', 0, 8))}, expected the signature "ElfFile\\0"`,
        { file, offset: 0 },
      );
    }
    if (size < FILE_HEADER_SIZE) {
      throw new InputError('E_INPUT_EVTX_TRUNCATED', `EVTX file is truncated: ${size} bytes, less than its 4096-byte header`, {
        file,
        offset: size,
      });
    }
    const header = parseFileHeader(head);
    if (header.checksum !== header.computedChecksum) {
      warn(`${file}: file header checksum ${hex(header.checksum)} does not match the computed ${hex(header.computedChecksum)}`);
    }
    if (header.majorVersion !== 3) {
      warn(`${file}: format version ${header.majorVersion}.${header.minorVersion} (expected 3.1 or 3.2); reading it anyway`);
    }
    const chunk = Buffer.alloc(CHUNK_SIZE);
    let total = 0;
    // Every chunk slot present in the file is read, also beyond the header's chunk count: dirty
    // files can hold more chunks than their header says (libevtx documentation, "Corruption").
    for (let offset = FILE_HEADER_SIZE; offset < size; offset += CHUNK_SIZE) {
      const avail = Math.min(CHUNK_SIZE, size - offset);
      const { bytesRead } = await fh.read(chunk, 0, avail, offset);
      const result = readChunk(chunk, bytesRead, offset, file, warn);
      total += result.records.length;
      for (const r of result.records) yield r;
      if (result.error) throw result.error;
    }
    if (total === 0) warn(`${file}: the EVTX file holds no event records`);
  } finally {
    await fh.close();
  }
}
