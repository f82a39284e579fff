// Files under external/telemetry (third-party recordings, read in place, never copied), for the
// corpus tests of the Windows readers.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { external } from '../../../../support/corpus.ts';

export const TELEMETRY = external('telemetry');

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = path.join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/** Every file under external/telemetry whose name ends with `suffix`, sorted. */
export function telemetryFiles(suffix: string): string[] {
  return walk(TELEMETRY).filter((f) => f.endsWith(suffix));
}
