import { defineConfig } from 'vitest/config';

// Main suite: must pass on a fresh clone without ../shared and without Wine/QEMU.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/**/*.corpus.test.ts', 'test/**/*.integration.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    pool: 'forks',
  },
});
