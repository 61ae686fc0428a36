/**
 * heart.js on a storefront page (Chromium): each mount becomes a button with aria-pressed and a
 * label in the page's language, its state comes from the App Proxy, a click (or Enter) toggles it
 * through the proxy, a failure puts it back, and a visitor who is not logged in is sent to the
 * sign-up. The proxy is played by the test (page.route): the function behind it, with Shopify's
 * signature, is tested in supabase/tests/functions/storefront-favorite.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { launchBrowser } from '../testing/support/browser.ts';

const heartJs = readFileSync(join(import.meta.dirname, '../../frontend/public/heart.js'), 'utf8');
const SHOP = 'https://demo-shop.example';

function storefront(lang: string) {
  return `<!doctype html><html lang="${lang}"><head><title>Shop</title></head><body><main>
    <h1>Bags</h1>
    <article><h2>Tote</h2><span data-cairn-heart data-variant-id="111" data-product-title="Tote"></span></article>
    <article><h2>Clutch</h2><span data-cairn-heart data-variant-id="222" data-product-title="Clutch"></span></article>
    <script src="/heart.js" data-proxy="/apps/cairn" data-signup-url="${SHOP}/signup"></script>
  </main></body></html>`;
}

async function open(
  browser: Browser,
  lang: string,
  proxy: (url: URL) => { status: number; body: unknown },
): Promise<{
  page: Page;
  requests: URL[];
}> {
  const page = await browser.newPage();
  const requests: URL[] = [];
  await page.route(`${SHOP}/**`, async (route: Route) => {
    const url = new URL(route.request().url());
    if (url.pathname === '/heart.js') return route.fulfill({ body: heartJs, contentType: 'text/javascript' });
    if (url.pathname === '/apps/cairn') {
      requests.push(url);
      const { status, body } = proxy(url);
      return route.fulfill({ status, body: JSON.stringify(body), contentType: 'application/json' });
    }
    if (url.pathname === '/signup')
      return route.fulfill({
        body: '<html lang="en"><title>Sign up</title><h1>Sign up</h1></html>',
        contentType: 'text/html',
      });
    return route.fulfill({ body: storefront(lang), contentType: 'text/html' });
  });
  await page.goto(`${SHOP}/collections/bags`);
  return { page, requests };
}

describe('heart.js on a storefront (Chromium)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('shows the saved state, toggles with a click or the keyboard, in the page language', async () => {
    let failNext = false;
    const { page, requests } = await open(browser, 'de', (url) => {
      if (url.searchParams.has('variants'))
        return { status: 200, body: { signed_in: true, known_customer: true, favourites: [222] } };
      if (failNext) return { status: 500, body: {} };
      return { status: 200, body: { signed_in: true, known_customer: true, favourites: [] } };
    });
    const tote = page.getByRole('button', { name: 'In Favoriten speichern: Tote' });
    const clutch = page.getByRole('button', { name: 'In Favoriten speichern: Clutch' });
    await expect.poll(() => clutch.getAttribute('aria-pressed')).toBe('true');
    expect(await tote.getAttribute('aria-pressed')).toBe('false');
    expect(requests[0].searchParams.get('variants')).toBe('111,222');
    expect(await seriousViolations(page)).toEqual([]);

    await tote.click();
    await expect.poll(() => tote.getAttribute('aria-pressed')).toBe('true');
    // Each answer is announced: wait for it, so the next step does not race the request.
    await page.getByRole('status').getByText('Gespeichert').waitFor();
    const set = requests.at(-1);
    expect([set?.searchParams.get('variant'), set?.searchParams.get('favourite')]).toEqual(['111', 'true']);

    await tote.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => tote.getAttribute('aria-pressed')).toBe('false');
    await page.getByRole('status').getByText('Entfernt').waitFor();

    failNext = true;
    await page.keyboard.press('Space');
    await page.getByRole('status').getByText('Speichern fehlgeschlagen').waitFor();
    expect(await tote.getAttribute('aria-pressed')).toBe('false');
    await page.close();
  });

  it('sends a visitor who is not logged in to the sign-up', async () => {
    const { page, requests } = await open(browser, 'en', () => ({
      status: 200,
      body: { signed_in: false, signup_url: null, favourites: [] },
    }));
    await expect.poll(() => requests.length).toBe(1);
    await page.getByRole('button', { name: 'Save to favourites: Tote' }).click();
    await page.waitForURL(`${SHOP}/signup?variant=111`);
    expect(requests).toHaveLength(1);
    await page.close();
  });
});
