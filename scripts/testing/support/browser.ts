/**
 * Browser tests: Debian's Chromium driven by playwright-core, against the app served by Vite
 * (a production build, see `sharedBuild`) and pointed at the test stack.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, launchBrowser, startApp as startAppOn, type RunningApp } from '../../lib/browser.ts';
import { createTeamMember, type AppUser } from './app-user.ts';
import { E2E_APP_BUILD_ENV } from './e2e-app.ts';
import { config } from '@cairn/local-stack/testing.ts';

export { CHROMIUM, launchBrowser, type RunningApp } from '../../lib/browser.ts';

/**
 * The run's production build of the app (the folder global-setup names), made by the first browser
 * test that needs it and served to every later one: one build instead of a Vite dev server
 * transforming the app again for each file. Without the folder (CAIRN_E2E_DEV_SERVER=1): undefined.
 */
function sharedBuild(): string | undefined {
  const outDir = process.env[E2E_APP_BUILD_ENV];
  if (!outDir) return undefined;
  if (!existsSync(join(outDir, 'index.html'))) buildApp({ apiUrl: config.apiUrl, anonKey: config.anonKey, outDir });
  return outDir;
}

/** The app on its own port, talking to the test stack: the run's production build, or the Vite dev server. */
export function startApp(port = config.ports.api + 80): Promise<RunningApp> {
  return startAppOn({ apiUrl: config.apiUrl, anonKey: config.anonKey, port, build: sharedBuild() });
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
