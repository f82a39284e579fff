// Times as the products store them. Inputs are the canonical ISO-8601 UTC strings (any number of
// fraction digits, or none); nanosecond digits are kept as text, never through a float.

/** Epoch seconds with microseconds, as Splunk's _time ("1729955629.921494"). */
export function epochSeconds(iso: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso.trim());
  if (!m) return undefined;
  const whole = Date.parse(`${m[1]}${m[3] ?? 'Z'}`);
  if (Number.isNaN(whole)) return undefined;
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return `${Math.floor(whole / 1000)}.${frac}`;
}

/** Epoch milliseconds as a string, as Falcon's `timestamp`. */
export function epochMillis(iso: string): string | undefined {
  const s = epochSeconds(iso);
  if (s === undefined) return undefined;
  const [sec, frac] = s.split('.') as [string, string];
  return `${sec}${frac.slice(0, 3)}`;
}
