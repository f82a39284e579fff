// Timestamps of every source turned into ISO-8601 UTC (`YYYY-MM-DDTHH:MM:SS[.f…]Z`), keeping the
// fraction digits the source had (telemetry.md §1.1 lists the renderers' forms).
//
// Choices written down here:
// - A time without a zone is UTC: PowerShell's XML→JSON `2024-10-26 15:13:47.3559412` is the same
//   instant as the EVTX's `2024-10-26T15:13:49.9214948Z` form (checked on atomic-evtx record 17987),
//   and Sysmon's `UtcTime` is UTC by definition.
// - Windows event times are FILETIMEs (100 ns ticks): `windowsTime` drops fraction digits past the
//   7th when they are zeros, so libevtx's zero-padded 9 digits and Windows' 7 digits give the same
//   string for the same event. Sysmon for Linux writes 9 digits itself; they are kept.
// - Epoch values (Falcon `timestamp` in ms, `ContextTimeStamp` in s with a fraction, auditd
//   `audit(1795436005.680:53)`) keep the fraction digits they were written with.

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/** ISO-8601 UTC from any of the textual forms above, or undefined when `text` is not a time. */
export function isoTime(text: string): string | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, date, clock, fraction, zone] = m;
  const frac = fraction ? `.${fraction}` : '';
  if (!zone || zone.toUpperCase() === 'Z' || /^[+-]00:?00$/.test(zone)) return `${date}T${clock}${frac}Z`;
  const ms = Date.parse(`${date}T${clock}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`);
  if (Number.isNaN(ms)) return undefined;
  return `${new Date(ms).toISOString().slice(0, 19)}${frac}Z`;
}

/** A Windows SystemTime in ISO form, trailing zero digits beyond 100 ns resolution dropped. */
export function windowsTime(text: string): string | undefined {
  const iso = isoTime(text);
  if (!iso) return undefined;
  return iso.replace(/(\.\d{7})0+Z$/, '$1Z');
}

/**
 * Epoch seconds or milliseconds as text (`1713805173418`, `1625677530.308`) → ISO, keeping the
 * digits given. `unit` says which the integer part is.
 */
export function epochTime(text: string, unit: 's' | 'ms'): string | undefined {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, whole, fraction] = m;
  let seconds: number;
  let frac: string;
  if (unit === 'ms') {
    const w = whole!;
    seconds = Number(w.slice(0, -3) || '0');
    frac = w.slice(-3).padStart(3, '0') + (fraction ?? '');
  } else {
    seconds = Number(whole);
    frac = fraction ?? '';
  }
  const d = new Date(seconds * 1000);
  if (Number.isNaN(d.getTime())) return undefined;
  return `${d.toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
}
