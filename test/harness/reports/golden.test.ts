// Golden files pin every writer's output for the fixed fixtures: the nightly run (every verdict and
// status, executed provenance, a lab error, a benign scenario) and the replay of its bundles diffed
// against it (replayed provenance, a regression, new passes, changed detection types). After an
// intended change: `npx vitest run test/harness/reports/golden.test.ts -u`, then review the diff.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORTERS, REPORTER_NAMES } from '../../../harness/reports/registry.ts';
import { FIXTURES, fixture } from './fixtures.ts';

const scenarios = [
  { name: 'nightly', results: () => fixture('nightly'), options: () => ({}) },
  { name: 'replay-vs-nightly', results: () => fixture('replay'), options: () => ({ baseline: fixture('nightly') }) },
] as const;

describe.each(scenarios)('golden files: $name', (scenario) => {
  it.each(REPORTER_NAMES)('%s', async (name) => {
    const files = REPORTERS[name](scenario.results(), scenario.options());
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      await expect(f.content).toMatchFileSnapshot(path.join(FIXTURES, 'golden', scenario.name, f.path));
    }
  });
});
