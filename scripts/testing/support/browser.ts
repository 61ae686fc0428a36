/**
 * Browser tests: Debian's Chromium driven by playwright-core, against the app served by Vite
 * and pointed at the test stack.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, startApp as startAppOn, type RunningApp } from '../../lib/browser.ts';
import { createTeamMember, type AppUser } from './app-user.ts';
import { config } from '@cairn/local-stack/testing.ts';

export { CHROMIUM, launchBrowser, type RunningApp } from '../../lib/browser.ts';

/** The app's Vite dev server on its own port, talking to the test stack. */
export function startApp(port = config.ports.api + 80): Promise<RunningApp> {
  return startAppOn({ apiUrl: config.apiUrl, anonKey: config.anonKey, port });
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
