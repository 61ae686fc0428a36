/**
 * Browser tests: Debian's Chromium driven by playwright-core, against the app served by Vite
 * and pointed at the test stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { waitFor } from '../../stack/lib/wait.ts';
import { config } from './stack.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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

export interface RunningApp {
  url: string;
  stop(): Promise<void>;
}

/** The app's Vite dev server on its own port, talking to the test stack. */
export async function startApp(port = config.ports.api + 80): Promise<RunningApp> {
  const child: ChildProcess = spawn('npx', ['vite', '--port', String(port), '--strictPort', '--host', '127.0.0.1'], {
    cwd: `${config.root}/frontend`,
    env: { ...process.env, VITE_SUPABASE_URL: config.apiUrl, VITE_SUPABASE_ANON_KEY: config.anonKey },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
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
    throw error;
  }
  return {
    url,
    stop: async () => {
      if (child.pid && child.exitCode === null) {
        process.kill(-child.pid, 'SIGTERM');
        await new Promise((resolve) => child.once('exit', resolve));
      }
    },
  };
}
