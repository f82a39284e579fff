// Substitution values of EVTX templates (libevtx documentation "Value types"), rendered as text
// the way libevtx's evtxexport renders them (libfwevt_xml_document_substitute_template_value):
// integers in decimal; HexInt32/HexInt64 as 0x + 8/16 lower-case digits (0x00000b2c,
// 0x8000000000000000); GUIDs upper case in braces; binary as upper-case hex; booleans true/false;
// SIDs as S-1-5-21-...; FILETIME with 9 fraction digits; SYSTEMTIME with milliseconds; SizeT in
// decimal; floating point as d.dddddde+ddd. Strings stop at the first NUL.
import { decodeWindows1252 } from '../winxml/cp1252.ts';
import { formatFiletime, formatSystemtime } from './time.ts';

/** A structural problem at `offset` (relative to the chunk). */
export class EvtxFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export const VALUE_NULL = 0x00;
export const VALUE_BINXML = 0x21;
export const VALUE_ARRAY = 0x80;

/** An array value (type | 0x80): the element holding it is repeated once per item. */
export interface ArrayValue {
  items: string[];
}

export const TYPE_NAMES: Record<number, string> = {
  0x00: 'Null',
  0x01: 'String',
  0x02: 'AnsiString',
  0x03: 'Int8',
  0x04: 'UInt8',
  0x05: 'Int16',
  0x06: 'UInt16',
  0x07: 'Int32',
  0x08: 'UInt32',
  0x09: 'Int64',
  0x0a: 'UInt64',
  0x0b: 'Real32',
  0x0c: 'Real64',
  0x0d: 'Bool',
  0x0e: 'Binary',
  0x0f: 'Guid',
  0x10: 'SizeT',
  0x11: 'FileTime',
  0x12: 'SysTime',
  0x13: 'Sid',
  0x14: 'HexInt32',
  0x15: 'HexInt64',
  0x20: 'EvtHandle',
  0x21: 'BinXml',
  0x23: 'EvtXml',
};

export function typeName(type: number): string {
  const base = TYPE_NAMES[type & 0x7f] ?? `0x${(type & 0x7f).toString(16).padStart(2, '0')}`;
  return type & VALUE_ARRAY ? `${base}[]` : base;
}

/** Fixed sizes of the scalar types (0 = variable). */
const FIXED_SIZE: Record<number, number> = {
  0x03: 1, 0x04: 1, 0x05: 2, 0x06: 2, 0x07: 4, 0x08: 4, 0x09: 8, 0x0a: 8, 0x0b: 4, 0x0c: 8,
  0x0d: 4, 0x0f: 16, 0x11: 8, 0x12: 16, 0x14: 4, 0x15: 8,
};

