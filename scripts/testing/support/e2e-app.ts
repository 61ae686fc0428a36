/**
 * Where the browser tests' production build of the app lives for one test run: global-setup names
 * a fresh scratch folder (removed at the end of the run), the first browser test builds into it.
 * CAIRN_E2E_DEV_SERVER=1 serves the Vite dev server instead (to debug with source modules).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const E2E_APP_BUILD_ENV = 'CAIRN_E2E_APP_BUILD';

/** Names the run's build folder in the environment the test workers inherit; returns its cleanup. */
export function prepareE2eAppBuild(): () => void {
  if (process.env.CAIRN_E2E_DEV_SERVER === '1') {
    process.env[E2E_APP_BUILD_ENV] = '';
    return () => undefined;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'cairn-e2e-app-'));
  process.env[E2E_APP_BUILD_ENV] = outDir;
  return () => rmSync(outDir, { recursive: true, force: true });
}
