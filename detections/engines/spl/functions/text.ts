// Text and conversion functions ([TEXT], [EVAL]).
import { createHash } from 'node:crypto';
import { text } from '../expr/semantics.ts';
import { type EvalValue, type Scalar, asNumber, formatNumber, fromValues } from '../values.ts';
import type { FnSpec } from './types.ts';

/** Applies f to every value (lower/upper/trim work on multivalue fields, [TEXT]). */
function mapText(v: EvalValue, f: (s: string) => string): EvalValue {
  if (v === null || typeof v === 'boolean') return null;
  if (Array.isArray(v)) return fromValues(v.map((x) => f(typeof x === 'number' ? formatNumber(x) : x)));
  return f(typeof v === 'number' ? formatNumber(v) : v);
}

function trimChars(s: string, chars: string | undefined, left: boolean, right: boolean): string {
  const set = chars ?? ' \t';
  let a = 0;
  let b = s.length;
  if (left) while (a < b && set.includes(s[a]!)) a++;
  if (right) while (b > a && set.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

const trimFn = (left: boolean, right: boolean): FnSpec => ({
  min: 1, max: 2, returns: 'str',
  eager: ([v, c]) => {
    const chars = c === undefined ? undefined : text(c);
    return mapText(v!, (s) => trimChars(s, chars, left, right));
  },
});

const hashFn = (algorithm: string): FnSpec => ({
  min: 1, max: 1, returns: 'str',
  eager: ([v]) => {
    const s = text(v!);
    return s === undefined ? null : createHash(algorithm).update(s, 'utf8').digest('hex');
  },
});

function commas(n: number): string {
  const [int, frac] = (Math.round(n * 100) / 100).toString().split('.');
  const withCommas = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${withCommas}.${frac}` : withCommas;
}

function duration(n: number): string {
  const total = Math.floor(n);
  const days = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const hms = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return days > 0 ? `${days}+${hms}` : hms;
}

export const textFunctions: Record<string, FnSpec> = {
  lower: { min: 1, max: 1, returns: 'str', eager: ([v]) => mapText(v!, (s) => s.toLowerCase()) },
  upper: { min: 1, max: 1, returns: 'str', eager: ([v]) => mapText(v!, (s) => s.toUpperCase()) },
  trim: trimFn(true, true),
  ltrim: trimFn(true, false),
  rtrim: trimFn(false, true),
  // character length; not for multivalue
  len: {
    min: 1, max: 1, returns: 'num',
    eager: ([v]) => {
      const s = text(v!);
      return s === undefined ? null : [...s].length;
    },
  },
  // substr(str, start[, len]): 1-based; negative start counts from the end. CHOICE: start 0 acts as 1.
  substr: {
    min: 2, max: 3, returns: 'str',
    eager: ([v, st, ln]) => {
      const s = text(v!);
      const start = st === null || st === undefined || typeof st === 'boolean' || Array.isArray(st) ? undefined : asNumber(st);
      if (s === undefined || start === undefined) return null;
      const chars = [...s];
      let from = start > 0 ? Math.trunc(start) - 1 : start < 0 ? chars.length + Math.trunc(start) : 0;
      if (from < 0) from = 0;
      if (ln === undefined) return chars.slice(from).join('');
      const len = typeof ln === 'boolean' || Array.isArray(ln) || ln === null ? undefined : asNumber(ln);
      if (len === undefined || len < 0) return null;
      return chars.slice(from, from + Math.trunc(len)).join('');
    },
  },
  // replace(str, regex, replacement): every match; \1 backreferences; not for multivalue
  replace: {
    min: 3, max: 3, returns: 'str', regexArgs: [1],
    eager: ([v, p, r], call) => {
      const s = text(v!);
      const pattern = text(p!);
      const repl = text(r!);
      if (s === undefined || pattern === undefined || repl === undefined) return null;
      const re = call.regex(1, pattern);
      return re === null ? null : re.replace(s, repl);
    },
  },
  split: {
    min: 2, max: 2, returns: 'any',
    eager: ([v, d]) => {
      const s = text(v!);
      const delim = text(d!);
      if (s === undefined || delim === undefined) return null;
      return fromValues(delim === '' ? [...s] : s.split(delim));
    },
  },
  urldecode: {
    min: 1, max: 1, returns: 'str',
    eager: ([v]) => {
      const s = text(v!);
      if (s === undefined) return null;
      const plus = s.replace(/\+/g, ' ');
      try {
        return decodeURIComponent(plus);
      } catch {
        return plus.replace(/%([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
      }
    },
  },
  // tostring(x[, "hex"|"commas"|"duration"]); "you can convert booleans and nulls to strings"
  tostring: {
    min: 1, max: 2, returns: 'str',
    eager: ([v, f]) => {
      if (v === null) return 'NULL'; // UNSURE: the text Splunk gives a NULL
      if (typeof v === 'boolean') return v ? 'True' : 'False';
      const format = f === undefined ? undefined : text(f);
      const conv = (x: Scalar): string => {
        const n = typeof x === 'number' ? x : asNumber(x);
        if (format === undefined || n === undefined) return typeof x === 'number' ? formatNumber(x) : x;
        if (format === 'hex') return `0x${Math.trunc(n).toString(16).toUpperCase()}`;
        if (format === 'commas') return commas(n);
        if (format === 'duration') return duration(n);
        return typeof x === 'number' ? formatNumber(x) : x;
      };
      return Array.isArray(v) ? fromValues(v.map(conv)) : conv(v!);
    },
  },
  // tonumber(str[, base]): NULL when it does not parse
  tonumber: {
    min: 1, max: 2, returns: 'num',
    eager: ([v, b]) => {
      const s = text(v!);
      if (s === undefined) return null;
      const base = b === undefined ? 10 : asNumber(text(b) ?? '');
      if (base === undefined) return null;
      const t = s.trim();
      if (base === 10) {
        const n = asNumber(t);
        if (n !== undefined) return n;
        return /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : null;
      }
      const digits = base === 16 ? t.replace(/^0x/i, '') : t;
      const valid = new RegExp(`^[+-]?[${'0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, base)}]+$`, 'i');
      return valid.test(digits) ? parseInt(digits, base) : null;
    },
  },
  md5: hashFn('md5'),
  sha1: hashFn('sha1'),
  sha256: hashFn('sha256'),
  sha512: hashFn('sha512'),
};
