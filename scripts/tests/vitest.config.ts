import { defineConfig } from 'vitest/config';

/** Contract tests of the local stack (and later the database), against a real running instance. */
export default defineConfig({
  test: {
    include: ['scripts/tests/**/*.test.ts'],
    globalSetup: ['scripts/tests/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
