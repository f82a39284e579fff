// One 64 KiB chunk: header checks, then its event records ("**" signature, size, record id,
// written time, Binary XML, copy of the size).
//
// Damage policy (documented choice, tested in evtx.test.ts):
// - A chunk whose header or records checksum does not match is READ ANYWAY, with a warning that
//   names the chunk offset. Logs copied while Windows was writing them ("dirty" files) often have a
//   stale checksum on their newest chunk, and those newest events are the ones an investigation
//   needs; the CRC tells us to be careful, not that the records are unreadable. In such a chunk a
//   record that does not parse ends the chunk with a second warning and reading goes on with the
//   next chunk (libevtx likewise keeps scanning after corruption).
// - In a chunk whose checksums match, a record that does not parse is an InputError naming the
//   record number and byte offset: the file is damaged in a way the checksums did not reveal.
// - A file that ends inside a record is an InputError (E_INPUT_EVTX_TRUNCATED) after every whole
//   record before the cut.
// - A chunk slot that is all zero bytes (preallocated, never used) is skipped silently; one with
//   another signature is skipped with a warning.
import { InputError } from '../../../core/errors.ts';
import type { WinEvent } from '../../model.ts';
import { EventShapeError, WinEventSink } from '../winxml/builder.ts';
import { ChunkParser } from './binxml.ts';
import { crc32 } from './crc32.ts';
import { CHUNK_HEADER_SIZE, CHUNK_SIGNATURE, CHUNK_SIZE, hex, isZero, parseChunkHeader, RECORD_SIGNATURE } from './layout.ts';
import { EvtxFormatError } from './values.ts';

export interface EvtxRecord {
  event: WinEvent;
  /**
   * the identifier in the record header. In a log exported with a query or "Save Filtered Log
   * File As" it is renumbered from 1 while the event's EventRecordID keeps the original number
   * (seen in most recordings under external/telemetry), so the two can differ.
   */
  record: number;
  /** byte offset of the record in the file */
  offset: number;
}

export interface ChunkResult {
  records: EvtxRecord[];
  /** the error that ends the file, raised after `records` are delivered */
  error?: InputError;
}

/**
 * Reads the chunk held in `b[0..avail)` (avail < 65536 when the file ends inside it), found at
 * byte `fileOffset` of `file`.
 */
export function readChunk(b: Buffer, avail: number, fileOffset: number, file: string, warn: (m: string) => void): ChunkResult {
  const records: EvtxRecord[] = [];
  const where = `${file}: chunk at offset ${fileOffset} (${hex(fileOffset)})`;
  const truncated = (message: string, record: number | undefined, offset: number): ChunkResult => ({
    records,
    error: new InputError('E_INPUT_EVTX_TRUNCATED', `EVTX file is truncated: ${message}`, { file, record, offset }),
  });

  if (avail < CHUNK_HEADER_SIZE) {
    if (isZero(b, 0, avail)) return { records };
    return truncated(`the file ends ${avail} bytes into the 512-byte header of the chunk at offset ${fileOffset}`, undefined, fileOffset);
  }
  if (b.toString('latin1', 0, 8) !== CHUNK_SIGNATURE) {
    if (!isZero(b, 0, avail)) warn(`${where} does not start with the ElfChnk signature; skipped`);
    return { records };
  }
  const h = parseChunkHeader(b);
  let damaged = false;
  if (h.checksum !== h.computedChecksum) {
    warn(`${where}: header checksum ${hex(h.checksum)} does not match the computed ${hex(h.computedChecksum)}; reading it anyway`);
    damaged = true;
  }
  const freeOk = h.freeSpaceOffset >= CHUNK_HEADER_SIZE && h.freeSpaceOffset <= CHUNK_SIZE;
  if (!freeOk) {
    warn(`${where}: free space offset ${h.freeSpaceOffset} is outside the chunk; reading records until the data stops`);
    damaged = true;
  } else if (h.freeSpaceOffset <= avail) {
    const computed = crc32(b.subarray(CHUNK_HEADER_SIZE, h.freeSpaceOffset));
    if (computed !== h.recordsChecksum) {
      warn(`${where}: event records checksum ${hex(h.recordsChecksum)} does not match the computed ${hex(computed)}; reading it anyway`);
      damaged = true;
    }
  }

  const chunk = b.subarray(0, avail);
  const parser = new ChunkParser(chunk);
  const sink = new WinEventSink();
  const end = freeOk ? h.freeSpaceOffset : CHUNK_SIZE;
  let nextId = h.firstRecordId;
  let p = CHUNK_HEADER_SIZE;
  while (p < end) {
    const offset = fileOffset + p;
    if (p + 24 > avail) {
      if (!freeOk && isZero(chunk, p, avail)) break;
      return truncated(`record ${nextId} at offset ${offset} is cut off (the file ends ${avail - p} bytes into it)`, nextId, offset);
    }
    let problem: string | undefined;
    let id = nextId;
    let size = 0;
    if (chunk.readUInt32LE(p) !== RECORD_SIGNATURE) {
      // Zero bytes up to the free space offset: archived files have it point to the end of the
      // chunk with the space after the last record zeroed (libevtx documentation, "Chunk").
      if (isZero(chunk, p, freeOk ? Math.min(end, avail) : Math.min(avail, p + 24))) break;
      problem = `no record signature ("**") where record ${nextId} should start`;
    } else {
      size = chunk.readUInt32LE(p + 4);
      id = Number(chunk.readBigUInt64LE(p + 8));
      if (size < 28 || p + size > CHUNK_SIZE) problem = `record ${id} has an invalid size of ${size} bytes`;
      else if (p + size > avail) {
        return truncated(`record ${id} at offset ${offset} needs ${size} bytes, the file ends after ${avail - p}`, id, offset);
      } else if (chunk.readUInt32LE(p + size - 4) !== size) {
        problem = `record ${id}: the copy of its size (${chunk.readUInt32LE(p + size - 4)}) differs from its size (${size})`;
      } else {
        try {
          sink.reset();
          parser.parseRecord(p + 24, p + size - 4, sink);
          records.push({ event: sink.finish(), record: id, offset });
        } catch (e) {
          problem = `record ${id}: ${describe(e)}`;
        }
      }
    }
    if (problem !== undefined) {
      if (damaged) {
        warn(`${where}: ${problem} at offset ${offset}; skipping the rest of this chunk (its checksum already failed)`);
        return { records };
      }
      return { records, error: new InputError('E_INPUT_EVTX', `corrupt EVTX record: ${problem}`, { file, record: id, offset }) };
    }
    p += size;
    nextId = id + 1;
  }
  if (avail < CHUNK_SIZE) {
    warn(`${where}: the file ends ${avail} bytes into this chunk, after its last record; no record is cut off`);
  }
  return { records };
}

function describe(e: unknown): string {
  if (e instanceof EvtxFormatError || e instanceof EventShapeError) return e.message;
  if (e instanceof RangeError) return 'Binary XML points outside the chunk';
  throw e;
}
