// FILETIME and SYSTEMTIME as libevtx (evtxexport) prints them:
// FILETIME → ISO 8601 with nanoseconds and Z: the 7 digits of 100 ns ticks followed by "00"
//   (2024-10-26T15:13:49.921494800Z; libfwevt formats FILETIME with
//   LIBFDATETIME_STRING_FORMAT_FLAG_DATE_TIME_NANO_SECONDS | TIMEZONE_INDICATOR).
// SYSTEMTIME → ISO 8601 with milliseconds and Z (2024-10-26T15:13:49.921Z; DATE_TIME_MILLI_SECONDS).

const TICKS_PER_SECOND = 10_000_000;
/** seconds from 1601-01-01 to 1970-01-01 */
const EPOCH_DIFF = 11_644_473_600;
// 2^32 = 429 * 10^7 + 4_967_296: splits hi * 2^32 without leaving the safe integer range.
const HI_SECONDS = 429;
const HI_REMAINDER = 4_967_296;

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

let cachedSecond = NaN;
let cachedPrefix = '';

/** Formats a FILETIME given as its low and high 32-bit halves. */
export function formatFiletime(lo: number, hi: number): string {
  const rest = hi * HI_REMAINDER + lo; // < 2^53 for every hi < 2^32
  const seconds = hi * HI_SECONDS + Math.floor(rest / TICKS_PER_SECOND);
  const ticks = rest % TICKS_PER_SECOND;
  if (seconds !== cachedSecond) {
    const d = new Date((seconds - EPOCH_DIFF) * 1000);
    cachedPrefix = isNaN(d.getTime()) ? '' : isoSecond(d);
    cachedSecond = seconds;
  }
  return `${cachedPrefix}.${pad(ticks, 7)}00Z`;
}

function isoSecond(d: Date): string {
  const y = d.getUTCFullYear();
  return (
    `${pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  );
}

/** Formats a 16-byte SYSTEMTIME (year, month, day of week, day, hour, minute, second, ms). */
export function formatSystemtime(b: Buffer, off: number): string {
  const w = (i: number): number => b.readUInt16LE(off + i * 2);
  return `${pad(w(0), 4)}-${pad(w(1), 2)}-${pad(w(3), 2)}T${pad(w(4), 2)}:${pad(w(5), 2)}:${pad(w(6), 2)}.${pad(w(7), 3)}Z`;
}
