/**
 * Starts a fresh test instance of the local stack (its own ports and data folder, so a
 * running `npm run dev` is never touched) and stops it afterwards. CAIRN_TEST_KEEP_STACK=1
 * reuses a running instance and leaves it running, for quick iteration.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { generateTypes, pristineTypesFile } from '../db-types.ts';
import { stackConfig } from '../stack/config.ts';
import { isRunning, startStack, stopStack } from '../stack/control.ts';

export default async function setup(): Promise<() => Promise<void>> {
  process.env.CAIRN_STACK ??= 'test';
  const config = stackConfig();
  const keep = process.env.CAIRN_TEST_KEEP_STACK === '1';
  if (keep && isRunning(config)) return async () => undefined;
  await stopStack(config);
  rmSync(config.dataDir, { recursive: true, force: true });
  const { ms } = await startStack(config);
  console.log(`test stack "${config.name}" started in ${ms} ms`);
  // Types of the database exactly as the migrations leave it, before any test adds fixtures.
  writeFileSync(pristineTypesFile(config), await generateTypes(config));
  return async () => {
    if (!keep) await stopStack(config);
  };
}
