/**
 * How much JavaScript the sign-in route ships (issue: the CRM web app; target ≤ 200 KB gzip), and
 * the shopper portal's first load (issue 12: ≤ 120 KB gzip, its own entry).
 * Builds the app for production, serves it with `vite preview`, opens /sign-in in Chromium,
 * and adds up the gzip size of every script the page loaded before the form was ready — what a
 * first-time visitor downloads, not a guess from the build report.
 *   npx tsx scripts/bench/bundle.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchBrowser, startApp } from '../lib/browser.ts';

const TARGET_KB = 200;
/** The shopper portal's first load, and the storefront heart script (issue 12). */
const PORTAL_TARGET_KB = 120;
const HEART_TARGET_KB = 5;

/** The gzip size of every script a first visit to each page loads, largest first. */
async function scriptsLoadedBy(paths: string[]): Promise<Array<Array<{ path: string; raw: number; gzip: number }>>> {
  // The page is only loaded, never signed in: any API address will do.
  const app = await startApp({
    apiUrl: 'http://127.0.0.1:54321',
    anonKey: 'bundle-benchmark',
    port: 4173,
    production: true,
  });
  const browser = await launchBrowser();
  try {
    const results = [];
    for (const path of paths) {
      // A new context each time: nothing cached from the previous page.
      const context = await browser.newContext();
      const page = await context.newPage();
      const scripts = new Set<string>();
      page.on('response', (response) => {
        if (response.request().resourceType() === 'script') scripts.add(new URL(response.url()).pathname);
      });
      await page.goto(`${app.url}${path}`, { waitUntil: 'networkidle' });
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      const dist = app.distDir ?? '';
      results.push(
        [...scripts]
          .map((script) => {
            const source = readFileSync(join(dist, script));
            return { path: script, raw: source.length, gzip: gzipSync(source).length };
          })
          .sort((a, b) => b.gzip - a.gzip),
      );
      await context.close();
    }
    return results;
  } finally {
    await browser.close();
    await app.stop();
  }
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(7);

function report(title: string, sizes: Array<{ path: string; raw: number; gzip: number }>): number {
  console.log(`\n${title}:\n`);
  console.log('   gzip KB     raw KB  file');
  for (const { path, raw, gzip } of sizes) console.log(`  ${kb(gzip)}    ${kb(raw)}  ${path}`);
  const total = sizes.reduce((sum, file) => sum + file.gzip, 0);
  const raw = sizes.reduce((sum, file) => sum + file.raw, 0);
  console.log(`  ${kb(total)}    ${kb(raw)}  total of ${sizes.length} files`);
  return total / 1024;
}

async function main(): Promise<void> {
  const [app, portal] = await scriptsLoadedBy(['/sign-in', '/portal/sign-in']);
  const portalKb = report('JavaScript loaded by the shopper portal, /portal/sign-in (production build)', portal);
  const appKb = report('JavaScript loaded by /sign-in (production build)', app);
  const verdict = (value: number, target: number) => (value <= target ? 'met' : 'MISSED');
  // heart.js ships as it is (frontend/public): what a storefront downloads is this file, gzipped.
  const heart = readFileSync(join(import.meta.dirname, '../../frontend/public/heart.js'));
  const heartKb = gzipSync(heart).length / 1024;
  console.log(
    `\nheart.js: ${heartKb.toFixed(1)} KB gzip, ${(heart.length / 1024).toFixed(1)} KB raw (target ≤ ${HEART_TARGET_KB} KB): ${verdict(heartKb, HEART_TARGET_KB)}`,
  );
  console.log(
    `\nPortal first load: ${portalKb.toFixed(1)} KB gzip (target ≤ ${PORTAL_TARGET_KB} KB): ${verdict(portalKb, PORTAL_TARGET_KB)}`,
  );
  console.log(`\nSign-in route: ${appKb.toFixed(1)} KB gzip (target ≤ ${TARGET_KB} KB): ${verdict(appKb, TARGET_KB)}`);
}

await main();
