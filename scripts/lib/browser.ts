/**
 * The app in a real browser, outside any test runner: Debian's Chromium driven by
 * playwright-core, and the app served by Vite — the dev server, or a production build through
 * `vite preview` (what benchmarks and screenshots should see). Used by the browser tests, the
 * benchmarks and the docs' screenshots.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { waitFor } from '@cairn/local-stack/lib/wait.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const frontend = join(import.meta.dirname, '..', '..', 'frontend');

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface AppOptions {
  /** The stack the app talks to. */
  apiUrl: string;
  anonKey: string;
  port: number;
  /** Build for production and serve the build (`vite preview`) instead of the dev server. */
  production?: boolean;
  /** Serve this existing production build (made by `buildApp`, left in place on stop). */
  build?: string;
}

export interface RunningApp {
  url: string;
  /** The production build's folder (a scratch folder, removed on stop); absent for the dev server. */
  distDir?: string;
  stop(): Promise<void>;
}

const appEnv = (apiUrl: string, anonKey: string) => ({
  ...process.env,
  VITE_SUPABASE_URL: apiUrl,
  VITE_SUPABASE_ANON_KEY: anonKey,
});

/**
 * A production build of the app for one stack, into `outDir`. Vite reads VITE_* at build time, so
 * a build talks to the stack it was made for; a scratch folder leaves a developer's frontend/dist alone.
 */
export function buildApp({ apiUrl, anonKey, outDir }: { apiUrl: string; anonKey: string; outDir: string }): void {
  execFileSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: frontend,
    env: appEnv(apiUrl, anonKey),
    stdio: 'inherit',
  });
}

/**
 * Vite for the app in its own process group: `vite preview` of `build`, or the dev server. Its
 * output goes to `output` (a file descriptor, for a server that outlives its caller) or is piped.
 */
export function spawnVite(
  { apiUrl, anonKey, port, build }: Omit<AppOptions, 'production'>,
  output?: number,
): ChildProcess {
  const serve = build ? ['preview', '--outDir', build] : ['serve'];
  return spawn('npx', ['vite', ...serve, '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: frontend,
    env: appEnv(apiUrl, anonKey),
    stdio: ['ignore', output ?? 'pipe', output ?? 'pipe'],
    detached: true,
  });
}

/** Waits until Vite answers on `url`; fails at once with its output if it exits first. */
export function waitForVite(url: string, child: ChildProcess, output: () => string): Promise<void> {
  return waitFor(
    `Vite on ${url}`,
    async () => {
      if (child.exitCode !== null) throw new Error(`Vite exited (${child.exitCode}):\n${output()}`);
      return (await fetch(url).catch(() => null))?.ok ?? false;
    },
    60_000,
  );
}

export async function startApp({ apiUrl, anonKey, port, production = false, build }: AppOptions): Promise<RunningApp> {
  // A build of its own (removed on stop) unless one was handed over.
  const distDir = production && !build ? mkdtempSync(join(tmpdir(), 'cairn-app-')) : undefined;
  if (distDir) buildApp({ apiUrl, anonKey, outDir: distDir });
  const child = spawnVite({ apiUrl, anonKey, port, build: build ?? distDir });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForVite(url, child, () => output);
  } catch (error) {
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
    if (distDir) rmSync(distDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url,
    distDir,
    stop: async () => {
      if (child.pid && child.exitCode === null) {
        process.kill(-child.pid, 'SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
      if (distDir) rmSync(distDir, { recursive: true, force: true });
    },
  };
}
