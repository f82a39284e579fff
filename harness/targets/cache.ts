// The lab's per-user cache: built once, reused by every run (a second `npm start` needs no
// prerequisite step). `$ATOMIC_LAB_CACHE`, else `$XDG_CACHE_HOME/atomic-lab`, else
// `~/.cache/atomic-lab` (XDG Base Directory Specification).
//
//   <cache>/ExternalPayloads/   what atomics' get_prereq commands produce (ART's
//                               PathToAtomicsFolder/../ExternalPayloads): built MSIs, .deb, venv
//   <cache>/wine/prefix-<ver>/  the Wine prefix, one per Wine version (≈ 700 MB, lab-recipes §2.2)
import { homedir } from 'node:os';
import path from 'node:path';

export function labCacheDir(): string {
  if (process.env.ATOMIC_LAB_CACHE) return path.resolve(process.env.ATOMIC_LAB_CACHE);
  const xdg = process.env.XDG_CACHE_HOME;
  return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(homedir(), '.cache'), 'atomic-lab');
}

export function payloadCacheDir(): string {
  return path.join(labCacheDir(), 'ExternalPayloads');
}

export function wineCacheDir(): string {
  return path.join(labCacheDir(), 'wine');
}
