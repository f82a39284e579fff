// Encoding modifiers: base64, base64offset, utf16le (wide), utf16be, utf16. Spec appendix
// "Encoding Modifiers". Strings are text (encoded as UTF-8 for base64) until a utf16* modifier
// turns them into bytes (one char per byte), which base64 then encodes as they are.
import { Buffer } from 'node:buffer';
import { type SigmaString, hasWildcards, literalText } from '../sigma-string.ts';
import { describe } from './string.ts';
import type { Val } from './values.ts';

function toBytes(s: SigmaString): Buffer {
  const text = literalText(s);
  return s.encoding === 'bytes' ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

function plainOnly(v: Val, mod: string): SigmaString | string {
  if (v.t !== 'str') return `${mod} applies to strings, not to ${describe(v)}`;
  if (hasWildcards(v.s)) return `${mod}: wildcards cannot be encoded (pySigma: "Base64 encoding of strings with wildcards is not allowed")`;
  return v.s;
}

export function base64(v: Val): Val | string {
  const s = plainOnly(v, 'base64');
  if (typeof s === 'string') return s;
  return { t: 'str', s: { parts: [toBytes(s).toString('base64')], encoding: 'text' } };
}

/**
 * base64offset: the three encodings of the value shifted by 0, 1 and 2 bytes, with the characters
 * that depend on the unknown neighbouring bytes cut off (start offsets 0, 2, 3; end offsets by
 * (length + shift) mod 3: none, -3, -2), as pySigma's SigmaBase64OffsetModifier does.
 */
export function base64offset(v: Val): Val[] | string {
  const s = plainOnly(v, 'base64offset');
  if (typeof s === 'string') return s;
  const bytes = toBytes(s);
  const start = [0, 2, 3];
  const end = [undefined, -3, -2];
  const out: Val[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = Buffer.concat([Buffer.alloc(i, 0x20), bytes]).toString('base64');
    out.push({ t: 'str', s: { parts: [enc.slice(start[i], end[(bytes.length + i) % 3])], encoding: 'text' } });
  }
  return out;
}

export function utf16(v: Val, kind: 'utf16le' | 'wide' | 'utf16be' | 'utf16'): Val | string {
  if (v.t !== 'str') return `${kind} applies to strings, not to ${describe(v)}`;
  const encodePart = (text: string): string => {
    const le = Buffer.from(text, 'utf16le');
    if (kind === 'utf16be') le.swap16();
    return le.toString('latin1');
  };
  const parts = v.s.parts.map((p) => (typeof p === 'string' ? encodePart(p) : p));
  if (kind === 'utf16') parts.unshift('\xff\xfe'); // byte order mark, then little-endian
  return { t: 'str', s: { parts, encoding: 'bytes' } };
}
