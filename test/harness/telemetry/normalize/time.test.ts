import { describe, expect, it } from 'vitest';
import { epochTime, isoTime, windowsTime } from '../../../../harness/telemetry/normalize/time.ts';

describe('times as ISO-8601 UTC with the source precision (telemetry.md §1.1 renderer table)', () => {
  it.each([
    ['2024-10-26T15:13:49.9214948Z', '2024-10-26T15:13:49.9214948Z'], // Windows, 7 digits
    ['2025-11-28T06:43:04.582969Z', '2025-11-28T06:43:04.582969Z'], // Rust evtx, 6 digits
    ['2024-10-26 15:13:47.3559412', '2024-10-26T15:13:47.3559412Z'], // PowerShell: space, no zone (UTC)
    ['2024-10-26 15:13:49.911', '2024-10-26T15:13:49.911Z'], // Sysmon UtcTime
    ['2024-08-07T15:31:24.257+00:00', '2024-08-07T15:31:24.257Z'],
    ['2024-08-07T17:31:24.257+02:00', '2024-08-07T15:31:24.257Z'],
    ['2024-08-07T10:31:24-0500', '2024-08-07T15:31:24Z'],
  ])('isoTime(%s) = %s', (input, out) => {
    expect(isoTime(input)).toBe(out);
  });

  it('isoTime refuses what is not a time', () => {
    expect(isoTime('yesterday')).toBeUndefined();
    expect(isoTime('1714644001')).toBeUndefined();
  });

  it('windowsTime: libevtx’s zero-padded 9 digits equal Windows’ 7 (FILETIME is 100 ns), real digits are kept', () => {
    expect(windowsTime('2024-10-26T15:13:49.921494800Z')).toBe('2024-10-26T15:13:49.9214948Z');
    expect(windowsTime('2024-10-26T15:13:49.921494812Z')).toBe('2024-10-26T15:13:49.921494812Z');
    expect(windowsTime('2024-10-26T15:13:49Z')).toBe('2024-10-26T15:13:49Z');
  });

  it('epochTime: Falcon ms (`timestamp`), seconds with a fraction (ContextTimeStamp, auditd), digits kept', () => {
    expect(epochTime('1713805173418', 'ms')).toBe('2024-04-22T16:59:33.418Z');
    expect(epochTime('1625677530.308', 's')).toBe('2021-07-07T17:05:30.308Z');
    expect(epochTime('1795436005.680', 's')).toBe('2026-11-23T12:13:25.680Z');
    expect(epochTime('1795436005', 's')).toBe('2026-11-23T12:13:25Z');
    expect(epochTime('12', 'ms')).toBe('1970-01-01T00:00:00.012Z');
    expect(epochTime('x', 's')).toBeUndefined();
  });
});
