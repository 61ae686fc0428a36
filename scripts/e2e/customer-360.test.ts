/**
 * Customer 360 in Chromium against the local stack: the header's figures come from the
 * database, the timeline is live across browsers, and what a member may see and do follows the
 * database's rules (an agent gets a plain no-access page for someone else's customer, a
 * read-only member gets no edit action).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTeamMember, type AppUser } from '../testing/support/app-user.ts';
import { seriousViolations } from '../testing/support/axe.ts';
import { signedInPage, useBrowserApp } from '../testing/support/browser.ts';
import { createCustomer, createOrder, currencies, uniqueTag } from '../testing/support/commerce.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

const money = (amount: string | number, currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).format(Number(amount));

describe('customer 360 (Chromium against the local stack)', () => {
  const ctx = useBrowserApp({ role: 'manager', fullName: 'Marta Manager' });
  let colleague: AppUser;
  let agent: AppUser;
  let reader: AppUser;
  let customerId: string;
  let lastName: string;
  let base: string;

  beforeAll(async () => {
    [colleague, agent, reader] = await Promise.all([
      createTeamMember({ role: 'admin', fullName: 'Adele Admin', prefix: 'c360-admin' }),
      createTeamMember({ role: 'agent', fullName: 'Arne Agent', prefix: 'c360-agent' }),
      createTeamMember({ role: 'readonly', fullName: 'Rosa Reader', prefix: 'c360-reader' }),
    ]);
    ({ base } = await currencies());
    // Owned by the admin, so the agent is not its owner.
    customerId = await createCustomer(colleague.userId);
    lastName = `Lindqvist-${uniqueTag()}`;
    await adminSql(
      `update public.customers set first_name = 'Greta', last_name = $2, timezone = 'Asia/Tokyo', status = 'vip'
       where id = $1`,
      [customerId, lastName],
    );
    await createOrder({ customerId, currency: base, total: 120.5, exchangeRate: 1 });
    await createOrder({ customerId, currency: base, total: 80, exchangeRate: 1 });
    await createOrder({ customerId, currency: base, total: 999, financialStatus: 'pending', exchangeRate: 1 });
  }, 60_000);

  it('shows the name as soon as the row arrives, and the figures the database keeps', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/customers/${customerId}`);
    await page.getByRole('heading', { level: 1, name: `Greta ${lastName}` }).waitFor({ timeout: 10_000 });

    const [row] = await adminSql<{ lifetime_value: string; order_count: number; average_order_value: string }>(
      `select lifetime_value, order_count, average_order_value from public.customers where id = $1`,
      [customerId],
    );
    // The pending order does not count: 2 orders, 200.50 in the base currency.
    expect(row).toEqual({ lifetime_value: '200.50', order_count: 2, average_order_value: '100.25' });
    const figures = page.getByRole('group', { name: 'Key figures' });
    await figures.getByText(money(row.lifetime_value, base)).waitFor();
    expect(await figures.textContent()).toBe(
      `Lifetime value${money(row.lifetime_value, base)}Orders2Average order${money(row.average_order_value, base)}`,
    );
    await page.getByText('VIP', { exact: true }).waitFor();
    await page.getByText('Adele Admin').waitFor();
    // The customer's own clock, in their zone (Tokyo has no daylight saving time).
    await page.getByText('UTC+09:00 · Asia/Tokyo').waitFor();

    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('shows a note added in one browser in another one, live, without a reload', async () => {
    const [writer, watcher] = await Promise.all([
      signedInPage(ctx.browser, ctx.app.url, ctx.member),
      signedInPage(ctx.browser, ctx.app.url, colleague),
    ]);
    const timeline = `${ctx.app.url}/customers/${customerId}?tab=timeline`;
    await Promise.all([writer.goto(timeline), watcher.goto(timeline)]);
    for (const page of [writer, watcher]) {
      await page.getByRole('list', { name: 'Customer timeline' }).waitFor({ timeout: 10_000 });
    }
    // Marks this document: a reload would lose it.
    await watcher.evaluate('window.__sameDocument = true');

    const text = `Prefers a call after 6 pm — ${uniqueTag()}`;
    await writer.getByRole('button', { name: 'Add note' }).click();
    const dialog = writer.getByRole('dialog', { name: 'Add a note' });
    await dialog.getByRole('button', { name: 'Add note' }).click();
    await dialog.getByText('Write the note').waitFor();
    await dialog.getByRole('textbox', { name: 'Note' }).fill(text);
    await dialog.getByRole('button', { name: 'Add note' }).click();
    await dialog.waitFor({ state: 'detached' });
    await writer.getByText('Note added').waitFor();
    await writer.getByText(text).waitFor({ timeout: 10_000 });

    await watcher.getByText(text).waitFor({ timeout: 15_000 });
    expect(await watcher.evaluate('window.__sameDocument')).toBe(true);
    const entry = watcher.getByRole('article').filter({ hasText: text });
    expect(await entry.textContent()).toContain('by Marta Manager');

    const [stored] = await adminSql<{ kind: string; author_id: string }>(
      `select kind, author_id from public.activities where customer_id = $1 and body = $2`,
      [customerId, text],
    );
    expect(stored).toEqual({ kind: 'note', author_id: ctx.member.userId });

    expect(await seriousViolations(watcher)).toEqual([]);
    await Promise.all([writer.close(), watcher.close()]);
  });

  it('shows a new order live: in the Orders tab and in the figures', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, colleague);
    await page.goto(`${ctx.app.url}/customers/${customerId}?tab=orders`);
    const orders = page.getByRole('table', { name: 'This customer’s orders' });
    await orders.waitFor({ timeout: 10_000 });
    const before = await orders.getByRole('row').count();
    await page.evaluate('window.__sameDocument = true');

    const orderId = await createOrder({ customerId, currency: base, total: 49.5, exchangeRate: 1 });
    const number = `#LIVE-${uniqueTag()}`;
    await adminSql(`update public.orders set order_number = $2 where id = $1`, [orderId, number]);

    await orders.getByRole('link', { name: number }).waitFor({ timeout: 15_000 });
    expect(await orders.getByRole('row').count()).toBe(before + 1);
    const [row] = await adminSql<{ lifetime_value: string; order_count: number }>(
      `select lifetime_value, order_count from public.customers where id = $1`,
      [customerId],
    );
    const figures = page.getByRole('group', { name: 'Key figures' });
    await figures.getByText(money(row.lifetime_value, base)).waitFor({ timeout: 15_000 });
    expect(await figures.textContent()).toContain(`Orders${row.order_count}`);
    expect(await page.evaluate('window.__sameDocument')).toBe(true);
    await page.close();
  });

  it('creates a task for a colleague and ticks it off', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/customers/${customerId}?tab=timeline`);
    await page.getByRole('button', { name: 'Create task' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create a task' });
    const title = `Send the size guide ${uniqueTag()}`;
    await dialog.getByRole('textbox', { name: 'Task' }).fill(title);
    await dialog.getByRole('combobox', { name: 'Assign to' }).selectOption(colleague.userId);
    await dialog.getByRole('combobox', { name: 'Type' }).selectOption('call');
    await dialog.getByLabel('Due (your time zone)').fill('2030-01-15T09:30');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await dialog.waitFor({ state: 'detached' });

    const task = page.getByRole('article').filter({ hasText: title });
    await task.getByText('Assigned to Adele Admin').waitFor({ timeout: 10_000 });
    // The member's zone is UTC (the default), so 09:30 typed is 09:30 UTC stored.
    await task.getByText('Due Jan 15, 2030 9:30 AM').waitFor();
    await task.getByRole('button', { name: 'Mark as done' }).click();
    await task.getByRole('button', { name: 'Reopen task' }).waitFor({ timeout: 10_000 });
    const [stored] = await adminSql<{ assignee_id: string; due_at: Date; completed: boolean; task_type: string }>(
      `select assignee_id, due_at, completed_at is not null as completed, task_type from public.activities where subject = $1`,
      [title],
    );
    expect(stored).toEqual({
      assignee_id: colleague.userId,
      due_at: new Date('2030-01-15T09:30:00Z'),
      completed: true,
      task_type: 'call',
    });
    await page.close();
  });

  it('tags and untags the customer, creating a tag on the way', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/customers/${customerId}`);
    const tag = `Loyal ${uniqueTag()}`;
    await page.getByRole('combobox', { name: 'Add tag' }).fill(tag);
    await page.keyboard.press('Enter');
    const tags = page.getByRole('list', { name: 'Tags' });
    await tags.getByText(tag).waitFor();
    await expect
      .poll(async () =>
        adminSql(
          `select t.name from public.customer_tags ct join public.tags t on t.id = ct.tag_id where ct.customer_id = $1`,
          [customerId],
        ),
      )
      .toEqual([{ name: tag }]);
    await page.getByRole('button', { name: `Remove tag ${tag}` }).click();
    await expect
      .poll(async () => adminSql(`select 1 from public.customer_tags where customer_id = $1`, [customerId]))
      .toEqual([]);
    await page.close();
  });

  it('tells an agent plainly that someone else’s customer is not theirs to see', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, agent);
    await page.goto(`${ctx.app.url}/customers/${customerId}`);
    await page.getByRole('heading', { level: 1, name: 'Customer not available' }).waitFor({ timeout: 10_000 });
    await page.getByText('Agents see only the customers they own.', { exact: false }).waitFor();
    expect(await page.getByText(lastName).count()).toBe(0);
    expect(await page.title()).toBe('Customer · Cairn');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('gives a read-only member the whole 360 and no edit action', async () => {
    const page = await signedInPage(ctx.browser, ctx.app.url, reader);
    await page.goto(`${ctx.app.url}/customers/${customerId}`);
    await page.getByRole('heading', { level: 1, name: `Greta ${lastName}` }).waitFor({ timeout: 10_000 });
    await page.getByRole('tab', { name: 'Overview' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForURL(/\?tab=orders$/);
    await page.getByRole('table', { name: 'This customer’s orders' }).waitFor({ timeout: 10_000 });
    const [{ count }] = await adminSql<{ count: number }>(
      `select count(*)::int as count from public.orders where customer_id = $1`,
      [customerId],
    );
    // Every order, counted or not (the pending one too), under a header row.
    expect(await page.getByRole('table', { name: 'This customer’s orders' }).getByRole('row').count()).toBe(count + 1);
    await page.keyboard.press('ArrowRight');
    await page.getByRole('list', { name: 'Customer timeline' }).waitFor({ timeout: 10_000 });
    for (const name of ['Add note', 'Log call', 'Create task', 'Mark as done', 'Reopen task']) {
      expect(await page.getByRole('button', { name }).count(), name).toBe(0);
    }
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('region', { name: 'Tags' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Add tag' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });
});
