/**
 * Settings pages in Chromium against the local stack (issue 4): no serious or critical axe
 * violations on any of them (dialogs open included), every page usable at phone width, the
 * real database behind the forms, and members who are not admins offered no admin actions.
 */
import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTeamMember, type AppUser } from '../testing/support/app-user.ts';
import { seriousViolations } from '../testing/support/axe.ts';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { uniqueTag } from '../testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

async function signedInPage(browser: Browser, url: string, person: AppUser): Promise<Page> {
  const page = await browser.newPage();
  await signIn(page, url, person);
  return page;
}

async function open(page: Page, url: string, path: string, heading: string): Promise<void> {
  await page.goto(`${url}${path}`);
  await page.getByRole('heading', { name: heading, level: 1 }).waitFor({ timeout: 10_000 });
  // Wait for the data, not the skeleton: axe should judge the page people use. Only the page's
  // own: the top bar's bell keeps a live region (role status) on every page.
  await page
    .getByRole('main')
    .getByRole('status')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
}

// Each test loads several pages in Chromium on a small shared machine (the first also runs axe
// eight times): above the 30 s default.
const BROWSER_TEST_TIMEOUT = 120_000;

describe('settings (Chromium)', () => {
  const ctx = useBrowserApp({ role: 'admin', fullName: 'Adele Admin' });
  let readonly: AppUser;
  let manager: AppUser;

  beforeAll(async () => {
    [readonly, manager] = await Promise.all([
      createTeamMember({ role: 'readonly', fullName: 'Rory Readonly' }),
      createTeamMember({ role: 'manager', fullName: 'Mina Manager' }),
    ]);
    // An affiliate feed whose last import refused a row (issue 12): the feeds page shows its table.
    await adminSql(
      `with feed as (
         insert into public.affiliate_feeds (network, feed_url, format, active)
         values ($1, 'https://feeds.example/outdoor.csv', 'csv', false) returning id
       )
       insert into public.affiliate_feed_runs (feed_id, status, finished_at, rows_total, rows_created, rows_rejected)
       select id, 'succeeded', now(), 3, 2, 1 from feed`,
      [`Outdoor network ${uniqueTag()}`],
    );
  });

  it(
    'has no serious or critical accessibility violations on any settings page',
    async () => {
      const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
      const pages: Array<[string, string, string]> = [
        ['/settings', 'Settings', 'Team'],
        ['/settings/team', 'Team', 'Invite member'],
        ['/settings/tags', 'Tags', 'New tag'],
        ['/settings/custom-fields', 'Custom fields', 'New field'],
        ['/settings/workspace', 'Workspace', 'Save changes'],
        ['/settings/affiliate-feeds', 'Affiliate feeds', 'Add feed'],
      ];
      for (const [path, heading, ready] of pages) {
        await open(page, ctx.app.url, path, heading);
        await page
          .getByRole(path === '/settings' ? 'link' : 'button', { name: ready })
          .first()
          .waitFor();
        expect(await seriousViolations(page), path).toEqual([]);
      }
      // And with each form dialog open.
      for (const [path, heading, button] of [
        ['/settings/team', 'Team', 'Invite member'],
        ['/settings/tags', 'Tags', 'New tag'],
        ['/settings/custom-fields', 'Custom fields', 'New field'],
      ]) {
        await open(page, ctx.app.url, path, heading);
        await page.getByRole('button', { name: button }).first().click();
        await page.getByRole('dialog').waitFor();
        expect(await seriousViolations(page), `${path} dialog`).toEqual([]);
        await page.keyboard.press('Escape');
        await page.getByRole('dialog').waitFor({ state: 'detached' });
      }
      await page.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'creates, recolours and deletes a tag against the real database, saying how many customers carry it',
    async () => {
      const name = `Loyal ${uniqueTag()}`;
      const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
      await open(page, ctx.app.url, '/settings/tags', 'Tags');
      await page.getByRole('button', { name: 'New tag' }).first().click();
      const form = page.getByRole('form', { name: 'New tag' });
      await form.getByLabel('Name').fill(name);
      await form.getByRole('button', { name: 'Use colour #7c3aed' }).click();
      await form.getByLabel('Name').press('Enter');
      await page.getByText(`Tag “${name}” created`).waitFor({ timeout: 10_000 });
      const [tag] = await adminSql<{ id: string; colour: string }>(
        `select id, colour from public.tags where name = $1`,
        [name],
      );
      expect(tag.colour).toBe('#7c3aed');

      const customers = await adminSql<{ id: string }>(`select id from public.customers order by id limit 3`);
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) select unnest($1::uuid[]), $2`, [
        customers.map((customer) => customer.id),
        tag.id,
      ]);
      await page.reload();
      const row = page.getByRole('row', { name: new RegExp(name) });
      await row.getByRole('cell', { name: String(customers.length), exact: true }).waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: `Delete tag ${name}` }).click();
      const dialog = page.getByRole('dialog', { name: `Delete the tag “${name}”?` });
      await dialog.getByText(`It is on ${customers.length} customers, who will all lose it.`).waitFor();
      await dialog.getByRole('button', { name: 'Delete tag' }).click();
      await page.getByText(`Tag “${name}” deleted`).waitFor({ timeout: 10_000 });
      expect(await adminSql(`select 1 from public.tags where id = $1`, [tag.id])).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'defines a choice field, and archives it when the database refuses to delete a field in use',
    async () => {
      const label = `Tier ${uniqueTag()}`;
      const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
      await open(page, ctx.app.url, '/settings/custom-fields', 'Custom fields');
      await page.getByRole('button', { name: 'New field' }).first().click();
      const form = page.getByRole('form', { name: 'New custom field' });
      await form.getByLabel('Label').fill(label);
      await form.getByLabel('Type').selectOption({ label: 'Choice (one)' });
      await form.getByLabel('Options').fill('Bronze\nSilver\nGold');
      await form.getByRole('button', { name: 'Create field' }).click();
      await page.getByText(`Field “${label}” created`).waitFor({ timeout: 10_000 });
      const key = label.toLowerCase().replace(/ /g, '_');
      const [field] = await adminSql<{ id: string; type: string; options: string[] }>(
        `select id, type, options from public.custom_field_definitions where key = $1`,
        [key],
      );
      expect(field).toMatchObject({ type: 'select', options: ['Bronze', 'Silver', 'Gold'] });

      // A customer holds a value: the database refuses the deletion, and the page says what to do.
      const [customer] = await adminSql<{ id: string }>(`select id from public.customers order by id limit 1`);
      await adminSql(
        `update public.customers set custom_fields = custom_fields || jsonb_build_object($1::text, 'Gold') where id = $2`,
        [key, customer.id],
      );
      await page.getByRole('button', { name: `Delete field ${label}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await page.getByText('Customers have values for this field, so it cannot be deleted.', { exact: false }).waitFor({
        timeout: 10_000,
      });

      await page.getByRole('button', { name: `Edit field ${label}` }).click();
      const edit = page.getByRole('form', { name: 'Edit custom field' });
      await edit.getByRole('checkbox', { name: 'Active' }).uncheck();
      await edit.getByRole('button', { name: 'Save changes' }).click();
      await page
        .getByRole('row', { name: new RegExp(label) })
        .getByText('Archived')
        .waitFor({ timeout: 10_000 });
      const [archived] = await adminSql<{ active: boolean }>(
        `select active from public.custom_field_definitions where id = $1`,
        [field.id],
      );
      expect(archived.active).toBe(false);
      await adminSql(`update public.customers set custom_fields = custom_fields - $1::text where id = $2`, [
        key,
        customer.id,
      ]);
      await page.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'saves the workspace settings to the database',
    async () => {
      const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
      await open(page, ctx.app.url, '/settings/workspace', 'Workspace');
      const [before] = await adminSql<{ default_language: string }>(
        `select default_language from public.workspace_settings`,
      );
      try {
        await page.getByLabel('Default language').selectOption('fr');
        await page.getByRole('button', { name: 'Save changes' }).click();
        await page.getByText('Workspace settings saved').waitFor({ timeout: 10_000 });
        const [after] = await adminSql<{ default_language: string }>(
          `select default_language from public.workspace_settings`,
        );
        expect(after.default_language).toBe('fr');
      } finally {
        await adminSql(`update public.workspace_settings set default_language = $1`, [before.default_language]);
        await page.close();
      }
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows an admin every scheduled job, a failed run with its error, accessibly and at phone width',
    async () => {
      const probe = `e2e-probe-${uniqueTag()}`;
      const [{ jobid }] = await adminSql<{ jobid: string }>(
        `select cron.schedule($1, '0 0 1 1 *', 'select 1') as jobid`,
        [probe],
      );
      // A run as pg_cron records one that failed (the schedule itself never fires during the test).
      await adminSql(
        `insert into cron.job_run_details (jobid, database, username, command, status, return_message, start_time, end_time)
         values ($1, 'postgres', 'postgres', 'select 1', 'failed', 'ERROR:  the probe failed on purpose', now(), now())`,
        [jobid],
      );
      const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
      try {
        await open(page, ctx.app.url, '/settings/scheduled-jobs', 'Scheduled jobs');
        const table = page.getByRole('table', { name: 'Scheduled jobs' });
        await table.waitFor({ timeout: 10_000 });
        await table.getByRole('row', { name: /check-alerts/ }).waitFor();
        const failed = table.getByRole('row', { name: new RegExp(probe) });
        await failed.getByText('Failed', { exact: true }).waitFor();
        await failed.getByText('ERROR:  the probe failed on purpose').waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await page.setViewportSize({ width: 375, height: 740 });
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow).toBeLessThanOrEqual(0);
      } finally {
        await page.close();
        await adminSql(`select cron.unschedule($1::bigint)`, [jobid]);
      }
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'keeps every settings page within a phone-width screen',
    async () => {
      const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
      await page.setViewportSize({ width: 375, height: 740 });
      for (const [path, heading] of [
        ['/settings/team', 'Team'],
        ['/settings/tags', 'Tags'],
        ['/settings/custom-fields', 'Custom fields'],
        ['/settings/workspace', 'Workspace'],
      ]) {
        await open(page, ctx.app.url, path, heading);
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow, path).toBeLessThanOrEqual(0);
      }
      await page.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'shows a read-only member the team and tags without any admin action, and nothing else',
    async () => {
      const page = await signedInPage(ctx.browser, ctx.app.url, readonly);
      await open(page, ctx.app.url, '/settings', 'Settings');
      const cards = page.getByRole('list').last().getByRole('link');
      await cards.first().waitFor();
      expect(await cards.allTextContents()).toEqual([
        expect.stringMatching(/^Profile/),
        expect.stringMatching(/^Team/),
        expect.stringMatching(/^Tags/),
      ]);

      await open(page, ctx.app.url, '/settings/team', 'Team');
      await page.getByRole('table', { name: 'Team members' }).waitFor({ timeout: 10_000 });
      await page.getByRole('row', { name: new RegExp(ctx.member.email) }).waitFor();
      expect(await page.getByRole('button', { name: 'Invite member' }).count()).toBe(0);
      expect(await page.getByRole('combobox').count()).toBe(0);
      expect(await page.getByRole('button', { name: /^Deactivate/ }).count()).toBe(0);

      await open(page, ctx.app.url, '/settings/tags', 'Tags');
      await page.getByText('Only admins and managers can rename').waitFor();
      expect(await page.getByRole('button', { name: /New tag|Edit tag|Delete tag/ }).count()).toBe(0);

      // Typing the address of an admin page explains rather than showing a form that would fail.
      await open(page, ctx.app.url, '/settings/custom-fields', 'Custom fields');
      await page.getByRole('heading', { name: 'Not available with your role' }).waitFor();
      await open(page, ctx.app.url, '/settings/workspace', 'Workspace');
      await page.getByRole('heading', { name: 'Not available with your role' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    },
    BROWSER_TEST_TIMEOUT,
  );

  it(
    'lets a manager edit tags but not the team, custom fields or workspace',
    async () => {
      const page = await signedInPage(ctx.browser, ctx.app.url, manager);
      await open(page, ctx.app.url, '/settings', 'Settings');
      await page.getByRole('link', { name: /^Tags/ }).waitFor();
      expect(await page.getByRole('link', { name: /^Custom fields/ }).count()).toBe(0);
      expect(await page.getByRole('link', { name: /^Workspace/ }).count()).toBe(0);

      await open(page, ctx.app.url, '/settings/team', 'Team');
      await page.getByRole('table', { name: 'Team members' }).waitFor({ timeout: 10_000 });
      expect(await page.getByRole('button', { name: 'Invite member' }).count()).toBe(0);
      expect(await page.getByRole('combobox').count()).toBe(0);

      await open(page, ctx.app.url, '/settings/tags', 'Tags');
      await page.getByRole('button', { name: 'New tag' }).first().waitFor();
      await page.close();
    },
    BROWSER_TEST_TIMEOUT,
  );
});
