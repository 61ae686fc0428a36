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
}

export interface RunningApp {
  url: string;
  /** The production build's folder (a scratch folder, removed on stop); absent for the dev server. */
  distDir?: string;
  stop(): Promise<void>;
}

export async function startApp({ apiUrl, anonKey, port, production = false }: AppOptions): Promise<RunningApp> {
  const env = { ...process.env, VITE_SUPABASE_URL: apiUrl, VITE_SUPABASE_ANON_KEY: anonKey };
  // Vite reads VITE_* at build time, so a production build is made for this stack, in a scratch
  // folder so a developer's frontend/dist is left alone.
  const distDir = production ? mkdtempSync(join(tmpdir(), 'cairn-app-')) : undefined;
  if (distDir) {
    execFileSync('npx', ['vite', 'build', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: frontend,
      env,
      stdio: 'inherit',
    });
  }
  const serve = distDir ? ['preview', '--outDir', distDir] : ['serve'];
  const child: ChildProcess = spawn(
    'npx',
    ['vite', ...serve, '--port', String(port), '--strictPort', '--host', '127.0.0.1'],
    {
      cwd: frontend,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      `Vite on ${url}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`Vite exited (${child.exitCode}):\n${output}`);
        return (await fetch(url).catch(() => null))?.ok ?? false;
      },
      60_000,
    );
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
