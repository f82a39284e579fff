// For the integration suite: make the lab's system prerequisites present (what `--get-prereqs`
// does: Debian packages, the Wine prefix), so each integration file can run on its own.
import path from 'node:path';
import { loadAtomicsStrict } from '../../../harness/atomics/load.ts';
import { loadLabSpecs } from '../../../harness/run/lab-spec.ts';
import { createTarget } from '../../../harness/targets/index.ts';
import { prefixDir, wineVersion } from '../../../harness/targets/wine-prefix.ts';
import { REPO_ROOT } from '../../support/corpus.ts';

export const ATOMICS = path.join(REPO_ROOT, 'atomics');

export async function ensureLab(): Promise<{ prefix: string }> {
  const tests = loadAtomicsStrict(ATOMICS).flatMap((t) => t.tests);
  const specs = loadLabSpecs(ATOMICS);
  for (const name of ['wine', 'sandbox'] as const) {
    const target = createTarget(name);
    const mine = tests.filter((t) => !target.unsupported(t));
    for (const r of await target.requirements(mine, specs)) if (!r.met && r.installer) await r.installer();
  }
  const version = await wineVersion();
  if (!version) throw new Error('wine is not installed and could not be installed');
  return { prefix: prefixDir(version) };
}
