import { defineConfig } from 'vitest/config';

/**
 * Every test that needs a running Supabase: the local stack's contract tests, the database and
 * Edge Function tests in supabase/tests, and the browser tests. The global setup starts a fresh
 * `test` instance of the local stack; the few pure tests of the tooling run here too.
 */
export default defineConfig({
  test: {
    include: [
      'scripts/local-stack/tests/**/*.test.ts',
      'supabase/tests/**/*.test.ts',
      'scripts/e2e/**/*.test.ts',
      'scripts/{tools,data}/**/*.test.ts',
    ],
    globalSetup: ['scripts/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
