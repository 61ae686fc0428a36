/**
 * Browser tests: Debian's Chromium driven by playwright-core, against the app served by Vite
 * and pointed at the test stack.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createTeamMember, type AppUser } from './app-user.ts';
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

export interface BrowserApp {
  app: RunningApp;
  browser: Browser;
  member: AppUser;
}

/**
 * For a browser test file: a team member who can sign in, the app on Vite and Chromium, all
 * ready before the tests and closed after them. Read the fields inside tests, not at import.
 */
export function useBrowserApp(member: Parameters<typeof createTeamMember>[0] = {}): BrowserApp {
  const context = {} as BrowserApp;
  beforeAll(async () => {
    [context.member, context.app, context.browser] = await Promise.all([
      createTeamMember(member),
      startApp(),
      launchBrowser(),
    ]);
  }, 90_000);
  afterAll(async () => {
    await context.browser?.close();
    await context.app?.stop();
  });
  return context;
}
