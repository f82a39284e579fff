// EVTX file and chunk headers (libevtx documentation "File header", "Chunk").
import { crc32 } from './crc32.ts';

export const FILE_HEADER_SIZE = 4096;
export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
export const FILE_SIGNATURE = 'ElfFile\0';
export const CHUNK_SIGNATURE = 'ElfChnk\0';
export const RECORD_SIGNATURE = 0x00002a2a;

export interface FileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  minorVersion: number;
  majorVersion: number;
  chunkCount: number;
  flags: number;
  checksum: number;
  /** CRC-32 of the first 120 bytes */
  computedChecksum: number;
}

export interface ChunkHeader {
  firstRecordNumber: number;
  lastRecordNumber: number;
  firstRecordId: number;
  lastRecordId: number;
  lastRecordOffset: number;
  freeSpaceOffset: number;
  recordsChecksum: number;
  checksum: number;
  /** CRC-32 of bytes 0..120 and 128..512 */
  computedChecksum: number;
}

function u64(b: Buffer, at: number): number {
  return Number(b.readBigUInt64LE(at));
}

/** `b` holds at least the first 128 bytes of the file. */
export function parseFileHeader(b: Buffer): FileHeader {
  return {
    firstChunk: u64(b, 8),
    lastChunk: u64(b, 16),
    nextRecordId: u64(b, 24),
    minorVersion: b.readUInt16LE(36),
    majorVersion: b.readUInt16LE(38),
    chunkCount: b.readUInt16LE(42),
    flags: b.readUInt32LE(120),
    checksum: b.readUInt32LE(124),
    computedChecksum: crc32(b.subarray(0, 120)),
  };
}

/** `b` holds at least the 512-byte chunk header. */
export function parseChunkHeader(b: Buffer): ChunkHeader {
  return {
    firstRecordNumber: u64(b, 8),
    lastRecordNumber: u64(b, 16),
    firstRecordId: u64(b, 24),
    lastRecordId: u64(b, 32),
    lastRecordOffset: b.readUInt32LE(44),
    freeSpaceOffset: b.readUInt32LE(48),
    recordsChecksum: b.readUInt32LE(52),
    checksum: b.readUInt32LE(124),
    computedChecksum: crc32(b.subarray(128, CHUNK_HEADER_SIZE), crc32(b.subarray(0, 120))),
  };
}

export function isZero(b: Buffer, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

export function hex(n: number): string {
  return '0x' + n.toString(16).padStart(8, '0');
}
