import { defineConfig } from 'vitest/config';

// Integration suite: runs the real lab (Wine, unshare sandbox, QEMU). Needs the system packages
// that .ci/run installs; tests run one file at a time because they share the machine.
export default defineConfig({
  test: {
    include: ['test/**/*.integration.test.ts'],
    testTimeout: 900_000,
    hookTimeout: 900_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
