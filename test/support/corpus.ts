// Where the third-party corpus lives (../shared/external beside the checkout). Never copied into
// the repo: corpus tests read it in place.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export const REPO_ROOT = ROOT;
export const EXTERNAL_DIR = process.env.ATOMIC_LAB_EXTERNAL ?? path.resolve(ROOT, '../shared/external');

export function hasExternal(): boolean {
  return existsSync(EXTERNAL_DIR);
}

/** Path of a file under ../shared/external. */
export function external(...parts: string[]): string {
  return path.join(EXTERNAL_DIR, ...parts);
}
