// CRC-32 (RFC 1952, initial value 0) as used by EVTX file and chunk headers.
import * as zlib from 'node:zlib';

let table: Uint32Array | undefined;

function crc32Table(data: Uint8Array, crc: number): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      let c = i;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[i] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

// zlib.crc32 exists from Node 20.15 / 22.2; older 20.x use the table.
const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

/** CRC-32 of `data`, continuing from `crc` (0 to start). */
export function crc32(data: Uint8Array, crc = 0): number {
  return native ? native(data, crc) >>> 0 : crc32Table(data, crc);
}

/** Exposed for the unit test that checks both implementations agree. */
export const crc32Portable = (data: Uint8Array, crc = 0): number => crc32Table(data, crc);
