// Time parsing, formatting, modifiers and spans (spl.md §2, [BIN]).
import { describe, expect, it } from 'vitest';
import { floorToSpan, formatTimeIso, parseSpan, parseTime, relativeTime, strftime, strptime } from '../../../../detections/engines/spl/time.ts';

describe('time', () => {
  it('parseTime: epoch numbers and strings, ISO with Z/offset/space and 7 fraction digits', () => {
    expect(parseTime(12.5)).toBe(12.5);
    expect(parseTime('1713441600')).toBe(1713441600);
    expect(parseTime('2024-04-18T12:00:00Z')).toBe(1713441600);
    expect(parseTime('2024-04-18T14:00:00+02:00')).toBe(1713441600);
    expect(parseTime('2024-10-26 15:13:47.3559412')).toBeCloseTo(1729955627.3559412, 6);
    expect(parseTime('yesterday')).toBeUndefined();
  });

  it('formatTimeIso: the export form with milliseconds and +00:00', () => {
    expect(formatTimeIso(1729955629.9214)).toBe('2024-10-26T15:13:49.921+00:00');
  });

  it('strftime/strptime round trip, %s %j %b %p', () => {
    expect(strftime(1713441600, '%Y-%m-%d %H:%M:%S %j %b %a %I%p %s')).toBe('2024-04-18 12:00:00 109 Apr Thu 12PM 1713441600');
    expect(strptime('18/Apr/2024:12:00:00 +0200', '%d/%b/%Y:%H:%M:%S %z')).toBe(1713434400);
  });

  it('relative_time modifiers: offsets, snaps, @w0 (Sunday), months', () => {
    const t = Date.UTC(2024, 3, 18, 12, 34, 56) / 1000; // Thursday
    expect(relativeTime(t, '-1d@d')).toBe(Date.UTC(2024, 3, 17) / 1000);
    expect(relativeTime(t, '@w0')).toBe(Date.UTC(2024, 3, 14) / 1000);
    expect(relativeTime(t, '-1mon@mon')).toBe(Date.UTC(2024, 2, 1) / 1000);
    expect(relativeTime(t, 'now')).toBe(t);
    expect(relativeTime(t, '-1x')).toBeUndefined();
  });

  it('spans: seconds to years; numeric spans', () => {
    expect(parseSpan('1s')).toEqual({ kind: 'time', size: 1, unit: 's' });
    expect(parseSpan('10')).toEqual({ kind: 'number', size: 10 });
    expect(parseSpan('0s')).toBeUndefined();
    expect(floorToSpan(100.7, parseSpan('1s')!)).toBe(100);
    expect(floorToSpan(Date.UTC(2024, 4, 20) / 1000, parseSpan('1q')!)).toBe(Date.UTC(2024, 3, 1) / 1000);
  });
});
