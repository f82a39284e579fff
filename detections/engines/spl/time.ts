// Time in the SPL engine: `_time` is epoch seconds (a number; typeof(_time) = Number, spl.md §2),
// strftime/strptime with the common specifiers, relative_time's time modifiers ("-1d@d"), and
// `bin` spans. CHOICE: the time zone is UTC everywhere (Splunk uses the user's zone setting; a lab
// run has none), so `span=1d` and `@d` align to UTC midnight.
import type { Scalar } from './values.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** Epoch seconds for a `_time` value: a number, a numeric string, or an ISO-8601-like date. */
export function parseTime(v: Scalar): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  const s = v.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(s)) return Number(s);
  const m = ISO.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', tz] = m;
  let ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec));
  if (tz && tz.toUpperCase() !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const digits = tz.replace(/[+:-]/g, '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4))) * 60_000;
  }
  return ms / 1000 + (frac ? Number(`0.${frac}`) : 0);
}

const pad = (n: number, w = 2) => String(Math.trunc(n)).padStart(w, '0');

/**
 * `_time` as Splunk's export writes it (`2024-10-26T15:13:49.911+00:00`). CHOICE: UTC offset, see
 * the header.
 */
export function formatTimeIso(epoch: number): string {
  return strftime(epoch, '%Y-%m-%dT%H:%M:%S.%3N+00:00');
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** strftime with the specifiers of Splunk's "Date and time format variables" (UTC). */
export function strftime(epoch: number, format: string): string {
  const whole = Math.floor(epoch);
  const frac = epoch - whole;
  const d = new Date(whole * 1000);
  const Y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const day = d.getUTCDate();
  const H = d.getUTCHours();
  const M = d.getUTCMinutes();
  const S = d.getUTCSeconds();
  const wd = d.getUTCDay();
  const yday = Math.floor((Date.UTC(Y, m, day) - Date.UTC(Y, 0, 1)) / 86_400_000) + 1;
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%' || i + 1 >= format.length) {
      out += c;
      continue;
    }
    let spec = format[++i]!;
    let width = 0;
    while (/\d/.test(spec) && i + 1 < format.length) {
      width = width * 10 + Number(spec);
      spec = format[++i]!;
    }
    const subsec = (digits: number) => String(Math.floor(frac * 10 ** digits + 1e-7)).padStart(digits, '0');
    switch (spec) {
      case 'Y': out += String(Y); break;
      case 'y': out += pad(Y % 100); break;
      case 'm': out += pad(m + 1); break;
      case 'd': out += pad(day); break;
      case 'e': out += String(day).padStart(2, ' '); break;
      case 'H': out += pad(H); break;
      case 'k': out += String(H).padStart(2, ' '); break;
      case 'I': out += pad(H % 12 === 0 ? 12 : H % 12); break;
      case 'l': out += String(H % 12 === 0 ? 12 : H % 12).padStart(2, ' '); break;
      case 'M': out += pad(M); break;
      case 'S': out += pad(S); break;
      case 'p': out += H < 12 ? 'AM' : 'PM'; break;
      case 'j': out += pad(yday, 3); break;
      case 'a': out += DAYS[wd]!.slice(0, 3); break;
      case 'A': out += DAYS[wd]!; break;
      case 'b': case 'h': out += MONTHS[m]!.slice(0, 3); break;
      case 'B': out += MONTHS[m]!; break;
      case 'u': out += String(wd === 0 ? 7 : wd); break;
      case 'w': out += String(wd); break;
      case 'z': out += '+0000'; break;
      case 'Z': out += 'UTC'; break;
      case 's': out += String(whole); break;
      case 'N': out += subsec(width || 9); break;
      case 'Q': out += subsec(width || 3); break;
      case 'F': out += `${Y}-${pad(m + 1)}-${pad(day)}`; break;
      case 'T': out += `${pad(H)}:${pad(M)}:${pad(S)}`; break;
      case 'D': out += `${pad(m + 1)}/${pad(day)}/${pad(Y % 100)}`; break;
      case 'c': out += `${DAYS[wd]!.slice(0, 3)} ${MONTHS[m]!.slice(0, 3)} ${String(day).padStart(2, ' ')} ${pad(H)}:${pad(M)}:${pad(S)} ${Y}`; break;
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case '%': out += '%'; break;
      default: out += `%${spec}`;
    }
  }
  return out;
}

