import { defineConfig } from 'vitest/config';

/**
 * Pure unit tests of the scripts (no stack): `npx vitest run --config scripts/tests/vitest.unit.config.ts`.
 * They also run under vitest.config.ts (its include covers them), just after a stack start they do not need.
 */
export default defineConfig({
  test: {
    include: ['scripts/tests/unit/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
