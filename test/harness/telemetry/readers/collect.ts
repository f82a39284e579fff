// Test helper: everything a reader hands out for one file, its warnings, and the error it stopped with.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AtomicLabError } from '../../../../harness/core/errors.ts';
import type { CanonicalEvent } from '../../../../harness/telemetry/model.ts';
import { readEvents, type ReadEventsOptions } from '../../../../harness/telemetry/readers/index.ts';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../fixtures/readers');

export function fixture(name: string): string {
  return path.join(FIXTURES, name);
}

export interface Collected {
  events: CanonicalEvent[];
  warnings: string[];
  error?: AtomicLabError;
}

export async function collect(file: string, opts: Omit<ReadEventsOptions, 'onWarning'> = {}): Promise<Collected> {
  const out: Collected = { events: [], warnings: [] };
  try {
    for await (const e of readEvents(file, { ...opts, onWarning: (m) => out.warnings.push(m) })) out.events.push(e);
  } catch (e) {
    out.error = e as AtomicLabError;
  }
  return out;
}

/** The events only; fails the test when the file did not read cleanly. */
export async function events(file: string, opts: Omit<ReadEventsOptions, 'onWarning'> = {}): Promise<CanonicalEvent[]> {
  const r = await collect(file, opts);
  if (r.error) throw r.error;
  return r.events;
}
