/**
 * The shopper portal's journey in Chromium, with axe on every screen (issue 12): a visitor signs
 * up in two screens → confirms the address from the mail catcher and lands on My favourites →
 * hearts a product in the catalogue → chooses French for emails → the price drops →
 * check-alerts runs → the alert is in the inbox, in French → its unsubscribe link withdraws
 * consent → the portal shows it.
 *
 * The price drop is written to the variant directly (the same price_history trigger a Shopify
 * products/update webhook fires), not sent through the Shopify simulator.
 */
import type { Page } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { launchBrowser, startApp, type RunningApp } from '../testing/support/browser.ts';
import { adminSql, config, firstLink, mail, uniqueEmail } from '@cairn/local-stack/testing.ts';
import type { Browser } from 'playwright-core';

const NOON = '2030-01-15T12:00:00.000Z';

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of stream) text += String(chunk);
  return text;
}

async function expectAxeClean(page: Page, screen: string): Promise<void> {
  expect(await seriousViolations(page), screen).toEqual([]);
}

describe('the shopper portal (Chromium)', () => {
  let app: RunningApp;
  let browser: Browser;
  let title: string;
  let variantId: string;

  beforeAll(async () => {
    [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    title = `Silk scarf ${randomUUID().slice(0, 6)}`;
    const [{ id }] = await adminSql<{ id: string }>(
      `insert into public.products (title, status, source, vendor, tags) values ($1, 'active', 'manual', 'Maison Test', '{chic}') returning id`,
      [title],
    );
    [{ id: variantId }] = await adminSql<{ id: string }>(
      `insert into public.product_variants (product_id, price, currency, inventory_quantity) values ($1, 100, 'EUR', 5) returning id`,
      [id],
    );
    await adminSql(`select cron.alter_job(jobid, active := false) from cron.job where jobname = 'check-alerts'`);
  }, 120_000);
  afterAll(async () => {
    await adminSql(`select cron.alter_job(jobid, active := true) from cron.job where jobname = 'check-alerts'`);
    await browser?.close();
    await app?.stop();
  });

  it('signs up in two screens, hearts a product, gets the alert in French, unsubscribes', async () => {
    const email = uniqueEmail('portal');
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });

    // Screen 1: email, password, opt-ins.
    await page.goto(`${app.url}/portal/sign-up`);
    await page.getByRole('heading', { name: 'Create your account' }).waitFor();
    await expectAxeClean(page, 'sign-up 1');
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('short');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('alert').getByText('at least 12 characters').waitFor();
    await page.getByLabel('Password', { exact: true }).fill('Shopper-pass-2026');
    await page.getByLabel('Email me when my favourites drop in price').check();
    await page.getByRole('button', { name: 'Continue' }).click();

    // Screen 2: style interests and a brand from the autocomplete.
    await page.getByRole('heading', { name: 'Tell us about your style' }).waitFor();
    await page.getByRole('button', { name: 'Chic' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Chic' }).getAttribute('aria-pressed')).toBe('true');
    await page.getByLabel('Favourite brands').fill('Maison T');
    await page.getByRole('button', { name: 'Maison Test' }).click();
    await expectAxeClean(page, 'sign-up 2');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    await expectAxeClean(page, 'check your inbox');

    // The confirmation link lands on My favourites, linked to a new customer.
    const confirmation = await mail.waitFor(email);
    await page.goto(firstLink(confirmation));
    await page.waitForURL(/\/portal\/favourites$/, { timeout: 15_000 });
    await page.getByText('No favourites yet').waitFor();
    await expectAxeClean(page, 'favourites (empty)');
    const [customer] = await adminSql<{ id: string; style_interests: string[]; favourite_brands: string[] }>(
      `select id, style_interests, favourite_brands from public.customers where email = $1`,
      [email],
    );
    expect(customer).toMatchObject({ style_interests: ['chic'], favourite_brands: ['Maison Test'] });

    // The heart in the catalogue.
    await page.getByRole('link', { name: 'Catalogue', exact: true }).click();
    await page.getByLabel('Search').fill(title);
    await page.getByText('Products shown: 1').waitFor();
    const heart = page.getByRole('button', { name: `Save to favourites: ${title}` });
    await heart.waitFor();
    expect(await heart.getAttribute('aria-pressed')).toBe('false');
    await expectAxeClean(page, 'catalogue');
    await heart.click();
    await expect.poll(() => heart.getAttribute('aria-pressed')).toBe('true');
    await expect
      .poll(async () => (await adminSql('select 1 from public.favorites where customer_id = $1', [customer.id])).length)
      .toBe(1);

    // Emails in French, from the alert preferences.
    await page.getByRole('link', { name: 'Alerts & emails' }).click();
    await page.getByLabel('Language of my emails').selectOption('fr');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Your choices are saved.').waitFor();
    await expectAxeClean(page, 'alerts');
    expect(await page.getByLabel('Email me when my favourites drop in price or are back in stock.').isChecked()).toBe(
      true,
    );

    // The price drops; check-alerts sends the email in the shopper's language.
    await adminSql('update public.product_variants set price = 80 where id = $1', [variantId]);
    const run = await fetch(`${config.apiUrl}/functions/v1/check-alerts`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${config.serviceRoleKey}`,
        apikey: config.serviceRoleKey,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ now: NOON }),
    });
    expect(run.status).toBe(200);
    const alert = await mail.waitFor(email, (message) => message.subject.includes('80,00'));
    expect(alert.subject).toContain('est à 80,00');

    // Its one-click unsubscribe withdraws the alerts consent; the portal shows it.
    const unsubscribe = (alert.html ?? '')
      .match(/href="([^"]*\/unsubscribe\?token=[^"]+)"/)?.[1]
      ?.replace(/&amp;/g, '&');
    expect(unsubscribe).toBeTruthy();
    expect((await fetch(unsubscribe ?? '', { method: 'POST' })).status).toBe(200);
    await page.reload();
    const consent = page.getByLabel('Email me when my favourites drop in price or are back in stock.');
    await consent.waitFor();
    await expect.poll(() => consent.isChecked()).toBe(false);

    // My favourites: saved at 100, now 80, −20 %.
    await page.getByRole('link', { name: 'My favourites', exact: true }).click();
    await page.getByText('Saved at €100.00').waitFor();
    await page.getByText('Now €80.00').waitFor();
    await page.getByText('-20%').waitFor();
    await expectAxeClean(page, 'favourites');

    // My data: the JSON download, and a deletion request with its 30-day clock (asked twice: one).
    await page.getByRole('link', { name: 'Account' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download my data (JSON)' }).click(),
    ]);
    const exported = JSON.parse(await streamText(await download.createReadStream())) as {
      profile: { email: string };
      favourites: Array<{ product: string }>;
    };
    expect(exported.profile.email).toBe(email);
    expect(exported.favourites.map((item) => item.product)).toEqual([title]);
    await page.getByRole('button', { name: 'Ask for my data to be deleted' }).click();
    await page.getByRole('button', { name: 'Yes, delete my data' }).click();
    await page.getByText(/You asked for deletion on .+ We will complete it by/).waitFor();
    await expectAxeClean(page, 'account');
    const requests = await adminSql<{ kind: string; days: number }>(
      `select kind, extract(day from due_at - requested_at)::int as days from public.privacy_requests
       where customer_id = $1 order by kind`,
      [customer.id],
    );
    expect(requests).toEqual([
      { kind: 'access', days: 30 },
      { kind: 'erasure', days: 30 },
    ]);
    await page.close();
  }, 120_000);
});
