/**
 * How much JavaScript the sign-in route ships (issue: the CRM web app; target ≤ 200 KB gzip).
 * Builds the app for production, serves it with `vite preview`, opens /sign-in in Chromium,
 * and adds up the gzip size of every script the page loaded before the form was ready — what a
 * first-time visitor downloads, not a guess from the build report.
 *   npx tsx scripts/bench/bundle.ts
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { waitFor } from '../stack/lib/wait.ts';

const root = join(import.meta.dirname, '..', '..');
const frontend = join(root, 'frontend');
const port = 4173;
const TARGET_KB = 200;

function build(): void {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: frontend,
    stdio: 'inherit',
    // The page is only loaded, never signed in: any API address will do.
    env: { ...process.env, VITE_SUPABASE_URL: 'http://127.0.0.1:54321', VITE_SUPABASE_ANON_KEY: 'bundle-benchmark' },
  });
}

async function scriptsLoadedBy(path: string): Promise<string[]> {
  const preview = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
    cwd: frontend,
    stdio: 'ignore',
    detached: true,
  });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const origin = `http://127.0.0.1:${port}`;
    await waitFor('vite preview', async () => (await fetch(origin).catch(() => null))?.ok ?? false, 30_000);
    const page = await browser.newPage();
    const scripts = new Set<string>();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.add(new URL(response.url()).pathname);
    });
    await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    return [...scripts];
  } finally {
    await browser.close();
    if (preview.pid) process.kill(-preview.pid, 'SIGTERM');
  }
}

async function main(): Promise<void> {
  build();
  const scripts = await scriptsLoadedBy('/sign-in');
  const sizes = scripts
    .map((path) => {
      const source = readFileSync(join(frontend, 'dist', path));
      return { path, raw: source.length, gzip: gzipSync(source).length };
    })
    .sort((a, b) => b.gzip - a.gzip);
  const kb = (bytes: number) => (bytes / 1024).toFixed(1).padStart(7);
  console.log('\nJavaScript loaded by /sign-in (production build):\n');
  console.log('   gzip KB     raw KB  file');
  for (const { path, raw, gzip } of sizes) console.log(`  ${kb(gzip)}    ${kb(raw)}  ${path}`);
  const total = sizes.reduce((sum, file) => sum + file.gzip, 0);
  const raw = sizes.reduce((sum, file) => sum + file.raw, 0);
  console.log(`  ${kb(total)}    ${kb(raw)}  total of ${sizes.length} files`);
  const verdict = total / 1024 <= TARGET_KB ? 'met' : 'MISSED';
  console.log(`\nSign-in route: ${(total / 1024).toFixed(1)} KB gzip (target ≤ ${TARGET_KB} KB): ${verdict}`);
}

await main();
