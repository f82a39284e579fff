import { defineConfig } from 'vitest/config';

// Corpus suite: reads real third-party data from ../shared/external (never copied into the repo).
// test/support/corpus.ts makes it fail, not skip, when CI=true and the folder is missing.
export default defineConfig({
  test: {
    include: ['test/**/*.corpus.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['test/support/corpus-setup.ts'],
  },
});