function cutAtNul(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

function hex32(n: number): string {
  return n.toString(16).padStart(8, '0');
}

export function formatGuid(b: Buffer, off: number): string {
  const h = b.toString('hex', off + 8, off + 16).toUpperCase();
  return (
    `{${hex32(b.readUInt32LE(off)).toUpperCase()}-${b.readUInt16LE(off + 4).toString(16).padStart(4, '0').toUpperCase()}-` +
    `${b.readUInt16LE(off + 6).toString(16).padStart(4, '0').toUpperCase()}-${h.slice(0, 4)}-${h.slice(4)}}`
  );
}

/** SID: revision, sub-authority count, 48-bit big-endian authority, 32-bit sub-authorities. */
export function sidLength(b: Buffer, off: number, end: number): number {
  if (off + 8 > end) return -1;
  const len = 8 + 4 * b[off + 1]!;
  return off + len > end ? -1 : len;
}

export function formatSid(b: Buffer, off: number): string {
  const count = b[off + 1]!;
  const authority = b.readUIntBE(off + 2, 6);
  // Authorities of 2^32 and above are written in hexadecimal (MS-DTYP 2.4.2.1).
  let s = `S-${b[off]}-${authority >= 2 ** 32 ? '0x' + authority.toString(16).toUpperCase().padStart(12, '0') : authority}`;
  for (let i = 0; i < count; i++) s += '-' + b.readUInt32LE(off + 8 + i * 4);
  return s;
}

/** libfwevt's floating point text: 7 significant digits and a 3-digit exponent, Inf, NaN. */
export function formatReal(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return 'Inf';
  const [mantissa, exp] = v.toExponential(6).split('e') as [string, string];
  const sign = exp[0] === '-' ? '-' : '+';
  return `${mantissa}e${sign}${exp.replace(/^[+-]/, '').padStart(3, '0')}`;
}

function formatUInt64(b: Buffer, off: number): string {
  const hi = b.readUInt32LE(off + 4);
  return hi === 0 ? String(b.readUInt32LE(off)) : b.readBigUInt64LE(off).toString();
}

/** One scalar of type `t` (array flag removed) and known-good size. */
function scalar(b: Buffer, off: number, size: number, t: number): string {
  switch (t) {
    case 0x01:
      return cutAtNul(b.toString('utf16le', off, off + (size & ~1)));
    case 0x02:
      return cutAtNul(decodeWindows1252(b.subarray(off, off + size)));
    case 0x03:
      return String(b.readInt8(off));
    case 0x04:
      return String(b[off]);
    case 0x05:
      return String(b.readInt16LE(off));
    case 0x06:
      return String(b.readUInt16LE(off));
    case 0x07:
      return String(b.readInt32LE(off));
    case 0x08:
      return String(b.readUInt32LE(off));
    case 0x09:
      return b.readBigInt64LE(off).toString();
    case 0x0a:
      return formatUInt64(b, off);
    case 0x0b:
      return formatReal(b.readFloatLE(off));
    case 0x0c:
      return formatReal(b.readDoubleLE(off));
    case 0x0d:
      return b.readUInt32LE(off) === 0 ? 'false' : 'true';
    case 0x0f:
      return formatGuid(b, off);
    case 0x10:
      return size === 8 ? formatUInt64(b, off) : String(b.readUInt32LE(off));
    case 0x11:
      return formatFiletime(b.readUInt32LE(off), b.readUInt32LE(off + 4));
    case 0x12:
      return formatSystemtime(b, off);
    case 0x13:
      return formatSid(b, off);
    case 0x14:
      return '0x' + hex32(b.readUInt32LE(off));
    case 0x15:
      return '0x' + hex32(b.readUInt32LE(off + 4)) + hex32(b.readUInt32LE(off));
    default:
      // Binary (0x0e), EvtHandle (0x20), EvtXml (0x23) and unknown types: the bytes in hex.
      return b.toString('hex', off, off + size).toUpperCase();
  }
}

/**
 * Decodes a value that is not NULL and not Binary XML. Throws EvtxFormatError when its size does
 * not fit its type.
 */
export function decodeValue(b: Buffer, off: number, size: number, type: number): string | ArrayValue {
  const t = type & 0x7f;
  const fixed = FIXED_SIZE[t] ?? 0;
  if ((type & VALUE_ARRAY) === 0) {
    if (t === 0x10 && size !== 4 && size !== 8) {
      throw new EvtxFormatError(`SizeT value has ${size} bytes (expected 4 or 8)`, off);
    }
    if (t === 0x13 && sidLength(b, off, off + size) < 0) throw new EvtxFormatError(`SID value of ${size} bytes is cut off`, off);
    if (fixed && size !== fixed) throw new EvtxFormatError(`${typeName(type)} value has ${size} bytes (expected ${fixed})`, off);
    return scalar(b, off, size, t);
  }
  const items: string[] = [];
  const end = off + size;
  if (t === 0x01 || t === 0x02) {
    // Strings separated (and usually ended) by NUL: UTF-16 or the ANSI code page.
    const all = t === 0x01 ? b.toString('utf16le', off, off + (size & ~1)) : decodeWindows1252(b.subarray(off, end));
    const parts = all.split('\0');
    if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    return { items: size === 0 ? [] : parts };
  }
  if (t === 0x13) {
    for (let p = off; p < end; ) {
      const len = sidLength(b, p, end);
      if (len < 0) throw new EvtxFormatError('SID array item is cut off', p);
      items.push(formatSid(b, p));
      p += len;
    }
    return { items };
  }
  const width = t === 0x10 ? (size % 8 === 0 ? 8 : 4) : fixed;
  if (!width || size % width !== 0) throw new EvtxFormatError(`${typeName(type)} value of ${size} bytes is not a whole number of items`, off);
  for (let p = off; p < end; p += width) items.push(scalar(b, p, width, t));
  return { items };
}
