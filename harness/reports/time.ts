// Times in reports come only from the input (results.json), never from the clock, so that the same
// input gives the same bytes.

/** Milliseconds since the epoch, or undefined for a missing or unparsable ISO-8601 string. */
export function ms(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}

/** Seconds between two ISO-8601 strings with at most 3 decimals (the Surefire time pattern), or undefined. */
export function seconds(from: string | undefined, to: string | undefined): string | undefined {
  const a = ms(from);
  const b = ms(to);
  if (a === undefined || b === undefined || b < a) return undefined;
  return ((b - a) / 1000).toFixed(3);
}
