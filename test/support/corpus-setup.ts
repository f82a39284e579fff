// Global setup of the corpus suite: with CI=true a missing ../shared/external is a failure, not a
// silent skip. Outside CI the suite stops with a clear message instead of running nothing quietly.
import { EXTERNAL_DIR, hasExternal } from './corpus.ts';

export default function setup(): void {
  if (hasExternal()) return;
  const msg = `corpus suite: ${EXTERNAL_DIR} is missing (set ATOMIC_LAB_EXTERNAL or check out ../shared beside the repo)`;
  if (process.env.CI) throw new Error(msg);
  throw new Error(msg + '; the main suite (npm test) does not need it');
}
