/**
 * The app the browser tests of one run share: global-setup names a fresh scratch folder (removed at
 * the end of the run); the first browser test builds the app into it and starts one `vite preview`
 * of that build, which every later test file of the run reuses and the global teardown stops. One
 * build and one server per run instead of a Vite process (and its start-up) per file.
 * CAIRN_E2E_DEV_SERVER=1 serves the Vite dev server per file instead (to debug with source modules).
 */
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, spawnVite, waitForVite } from '../../lib/browser.ts';

export const E2E_APP_BUILD_ENV = 'CAIRN_E2E_APP_BUILD';

const files = (runDir: string, port: number) => ({
  build: join(runDir, 'dist'),
  pid: join(runDir, `preview-${port}.pid`),
  log: join(runDir, `preview-${port}.log`),
});

/** Names the run's folder in the environment the test workers inherit; returns its cleanup. */
export function prepareE2eAppBuild(): () => void {
  if (process.env.CAIRN_E2E_DEV_SERVER === '1') {
    process.env[E2E_APP_BUILD_ENV] = '';
    return () => undefined;
  }
  const runDir = mkdtempSync(join(tmpdir(), 'cairn-e2e-app-'));
  process.env[E2E_APP_BUILD_ENV] = runDir;
  return () => {
    for (const name of readdirSync(runDir).filter((file) => file.endsWith('.pid'))) {
      try {
        process.kill(-Number(readFileSync(join(runDir, name), 'utf8')), 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    rmSync(runDir, { recursive: true, force: true });
  };
}

/**
 * The URL of the run's shared app server, started (and the app built) on first use. The server
 * lives in its own process group with its output in a file, so it outlives the test file that
 * started it; the pid file in the run's folder (one per port) tells later files it is theirs to reuse.
 */
export async function sharedAppUrl(runDir: string, stack: { apiUrl: string; anonKey: string; port: number }) {
  const { build, pid, log } = files(runDir, stack.port);
  const url = `http://127.0.0.1:${stack.port}`;
  if (existsSync(pid)) return url;
  if (!existsSync(join(build, 'index.html'))) buildApp({ apiUrl: stack.apiUrl, anonKey: stack.anonKey, outDir: build });
  const output = openSync(log, 'a');
  const child = spawnVite({ ...stack, build }, output);
  closeSync(output);
  child.unref();
  try {
    await waitForVite(url, child, () => readFileSync(log, 'utf8'));
  } catch (error) {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    throw error;
  }
  writeFileSync(pid, String(child.pid));
  return url;
}