/** strptime: epoch seconds, or undefined when the text does not fit the format (UTC unless %z). */
export function strptime(text: string, format: string): number | undefined {
  let Y = 1970, mo = 0, d = 1, H = 0, M = 0, S = 0, frac = 0, pm: boolean | undefined, offsetMin = 0;
  let epochDirect: number | undefined;
  let pos = 0;
  const num = (maxLen: number): number | undefined => {
    const m = new RegExp(`^[+-]?\\d{1,${maxLen}}`).exec(text.slice(pos));
    if (!m) return undefined;
    pos += m[0].length;
    return Number(m[0]);
  };
  const word = (names: string[]): number | undefined => {
    const rest = text.slice(pos).toLowerCase();
    for (let i = 0; i < names.length; i++) {
      for (const cand of [names[i]!.toLowerCase(), names[i]!.slice(0, 3).toLowerCase()]) {
        if (rest.startsWith(cand)) {
          pos += cand.length;
          return i;
        }
      }
    }
    return undefined;
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i]!;
    if (c !== '%') {
      if (/\s/.test(c)) {
        while (pos < text.length && /\s/.test(text[pos]!)) pos++;
        continue;
      }
      if (text[pos] !== c) return undefined;
      pos++;
      continue;
    }
    let spec = format[++i];
    let width = 0;
    while (spec !== undefined && /\d/.test(spec)) {
      width = width * 10 + Number(spec);
      spec = format[++i];
    }
    let v: number | undefined;
    switch (spec) {
      case 'Y': v = num(4); if (v === undefined) return undefined; Y = v; break;
      case 'y': v = num(2); if (v === undefined) return undefined; Y = v < 69 ? 2000 + v : 1900 + v; break;
      case 'm': v = num(2); if (v === undefined) return undefined; mo = v - 1; break;
      case 'd': case 'e': while (text[pos] === ' ') pos++; v = num(2); if (v === undefined) return undefined; d = v; break;
      case 'H': case 'k': while (text[pos] === ' ') pos++; v = num(2); if (v === undefined) return undefined; H = v; break;
      case 'I': case 'l': while (text[pos] === ' ') pos++; v = num(2); if (v === undefined) return undefined; H = v % 12; break;
      case 'M': v = num(2); if (v === undefined) return undefined; M = v; break;
      case 'S': v = num(2); if (v === undefined) return undefined; S = v; break;
      case 'p': {
        const r = text.slice(pos, pos + 2).toUpperCase();
        if (r !== 'AM' && r !== 'PM') return undefined;
        pm = r === 'PM';
        pos += 2;
        break;
      }
      case 'j': v = num(3); if (v === undefined) return undefined; mo = 0; d = v; break;
      case 'a': case 'A': if (word(DAYS) === undefined) return undefined; break;
      case 'b': case 'B': case 'h': v = word(MONTHS); if (v === undefined) return undefined; mo = v; break;
      case 's': {
        const m = /^[+-]?\d+(\.\d+)?/.exec(text.slice(pos));
        if (!m) return undefined;
        pos += m[0].length;
        epochDirect = Number(m[0]);
        break;
      }
      case 'N': case 'Q': {
        const m = new RegExp(`^\\d{1,${width || 9}}`).exec(text.slice(pos));
        if (!m) return undefined;
        pos += m[0].length;
        frac = Number(`0.${m[0]}`);
        break;
      }
      case 'z': {
        const m = /^(Z|[+-]\d{2}:?\d{2})/i.exec(text.slice(pos));
        if (!m) return undefined;
        pos += m[0].length;
        if (m[0].toUpperCase() !== 'Z') {
          const digits = m[0].replace(/[+:-]/g, '');
          offsetMin = (m[0].startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
        }
        break;
      }
      case 'Z': {
        const m = /^[A-Za-z]+/.exec(text.slice(pos));
        if (!m) return undefined;
        pos += m[0].length;
        break;
      }
      case 'T': {
        const r = strptime(text.slice(pos, pos + 8), '%H:%M:%S');
        if (r === undefined) return undefined;
        H = Math.floor(r / 3600) % 24; M = Math.floor(r / 60) % 60; S = r % 60;
        pos += 8;
        break;
      }
      case 'F': {
        const r = /^(\d{4})-(\d{2})-(\d{2})/.exec(text.slice(pos));
        if (!r) return undefined;
        Y = Number(r[1]); mo = Number(r[2]) - 1; d = Number(r[3]);
        pos += 10;
        break;
      }
      case '%': if (text[pos] !== '%') return undefined; pos++; break;
      default: return undefined;
    }
  }
  if (epochDirect !== undefined) return epochDirect;
  if (pm !== undefined) H = (H % 12) + (pm ? 12 : 0);
  const ms = Date.UTC(Y, mo, d, H, M, S);
  if (Number.isNaN(ms)) return undefined;
  return ms / 1000 - offsetMin * 60 + frac;
}

// ---------------------------------------------------------------------------------------------
// time units, relative_time, spans

type Unit = 'ms' | 's' | 'm' | 'h' | 'd' | 'w' | 'mon' | 'q' | 'y' | 'us' | 'cs' | 'ds';

