// Loads the view mappings (detections/mappings/views/<view>.yml): data, not code.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { InputError, UsageError } from '../../core/errors.ts';
import type { ViewName } from './types.ts';

export const MAPPINGS_DIR = fileURLToPath(new URL('../../../detections/mappings/views/', import.meta.url));

const cache = new Map<string, unknown>();

export function loadViewMapping<T extends { profiles: Record<string, { description?: string }> }>(view: ViewName): T {
  const hit = cache.get(view);
  if (hit) return hit as T;
  const file = `${MAPPINGS_DIR}${view}.yml`;
  let doc: unknown;
  try {
    doc = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new InputError('E_MAPPING', `cannot load view mapping: ${(e as Error).message}`, { file });
  }
  if (typeof doc !== 'object' || doc === null || typeof (doc as { profiles?: unknown }).profiles !== 'object') {
    throw new InputError('E_MAPPING', 'view mapping has no profiles', { file });
  }
  cache.set(view, doc);
  return doc as T;
}

/** The profile's settings, or a usage error listing the profiles that exist. */
export function profileOf<P>(view: ViewName, mapping: { profiles: Record<string, P> }, profile: string): P {
  const p = mapping.profiles[profile];
  if (!p) {
    throw new UsageError(`unknown ${view} profile '${profile}'; profiles: ${Object.keys(mapping.profiles).join(', ')}`);
  }
  return p;
}

/** Every profile of every view, for help texts and validation. */
export function allProfiles(): Record<ViewName, string[]> {
  const out = {} as Record<ViewName, string[]>;
  for (const v of ['splunk', 'falcon', 'sigma'] as const) out[v] = Object.keys(loadViewMapping(v).profiles);
  return out;
}
