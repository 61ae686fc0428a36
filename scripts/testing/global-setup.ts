/**
 * Starts a fresh test instance of the local stack (its own ports and data folder, so a
 * running `npm run dev` is never touched) and stops it afterwards. CAIRN_TEST_KEEP_STACK=1
 * reuses a running instance and leaves it running, for quick iteration.
 *
 * The shared test instance runs auth's per-address rate limits at TEST_AUTH_RATE_LIMIT_FACTOR ×
 * config.toml's: every test signs in from 127.0.0.1, hundreds of times a run. The limits stay
 * on (per-account limits and OTP invalidation unchanged); auth-rate-limit.test.ts proves
 * config.toml's own values on an instance of its own.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateSchema, generateTypes, pristineSchemaFile, pristineTypesFile } from '../tools/db-types.ts';
import { RATE_LIMIT_FACTOR_ENV } from '@cairn/local-stack/auth/rate-limit.ts';
import { stackConfig, TEST_FUNCTIONS_DIR_ENV } from '@cairn/local-stack/config.ts';
import { prepareE2eAppBuild } from './support/e2e-app.ts';
import { isRunning, readState, startStack, stopStack } from '@cairn/local-stack/control.ts';

const TEST_AUTH_RATE_LIMIT_FACTOR = '100';
/** Test-only functions (`hello`): served by the test instance, never by dev, never deployed. */
const TEST_FUNCTIONS_DIR = fileURLToPath(new URL('./fixtures/functions', import.meta.url));

export default async function setup(): Promise<() => Promise<void>> {
  process.env.CAIRN_STACK ??= 'test';
  process.env[RATE_LIMIT_FACTOR_ENV] ??= TEST_AUTH_RATE_LIMIT_FACTOR;
  process.env[TEST_FUNCTIONS_DIR_ENV] ??= TEST_FUNCTIONS_DIR;
  const config = stackConfig();
  const removeAppBuild = prepareE2eAppBuild();
  const keep = process.env.CAIRN_TEST_KEEP_STACK === '1';
  if (keep && isRunning(config)) {
    const state = readState(config);
    if (
      state?.authRateLimitFactor === Number(process.env[RATE_LIMIT_FACTOR_ENV]) &&
      state.testFunctionsDir === config.testFunctionsDir
    )
      return async () => removeAppBuild();
    // Started without the test settings (`supabase:start`): restart it with them, keeping its data.
    console.log(`restarting "${config.name}" with the test rate limits and test-only functions`);
    await stopStack(config);
    await startStack(config);
    return async () => removeAppBuild();
  }
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  const { ms } = await startStack(config);
  console.log(`test stack "${config.name}" started in ${ms} ms`);
  // Types and schema of the database exactly as the migrations leave it, before any test adds fixtures.
  writeFileSync(pristineTypesFile(config), await generateTypes(config));
  writeFileSync(pristineSchemaFile(config), await generateSchema(config));
  return async () => {
    removeAppBuild();
    if (!keep) await stopStack(config);
  };
}