const UNIT_NAMES: Record<string, Unit> = {
  us: 'us', ms: 'ms', cs: 'cs', ds: 'ds',
  s: 's', sec: 's', secs: 's', second: 's', seconds: 's',
  m: 'm', min: 'm', mins: 'm', minute: 'm', minutes: 'm',
  h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h',
  d: 'd', day: 'd', days: 'd',
  w: 'w', week: 'w', weeks: 'w',
  mon: 'mon', month: 'mon', months: 'mon',
  q: 'q', qtr: 'q', qtrs: 'q', quarter: 'q', quarters: 'q',
  y: 'y', yr: 'y', yrs: 'y', year: 'y', years: 'y',
};

const FIXED_SECONDS: Partial<Record<Unit, number>> = { us: 1e-6, ms: 1e-3, cs: 1e-2, ds: 0.1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

function addUnits(epoch: number, n: number, unit: Unit): number {
  const fixed = FIXED_SECONDS[unit];
  if (fixed !== undefined) return epoch + n * fixed;
  const months = unit === 'mon' ? n : unit === 'q' ? 3 * n : 12 * n;
  const whole = Math.floor(epoch);
  const d = new Date(whole * 1000);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime() / 1000 + (epoch - whole);
}

function snap(epoch: number, unit: Unit, weekday?: number): number {
  const fixed = FIXED_SECONDS[unit];
  if (unit === 'w' || weekday !== undefined) {
    const dayStart = Math.floor(epoch / 86_400) * 86_400;
    const wd = new Date(dayStart * 1000).getUTCDay();
    const target = weekday === undefined || weekday === 7 ? 0 : weekday;
    const back = (wd - target + 7) % 7;
    return dayStart - back * 86_400;
  }
  if (fixed !== undefined) return Math.floor(epoch / fixed) * fixed;
  const d = new Date(Math.floor(epoch) * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (unit === 'mon') return Date.UTC(y, m, 1) / 1000;
  if (unit === 'q') return Date.UTC(y, m - (m % 3), 1) / 1000;
  return Date.UTC(y, 0, 1) / 1000;
}

/**
 * relative_time(t, "-1d@d"): offsets (`+N<unit>`, `-N<unit>`) and snaps (`@<unit>`, `@w0`..`@w7`)
 * applied left to right; "now" and "" leave t unchanged. Undefined for a malformed modifier.
 */
export function relativeTime(epoch: number, modifier: string): number | undefined {
  const s = modifier.trim();
  if (s === '' || s === 'now' || s === 'now()') return epoch;
  let t = epoch;
  const re = /([+-])(\d*)([a-z]+)|@([a-z]+?)(\d?)(?=$|[+-])/gy;
  let last = 0;
  let m: RegExpExecArray | null;
  while (last < s.length && (m = re.exec(s)) !== null) {
    last = re.lastIndex;
    if (m[1] !== undefined) {
      const unit = UNIT_NAMES[m[3]!];
      if (!unit) return undefined;
      const n = m[2] === '' ? 1 : Number(m[2]);
      t = addUnits(t, m[1] === '-' ? -n : n, unit);
    } else {
      const unit = UNIT_NAMES[m[4]!];
      if (!unit) return undefined;
      t = snap(t, unit, m[5] ? Number(m[5]) : undefined);
    }
  }
  return last === s.length ? t : undefined;
}

export interface Span {
  /** numeric span (no unit) or a time span */
  kind: 'number' | 'time';
  size: number;
  unit?: Unit;
}

/** A `bin span=` value: `10`, `1.5`, `1s`, `5m`, `1h`, `1d`, `1mon`, ... ; undefined if malformed. */
export function parseSpan(text: string): Span | undefined {
  const m = /^(\d+(?:\.\d+)?)?([a-z]+)?$/i.exec(text.trim());
  if (!m || (m[1] === undefined && m[2] === undefined)) return undefined;
  const size = m[1] === undefined ? 1 : Number(m[1]);
  if (!(size > 0)) return undefined;
  if (m[2] === undefined) return { kind: 'number', size };
  const unit = UNIT_NAMES[m[2].toLowerCase()];
  return unit ? { kind: 'time', size, unit } : undefined;
}

/** The start of the bin that holds epoch t (time spans; days align to UTC midnight). */
export function floorToSpan(t: number, span: Span): number {
  if (span.kind === 'number') return Math.floor(t / span.size) * span.size;
  const unit = span.unit!;
  const fixed = FIXED_SECONDS[unit];
  if (fixed !== undefined) {
    const width = fixed * span.size;
    return Math.floor(t / width + 1e-9) * width;
  }
  const months = unit === 'mon' ? span.size : unit === 'q' ? 3 * span.size : 12 * span.size;
  const d = new Date(Math.floor(t) * 1000);
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth();
  const start = index - (index % months);
  return Date.UTC(Math.floor(start / 12), start % 12, 1) / 1000;
}
