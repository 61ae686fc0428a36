/**
 * Browser tests: Debian's Chromium driven by playwright-core, against the app served by Vite
 * (the run's shared production build, see e2e-app.ts) and pointed at the test stack.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, startApp as startAppOn, type RunningApp } from '../../lib/browser.ts';
import { createTeamMember, type AppUser } from './app-user.ts';
import { E2E_APP_BUILD_ENV, sharedAppUrl } from './e2e-app.ts';
import { config } from '@cairn/local-stack/testing.ts';

export { CHROMIUM, launchBrowser, type RunningApp } from '../../lib/browser.ts';

/**
 * The app on its own port, talking to the test stack: the run's shared production build and server
 * (see e2e-app.ts; stopping it is the run's business), or a Vite dev server of the file's own.
 */
export async function startApp(port = config.ports.api + 80): Promise<RunningApp> {
  const runDir = process.env[E2E_APP_BUILD_ENV];
  if (!runDir) return startAppOn({ apiUrl: config.apiUrl, anonKey: config.anonKey, port });
  const url = await sharedAppUrl(runDir, { apiUrl: config.apiUrl, anonKey: config.anonKey, port });
  return { url, stop: async () => undefined };
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

/** Fills and submits the sign-in form; waits for nothing after (a shell, an MFA challenge, an error). */
export async function submitSignIn(
  page: Page,
  appUrl: string,
  credentials: { email: string; password: string },
): Promise<void> {
  await page.goto(`${appUrl}/sign-in`);
  await page.getByLabel('Email').fill(credentials.email);
  await page.getByLabel('Password').fill(credentials.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Signs the member in and waits until the shell's user menu shows their name. */
export async function signIn(page: Page, appUrl: string, member: AppUser): Promise<void> {
  await submitSignIn(page, appUrl, member);
  await page.getByRole('button', { name: new RegExp(member.fullName) }).waitFor({ timeout: 15_000 });
}

/** A new page, with a browser context (so a session) of its own, signed in as the member. */
export async function signedInPage(
  browser: Browser,
  appUrl: string,
  member: AppUser,
  viewport = { width: 1280, height: 900 },
): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await signIn(page, appUrl, member);
  return page;
}
