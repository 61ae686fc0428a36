/**
 * The privacy console in Chromium against the local stack (issue 12), with axe: a manager sees
 * the open requests by their 30-day clock, the overdue one marked; answers an access request
 * with one click (the export downloads and the request is completed); erases a customer after a
 * confirmation; enters a request told to the team; refuses one with a reason and hands another
 * to an admin, from the keyboard, and pages through a long list. An agent gets no Privacy section
 * and the page tells them who works it.
 */
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTeamMember, type AppUser } from '../testing/support/app-user.ts';
import { seriousViolations } from '../testing/support/axe.ts';
import { signedInPage, useBrowserApp } from '../testing/support/browser.ts';
import { uniqueTag } from '../testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

describe('the privacy console (Chromium against the local stack)', () => {
  const ctx = useBrowserApp({ role: 'manager', fullName: 'Priya Privacy' });
  let agent: AppUser;
  let tag: string;
  let accessName: string;
  let accessEmail: string;
  let erasureName: string;
  let accessRequest: string;
  let erasureRequest: string;

  beforeAll(async () => {
    agent = await createTeamMember({ role: 'agent', fullName: 'Arno Agent', prefix: 'privacy-agent' });
    tag = uniqueTag();
    accessName = `Ada Access${tag}`;
    accessEmail = `ada-${tag.toLowerCase()}@example.test`;
    erasureName = `Eli Erase${tag}`;
    const [{ id: accessCustomer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email) values ('Ada', $1, $2) returning id`,
      [`Access${tag}`, accessEmail],
    );
    const [{ id: erasureCustomer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email) values ('Eli', $1, $2) returning id`,
      [`Erase${tag}`, `eli-${tag.toLowerCase()}@example.test`],
    );
    // The clock is the database's (a trigger sets it); an overdue request is one made 33 days ago,
    // written with triggers off as a migration of old data would.
    const [{ id }] = await adminSql<{ id: string }>(
      `insert into public.privacy_requests (customer_id, kind, source) values ($1, 'access', 'shopify') returning id`,
      [accessCustomer],
    );
    accessRequest = id;
    await adminSql(
      `begin; set local session_replication_role = replica;
       update public.privacy_requests set requested_at = now() - interval '33 days', due_at = now() - interval '3 days'
       where id = '${accessRequest}'; commit;`,
    );
    [{ id: erasureRequest }] = await adminSql<{ id: string }>(
      `insert into public.privacy_requests (customer_id, kind, source) values ($1, 'erasure', 'portal') returning id`,
      [erasureCustomer],
    );
  }, 60_000);

  it('lists requests by their clock, answers an access request and erases a customer', async () => {
    const manager = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await manager.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Privacy' }).click();
    await manager.getByRole('heading', { level: 1, name: 'Privacy requests' }).waitFor();
    const table = manager.getByRole('table', { name: 'Open privacy requests, by due date' });
    const accessRow = table.getByRole('row').filter({ hasText: accessName });
    await accessRow.waitFor();
    expect(await accessRow.textContent()).toContain('3 days overdue');
    expect(await accessRow.textContent()).toContain('Shopify');
    const erasureRow = table.getByRole('row').filter({ hasText: erasureName });
    expect(await erasureRow.textContent()).toContain('30 days left');
    expect(await seriousViolations(manager)).toEqual([]);

    // Access: one click builds the export, saves it and completes the request.
    const [download] = await Promise.all([
      manager.waitForEvent('download'),
      manager.getByRole('button', { name: `Build and send export — ${accessName}` }).click(),
    ]);
    const exported = JSON.parse(await readFile((await download.path()) ?? '', 'utf8')) as {
      profile: { email: string };
    };
    expect(exported.profile.email).toBe(accessEmail);
    await manager.getByText('The export was saved and the request is completed.').waitFor();
    await accessRow.waitFor({ state: 'detached' });
    const [access] = await adminSql<{ status: string; assignee_id: string }>(
      'select status, assignee_id from public.privacy_requests where id = $1',
      [accessRequest],
    );
    expect(access).toEqual({ status: 'completed', assignee_id: ctx.member.userId });

    // Erasure: asks first (Cancel has the focus), then carries it out.
    await manager.getByRole('button', { name: `Erase… — ${erasureName}` }).click();
    const dialog = manager.getByRole('dialog', { name: `Erase ${erasureName}?` });
    await dialog.waitFor();
    expect(await seriousViolations(manager)).toEqual([]);
    await dialog.getByRole('button', { name: 'Erase personal data' }).click();
    await manager.getByText('The personal data was erased and the request is completed.').waitFor();
    const [erased] = await adminSql<{ status: string; first_name: string; email: string | null }>(
      `select r.status, c.first_name, c.email from public.privacy_requests r join public.customers c on c.id = r.customer_id
       where r.id = $1`,
      [erasureRequest],
    );
    expect(erased).toEqual({ status: 'completed', first_name: 'Erased', email: null });

    // Both are in the answered view now.
    await manager.getByRole('tab', { name: 'Answered' }).click();
    const done = manager.getByRole('table', { name: 'Answered privacy requests, latest first' });
    await done.getByRole('row').filter({ hasText: accessName }).waitFor();
    expect(await seriousViolations(manager)).toEqual([]);
  }, 90_000);

  it('enters a request a customer made to the team, with clear answers for a wrong or repeated one', async () => {
    const email = `nia-${uniqueTag()}@example.test`;
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email) values ('Nia', $1, $2) returning id`,
      [`Phone${tag}`, email],
    );
    const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/privacy`);
    await page.getByRole('button', { name: 'New request' }).click();
    const dialog = page.getByRole('dialog', { name: 'Enter a privacy request' });
    await dialog.getByLabel('Customer’s email').fill('not an email');
    await dialog.getByRole('button', { name: 'Enter request' }).click();
    await dialog.getByText('Enter the customer’s email address.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await dialog.getByLabel('Customer’s email').fill(`nobody-${uniqueTag()}@example.test`);
    await dialog.getByRole('button', { name: 'Enter request' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'No customer has this email address.' }).waitFor();

    await dialog.getByLabel('Customer’s email').fill(email.toUpperCase());
    await dialog.getByRole('combobox', { name: 'Request' }).selectOption('erasure');
    await dialog.getByLabel('Note (how it reached us)').fill('Phoned on Monday');
    await dialog.getByRole('button', { name: 'Enter request' }).click();
    await page.getByText('The request is entered; it is due in 30 days.').waitFor();
    await dialog.waitFor({ state: 'detached' });
    const row = page
      .getByRole('table', { name: 'Open privacy requests, by due date' })
      .getByRole('row')
      .filter({ hasText: `Nia Phone${tag}` });
    await row.waitFor();
    expect(await row.textContent()).toContain('Team');
    expect(await row.textContent()).toContain('Erasure');
    const [entered] = await adminSql<{ source: string; kind: string; note: string }>(
      'select source, kind, note from public.privacy_requests where customer_id = $1',
      [customer],
    );
    expect(entered).toEqual({ source: 'staff', kind: 'erasure', note: 'Phoned on Monday' });

    await page.getByRole('button', { name: 'New request' }).click();
    await dialog.getByLabel('Customer’s email').fill(email);
    await dialog.getByRole('combobox', { name: 'Request' }).selectOption('erasure');
    await dialog.getByRole('button', { name: 'Enter request' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'already has an open request of this kind' }).waitFor();
  }, 90_000);

  it('says plainly why an erasure waits while the shop has an open order', async () => {
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email) values ('Olga', $1, $2) returning id`,
      [`Open${tag}`, `olga-${uniqueTag()}@example.test`],
    );
    await adminSql(
      `insert into public.orders (customer_id, currency, total, financial_status, fulfillment_status)
       values ($1, 'EUR', 40, 'paid', 'unfulfilled')`,
      [customer],
    );
    await adminSql(`insert into public.privacy_requests (customer_id, kind, source) values ($1, 'erasure', 'staff')`, [
      customer,
    ]);
    await adminSql('update public.workspace_settings set erasure_waits_for_open_orders = true');
    try {
      const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
      await page.goto(`${ctx.app.url}/privacy`);
      await page.getByRole('button', { name: `Erase… — Olga Open${tag}` }).click();
      await page
        .getByRole('dialog', { name: `Erase Olga Open${tag}?` })
        .getByRole('button', { name: 'Erase personal data' })
        .click();
      await page.getByText('This customer still has an open order (unpaid or unshipped).', { exact: false }).waitFor();
      const [kept] = await adminSql<{ first_name: string; status: string }>(
        `select c.first_name, r.status from public.customers c join public.privacy_requests r on r.customer_id = c.id
         where c.id = $1`,
        [customer],
      );
      expect(kept).toEqual({ first_name: 'Olga', status: 'open' });
    } finally {
      await adminSql('update public.workspace_settings set erasure_waits_for_open_orders = false');
    }
  }, 60_000);

  it('refuses a request with a reason and reassigns another from the keyboard; a long list pages', async () => {
    const admin = await createTeamMember({ role: 'admin', fullName: `Ana Admin${tag}`, prefix: 'privacy-admin' });
    // 50 more open requests than the first page holds, all due later than the two below.
    await adminSql(
      `with made as (
         insert into public.customers (first_name, last_name, email)
         select 'Pat', 'Page' || $1 || n, 'page-' || lower($1) || '-' || n || '@example.test' from generate_series(1, 50) n
         returning id)
       insert into public.privacy_requests (customer_id, kind, source) select id, 'access', 'staff' from made`,
      [tag],
    );
    const customers = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email)
       values ('Rex', $1, $2), ('Sue', $3, $4) returning id`,
      [`Refuse${tag}`, `rex-${uniqueTag()}@example.test`, `Shift${tag}`, `sue-${uniqueTag()}@example.test`],
    );
    const [{ id: refused }, { id: shifted }] = await adminSql<{ id: string }>(
      `insert into public.privacy_requests (customer_id, kind, source) values ($1, 'erasure', 'portal'), ($2, 'access', 'portal')
       returning id`,
      [customers[0].id, customers[1].id],
    );
    // Due first: a day earlier than anything else open.
    await adminSql(
      `begin; set local session_replication_role = replica;
       update public.privacy_requests set requested_at = now() - interval '40 days', due_at = now() - interval '10 days'
       where id in ('${refused}', '${shifted}'); commit;`,
    );
    const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/privacy`);
    const table = page.getByRole('table', { name: 'Open privacy requests, by due date' });
    await table
      .getByRole('row')
      .filter({ hasText: `Rex Refuse${tag}` })
      .waitFor();

    // Refuse, with the keyboard only.
    await page.getByRole('button', { name: `Refuse… — Rex Refuse${tag}` }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Refuse the request of Rex Refuse${tag}?` });
    await dialog.getByLabel('Reason the customer reads').focus();
    await page.keyboard.type('short');
    await dialog.getByRole('button', { name: 'Refuse request' }).press('Enter');
    await dialog.getByText('Write at least 10 characters the customer will understand.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByLabel('Reason the customer reads').focus();
    await page.keyboard.type(' — your order ships on Friday; ask again after it arrives.');
    await dialog.getByRole('button', { name: 'Refuse request' }).press('Enter');
    await page.getByText('The request is refused; the customer sees why.').waitFor();
    await dialog.waitFor({ state: 'detached' });

    // Reassign to the admin.
    await page.getByRole('button', { name: `Reassign… — Sue Shift${tag}` }).focus();
    await page.keyboard.press('Enter');
    const reassign = page.getByRole('dialog', { name: `Reassign the request of Sue Shift${tag}` });
    await reassign.getByRole('combobox', { name: 'Assign to' }).selectOption({ label: `Ana Admin${tag} (admin)` });
    await reassign.getByRole('button', { name: 'Reassign' }).press('Enter');
    await page.getByText('The request is reassigned.').waitFor();
    await table
      .getByRole('row')
      .filter({ hasText: `Sue Shift${tag}` })
      .filter({ hasText: `Ana Admin${tag}` })
      .waitFor();
    const rows = await adminSql<{
      id: string;
      status: string;
      refusal_reason: string | null;
      assignee_id: string | null;
    }>(
      'select id, status, refusal_reason, assignee_id from public.privacy_requests where id = any($1) order by status',
      [[refused, shifted]],
    );
    expect(rows).toEqual([
      { id: shifted, status: 'open', refusal_reason: null, assignee_id: admin.userId },
      {
        id: refused,
        status: 'refused',
        refusal_reason: 'short — your order ships on Friday; ask again after it arrives.',
        assignee_id: ctx.member.userId,
      },
    ]);

    // Paging: 50 a page, then "Show more".
    const before = await table.getByRole('row').count();
    expect(before).toBe(51); // the header and 50 requests
    await page.getByRole('button', { name: 'Show more requests' }).click();
    await expect.poll(() => table.getByRole('row').count()).toBeGreaterThan(51);
    // No request twice across the pages (the id breaks ties between equal due dates); one open
    // request per customer and kind, so a row's text is unique.
    const names = await table.locator('tbody tr').allTextContents();
    expect(new Set(names).size).toBe(names.length);

    // The answered view shows the refusal with its reason.
    await page.getByRole('tab', { name: 'Answered' }).click();
    await page
      .getByRole('table', { name: 'Answered privacy requests, latest first' })
      .getByRole('row')
      .filter({ hasText: 'ask again after it arrives' })
      .waitFor();
  }, 90_000);

  it('an agent has no Privacy section, and the page says who works it', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, agent);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Customers' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Privacy' }).count()).toBe(0);
    await page.goto(`${ctx.app.url}/privacy`);
    await page.getByRole('heading', { name: 'Only admins and managers work privacy requests' }).waitFor();
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);
});
