// Numeric modifiers lt, lte, gt, gte (spec appendix "Numeric Modifiers") and the time modifiers
// minute, hour, day, week, month, year ("Time Modifiers": the part of a timestamp field, no time
// zone handling — we read timestamps without a zone as UTC and take the UTC parts).
import type { FieldValue, ValueTest } from './values.ts';

export type Compare = 'lt' | 'lte' | 'gt' | 'gte' | 'eq';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export const COMPARES = new Set(['lt', 'lte', 'gt', 'gte']);
export const TIME_PARTS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);

function toNumber(s: string): number | undefined {
  const t = s.trim();
  if (t === '') return undefined;
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : Number(t);
  return Number.isFinite(n) ? n : undefined;
}

/** ISO 8601 week number (weeks start on Monday, week 1 holds the first Thursday). */
function isoWeek(d: Date): number {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = t.getUTCDay() || 7;
  t.setUTCDate(t.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
  return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
}

export function timePartOf(s: string, part: TimePart): number | undefined {
  let text = s.trim();
  if (/^\d{10,13}(\.\d+)?$/.test(text)) {
    const n = Number(text);
    const d = new Date(text.length >= 13 ? n : n * 1000);
    return partOf(d, part);
  }
  // "2024-10-26 15:13:49.921" (Sysmon UtcTime) and ISO forms without a zone are UTC
  text = text.replace(' ', 'T');
  if (!/[zZ]|[+-]\d\d:?\d\d$/.test(text)) text += 'Z';
  text = text.replace(/(\.\d{3})\d+/, '$1');
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? undefined : partOf(d, part);
}

function partOf(d: Date, part: TimePart): number {
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'week':
      return isoWeek(d);
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
  }
}

export function numericTest(cmp: Compare, value: number, timePart?: TimePart): ValueTest {
  const extract = (s: string): number | undefined => (timePart ? timePartOf(s, timePart) : toNumber(s));
  const ok = (n: number): boolean => {
    switch (cmp) {
      case 'lt':
        return n < value;
      case 'lte':
        return n <= value;
      case 'gt':
        return n > value;
      case 'gte':
        return n >= value;
      case 'eq':
        return n === value;
    }
  };
  return (fv: FieldValue) =>
    fv.strs.some((s) => {
      const n = typeof fv.raw === 'number' && !timePart ? fv.raw : extract(s);
      return n !== undefined && ok(n);
    });
}
