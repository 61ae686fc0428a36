import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

/**
 * My tasks in Chromium against the local stack: a due task's reminder reaches the bell once
 * (the job run twice), the sections, quick complete and bulk complete, axe.
 */

describe('my tasks', () => {
  const ctx = useBrowserApp({ role: 'agent', fullName: 'Tom Tasks' });
  const run = randomUUID().slice(0, 6);
  const titles = { overdue: `Overdue ${run}`, first: `Today one ${run}`, second: `Today two ${run}` };

  beforeAll(async () => {
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, owner_id) values ('Tasks', $1, $2) returning id`,
      [run, ctx.member.userId],
    );
    // Written by the agent (their own tasks on their customer); today's ones due later today (UTC).
    await adminSql(
      `insert into public.activities (customer_id, kind, subject, due_at, assignee_id, author_id) values
        ($1, 'task', $3, now() - interval '2 days', $2, $2),
        ($1, 'task', $4, greatest(now() + interval '1 minute', date_trunc('day', now()) + interval '23 hours 59 minutes'), $2, $2),
        ($1, 'task', $5, greatest(now() + interval '1 minute', date_trunc('day', now()) + interval '23 hours 58 minutes'), $2, $2)`,
      [customer, ctx.member.userId, titles.overdue, titles.first, titles.second],
    );
    await adminSql('update public.notifications set read_at = now() where recipient_id = $1', [ctx.member.userId]);
    // Then one task falls due (the stack's cron may send its reminder before the test runs the job:
    // either way there must be exactly one).
    await adminSql(`update public.activities set due_at = now() - interval '1 minute' where subject = $1`, [
      titles.first,
    ]);
  });

  it('reminds once, lists by section, completes one and then the rest in bulk', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/tasks`);
    await page.getByRole('tab', { name: 'Today' }).waitFor({ timeout: 15_000 });

    // The reminder job, twice: one reminder for the task that just fell due (the overdue one
    // fell due two days ago, beyond the job's grace).
    await adminSql('select private.send_task_reminders()');
    await adminSql('select private.send_task_reminders()');
    await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 15_000 });
    const reminders = await adminSql<{ n: number }>(
      `select count(*)::int as n from public.notifications where recipient_id = $1 and kind = 'task_due'`,
      [ctx.member.userId],
    );
    expect(reminders[0].n).toBe(1);

    await page.getByRole('tab', { name: 'Overdue' }).click();
    const overdue = page.getByRole('list', { name: 'Overdue' });
    await overdue.getByRole('link', { name: titles.overdue }).waitFor({ timeout: 10_000 });
    expect(await seriousViolations(page)).toEqual([]);
    await overdue.getByRole('button', { name: `Mark as done: ${titles.overdue}` }).click();
    await page.getByRole('heading', { name: 'Nothing overdue' }).waitFor({ timeout: 10_000 });

    await page.getByRole('tab', { name: 'Today' }).click();
    const today = page.getByRole('list', { name: 'Today' });
    await today.getByRole('link', { name: titles.first }).waitFor({ timeout: 10_000 });
    await page.getByRole('checkbox', { name: 'Select all' }).check();
    await page.getByRole('button', { name: 'Mark 2 as done' }).click();
    await page.getByRole('heading', { name: 'Nothing due today' }).waitFor({ timeout: 10_000 });

    await page.getByRole('tab', { name: 'Done' }).click();
    await page
      .getByRole('list', { name: 'Done' })
      .getByRole('link', { name: titles.second })
      .waitFor({ timeout: 10_000 });
    const [{ open }] = await adminSql<{ open: number }>(
      `select count(*)::int as open from public.activities where subject = any($1) and completed_at is null`,
      [Object.values(titles)],
    );
    expect(open).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 90_000);
});

describe('my tasks, more than a page', () => {
  const ctx = useBrowserApp({ role: 'agent', fullName: 'Pia Pages' });
  const run = randomUUID().slice(0, 6);

  beforeAll(async () => {
    const [{ id: customer }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, owner_id) values ('Pages', $1, $2) returning id`,
      [run, ctx.member.userId],
    );
    // 55 upcoming tasks (a page is 50), due one day apart from next week on.
    await adminSql(
      `insert into public.activities (customer_id, kind, subject, due_at, assignee_id, author_id)
       select $1, 'task', 'Later ' || $3 || ' #' || g, now() + interval '7 days' + g * interval '1 day', $2, $2
       from generate_series(1, 55) g`,
      [customer, ctx.member.userId, run],
    );
  });

  it('shows the first 50 upcoming tasks and the rest on "Show more"', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/tasks?section=upcoming`);
    const upcoming = page.getByRole('list', { name: 'Upcoming' });
    await upcoming.getByRole('link', { name: `Later ${run} #50`, exact: true }).waitFor({ timeout: 15_000 });
    expect(await upcoming.getByRole('listitem').count()).toBe(50);
    await page.getByRole('button', { name: 'Show more' }).click();
    await upcoming.getByRole('link', { name: `Later ${run} #55`, exact: true }).waitFor({ timeout: 10_000 });
    expect(await upcoming.getByRole('listitem').count()).toBe(55);
    expect(await page.getByRole('button', { name: 'Show more' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);
});

describe('my tasks, one customer', () => {
  const ctx = useBrowserApp({ role: 'agent', fullName: 'Flo Filter' });
  const run = randomUUID().slice(0, 6);
  const customer: Record<string, string> = {};

  beforeAll(async () => {
    for (const name of ['Alpha', 'Beta']) {
      [{ id: customer[name] }] = await adminSql<{ id: string }>(
        `insert into public.customers (first_name, last_name, owner_id) values ($1, $2, $3) returning id`,
        [name, `Filter${run}`, ctx.member.userId],
      );
      await adminSql(
        `insert into public.activities (customer_id, kind, subject, due_at, assignee_id, author_id)
         values ($1, 'task', $2, now() + interval '3 days', $3, $3)`,
        [customer[name], `${name} task ${run}`, ctx.member.userId],
      );
    }
  });

  it('finds a customer, shows only their tasks (in the URL), and all again', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/tasks?section=upcoming`);
    const upcoming = page.getByRole('list', { name: 'Upcoming' });
    await upcoming.getByRole('link', { name: `Beta task ${run}` }).waitFor({ timeout: 15_000 });
    await page.getByRole('searchbox', { name: 'Find a customer' }).fill(`Alpha Filter${run}`);
    const select = page.getByRole('combobox', { name: 'Customer', exact: true });
    await select.locator(`option[value="${customer.Alpha}"]`).waitFor({ state: 'attached', timeout: 10_000 });
    await select.selectOption(customer.Alpha);
    await page.waitForURL(new RegExp(`customer=${customer.Alpha}`));
    await upcoming.getByRole('link', { name: `Beta task ${run}` }).waitFor({ state: 'detached', timeout: 10_000 });
    // The list may be empty for a moment while the filtered page loads: count once Alpha's is in.
    await upcoming.getByRole('link', { name: `Alpha task ${run}` }).waitFor();
    expect(await upcoming.getByRole('listitem').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);

    // A link with ?customer= names the customer in the filter; "All customers" lifts it.
    await page.reload();
    await expect
      .poll(() => select.locator('option:checked').textContent(), { timeout: 10_000 })
      .toBe(`Alpha Filter${run}`);
    await select.selectOption('');
    await upcoming.getByRole('link', { name: `Beta task ${run}` }).waitFor({ timeout: 10_000 });
    await page.close();
  }, 60_000);
});
