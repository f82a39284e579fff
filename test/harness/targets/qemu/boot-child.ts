// Child process for qemu.integration.test.ts: boots the lab VM with a job that sleeps, prints
// `QEMU-UP <run folder>` once the guest's init runs, and waits to be killed by the test.
import { cachedImage } from '../../../../harness/targets/qemu/image.ts';
import { loadRecipe } from '../../../../harness/targets/qemu/recipe.ts';
import { runJobInVm } from '../../../../harness/targets/qemu/run-job.ts';

const [recipeFile, resultsDir, accel] = process.argv.slice(2) as [string, string, 'kvm' | 'tcg'];
const image = cachedImage(loadRecipe(recipeFile));
if (!image) throw new Error('no cached image');
await runJobInVm(
  { runId: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', executor: 'sh', command: 'sleep 600', timeoutSec: 600, watchDirs: ['/tmp'], audit: false, auditKey: 'al_child', auditExport: 'none', techniqueDirs: [] },
  { image, accel, memoryMb: 512, cpus: 1, network: 'none', bootTimeoutSec: 300, resultsDir, onLine: (l) => { if (l.startsWith('ATOMIC: init start')) process.stdout.write('QEMU-UP\n'); } },
);
