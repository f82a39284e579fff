// The lab's run marker: a GUID the harness puts in every command it runs (DESIGN.md), so the events
// a test caused can be told from the host's background noise. It is looked for, case-insensitively
// and with or without braces, in the command lines of the process and of its parent, and in the
// package of an installer transaction (an MSI path named after the marker, where no command line
// exists).
import type { CanonicalEvent } from '../model.ts';

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** The bare lower-case GUID of a marker, or a thrown Error when `marker` is not a GUID. */
export function markerGuid(marker: string): string {
  const m = GUID.exec(marker.trim());
  if (!m) throw new Error(`run marker must be a GUID, got '${marker}'`);
  return m[1]!.toLowerCase();
}

/** true when the marker appears in one of the event's command lines (or installer package). */
export function hasMarker(event: CanonicalEvent, marker: string): boolean {
  const guid = markerGuid(marker);
  for (const text of [event.process?.commandLine, event.parent?.commandLine, event.installer?.package]) {
    if (text !== undefined && text.toLowerCase().includes(guid)) return true;
  }
  return false;
}

/** Sets `event.marker` (the bare GUID) when the marker appears; returns whether it did. */
export function applyMarker(event: CanonicalEvent, marker: string): boolean {
  const found = hasMarker(event, marker);
  if (found) event.marker = markerGuid(marker);
  return found;
}
