// Value rendering details that the recordings do not exercise, and the CRC-32 used for checksums.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32, crc32Portable } from '../../../../../harness/telemetry/readers/evtx/crc32.ts';
import { formatFiletime, formatSystemtime } from '../../../../../harness/telemetry/readers/evtx/time.ts';
import { decodeValue, EvtxFormatError, formatReal, formatSid, typeName } from '../../../../../harness/telemetry/readers/evtx/values.ts';

/** FILETIME rendered with BigInt arithmetic, the slow obvious way. */
function reference(ticks: bigint): string {
  const seconds = ticks / 10_000_000n - 11_644_473_600n;
  const d = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${d}.${String(ticks % 10_000_000n).padStart(7, '0')}00Z`;
}

describe('formatFiletime ("Date and time values: FILETIME in UTC"; libevtx prints 9 fraction digits)', () => {
  it('the libevtx example and the FILETIME epoch', () => {
    expect(formatFiletime(0, 0)).toBe('1601-01-01T00:00:00.000000000Z');
    const ticks = (BigInt(Date.parse('2024-10-26T15:13:49Z') / 1000) + 11_644_473_600n) * 10_000_000n + 9_214_948n;
    expect(formatFiletime(Number(ticks & 0xffffffffn), Number(ticks >> 32n))).toBe('2024-10-26T15:13:49.921494800Z');
  });

  it('agrees with BigInt arithmetic over 10,000 random times up to year 9999', () => {
    for (let i = 0; i < 10_000; i++) {
      const ticks = BigInt(Math.floor(Math.random() * 2 ** 53)) * 290n + BigInt(i);
      const t = ticks % 2650467743999999999n;
      expect(formatFiletime(Number(t & 0xffffffffn), Number(t >> 32n))).toBe(reference(t));
    }
  });

  it('SYSTEMTIME: year, month, (day of week ignored), day, h, m, s, ms → milliseconds and Z', () => {
    const b = Buffer.alloc(16);
    [2019, 4, 2, 30, 22, 48, 58, 901].forEach((x, i) => b.writeUInt16LE(x, i * 2));
    expect(formatSystemtime(b, 0)).toBe('2019-04-30T22:48:58.901Z');
  });
});

describe('other value renderings', () => {
  it('floating point as d.dddddde±ddd, Inf, NaN (libfwevt floating point to string)', () => {
    expect(formatReal(0)).toBe('0.000000e+000');
    expect(formatReal(123456789)).toBe('1.234568e+008');
    expect(formatReal(-2.5e-7)).toBe('-2.500000e-007');
    expect(formatReal(Infinity)).toBe('Inf');
    expect(formatReal(NaN)).toBe('NaN');
  });

  it('SIDs: decimal authority, or hexadecimal from 2^32 on (MS-DTYP 2.4.2.1)', () => {
    const sid = Buffer.from('010200000000000520000000' + '20020000', 'hex');
    expect(formatSid(sid, 0)).toBe('S-1-5-32-544');
    const big = Buffer.from('0101010000000000' + '00000000', 'hex');
    expect(formatSid(big, 0)).toBe('S-1-0x010000000000-0');
  });

  it('a value whose size does not fit its type is a format error naming the type', () => {
    expect(() => decodeValue(Buffer.alloc(8), 0, 2, 0x08)).toThrow(EvtxFormatError);
    expect(() => decodeValue(Buffer.alloc(8), 0, 2, 0x08)).toThrow('UInt32 value has 2 bytes (expected 4)');
    expect(() => decodeValue(Buffer.alloc(8), 0, 6, 0x10)).toThrow('SizeT value has 6 bytes (expected 4 or 8)');
    expect(() => decodeValue(Buffer.alloc(8), 0, 6, 0x88)).toThrow('UInt32[] value of 6 bytes is not a whole number of items');
    expect(typeName(0x81)).toBe('String[]');
  });
});

describe('crc32 ("CRC-32 described in RFC 1952 with an initial value of 0")', () => {
  it('the RFC check value, and the portable table agrees with zlib over random data', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32Portable(Buffer.from('123456789'))).toBe(0xcbf43926);
    for (let i = 0; i < 20; i++) {
      const data = randomBytes(1 + i * 997);
      expect(crc32Portable(data)).toBe(crc32(data));
      expect(crc32Portable(data.subarray(100), crc32Portable(data.subarray(0, 100)))).toBe(crc32(data));
    }
  });
});
