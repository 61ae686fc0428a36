import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTeamMember } from '../testing/support/app-user.ts';
import { seriousViolations } from '../testing/support/axe.ts';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

/**
 * The customers list in Chromium against the local stack (real PostgREST, real row-level
 * security): what an agent sees, a filtered CSV export and its export_log row, accessibility.
 */

const run = randomUUID().slice(0, 8);

async function insertCustomer(fields: { lastName: string; ownerId?: string | null; country?: string }) {
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, last_name, email, owner_id, country, source)
     values ('E2E', $1, $2, $3, $4, 'manual') returning id`,
    [fields.lastName, `${fields.lastName.toLowerCase()}@example.test`, fields.ownerId ?? null, fields.country ?? 'DE'],
  );
  return id;
}

/** Every data line of a CSV as its fields (the export has no quoted newlines in these rows). */
function csvRows(text: string): string[][] {
  return text
    .replace(/^\uFEFF/, '')
    .trim()
    .split(/\r\n/)
    .map((line) => line.split(',').map((cell) => cell.replace(/^"|"$/g, '')));
}

describe('the customers list as an agent', () => {
  const ctx = useBrowserApp({ role: 'agent', fullName: 'Agnes Agent' });
  let mine: string;
  let theirs: string;

  beforeAll(async () => {
    const other = await createTeamMember({ role: 'agent', fullName: 'Otto Other' });
    mine = `Mine${run}`;
    theirs = `Theirs${run}`;
    await insertCustomer({ lastName: mine, ownerId: ctx.member.userId });
    await insertCustomer({ lastName: theirs, ownerId: other.userId });
  });

  it('shows only the customers the agent owns, never another agent’s', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/customers`);
    const table = page.getByRole('table');
    await table.getByRole('link', { name: `E2E ${mine}` }).waitFor({ timeout: 15_000 });
    // The agent owns exactly one customer: the whole list is that one row.
    expect(await table.locator('tbody tr').count()).toBe(1);
    expect(await page.getByText(`E2E ${theirs}`).count()).toBe(0);
    // No owner filter for an agent (it could only ever be themselves), no assigning.
    expect(await page.getByRole('combobox', { name: 'Owner' }).count()).toBe(0);

    // Searching for the other agent's customer finds nothing, and says so.
    await page.getByRole('searchbox', { name: 'Search customers' }).fill(theirs);
    await page.getByRole('heading', { name: 'No customers match' }).waitFor({ timeout: 10_000 });
    expect(page.url()).toContain(`q=${theirs}`);
    await page.close();
  });
});

describe('the customers list as a manager', () => {
  const ctx = useBrowserApp({ role: 'manager', fullName: 'Mona Manager' });
  let tagId: string;
  let tagged: string[];

  beforeAll(async () => {
    const [tag] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [
      `e2e-${run}`,
    ]);
    tagId = tag.id;
    tagged = [`Alpha${run}`, `Beta${run}`];
    const ids = await Promise.all(tagged.map((lastName) => insertCustomer({ lastName })));
    await insertCustomer({ lastName: `Untagged${run}` });
    for (const id of ids) {
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [id, tagId]);
    }
    // A phone number must stay readable in the file; a company a spreadsheet would run must not.
    await adminSql(`update public.customers set phone = '+4915112345678', company = '-1+2' where id = $1`, [ids[0]]);
  });

  it('filters by tag through the URL and exports exactly those rows, logged in export_log', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/customers`);
    await page.getByRole('table').waitFor({ timeout: 15_000 });

    await page.getByRole('combobox', { name: 'Tag', exact: true }).selectOption({ label: `e2e-${run}` });
    await page.waitForURL(new RegExp(`tag=${tagId}`));
    const table = page.getByRole('table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);
    for (const lastName of tagged) await table.getByRole('link', { name: `E2E ${lastName}` }).waitFor();

    // Search narrows the filtered list (search_customer_list keeps the tag filter).
    const search = page.getByRole('searchbox', { name: 'Search customers' });
    await search.fill(tagged[0]);
    await page.waitForURL(new RegExp(`q=${tagged[0]}`));
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
    await table.getByRole('link', { name: `E2E ${tagged[0]}` }).waitFor();
    await search.press('Escape');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);

    // A shared link opens the same list.
    const shared = await ctx.browser.newPage();
    await signIn(shared, ctx.app.url, ctx.member);
    await shared.goto(page.url());
    await expect.poll(() => shared.getByRole('table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(2);
    await shared.close();

    const [{ before }] = await adminSql<{ before: number }>(
      `select count(*)::int as before from public.export_log where actor_id = $1`,
      [ctx.member.userId],
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^customers-\d{4}-\d{2}-\d{2}-\d{4}\.csv$/);
    const rows = csvRows(await readFile((await download.path()) ?? '', 'utf8'));
    const [header, ...data] = rows;
    expect(header.slice(0, 3)).toEqual(['ID', 'Name', 'Email']);
    expect(data.map((row) => row[1]).sort()).toEqual(tagged.map((lastName) => `E2E ${lastName}`).sort());
    expect(data.every((row) => row[10] === `e2e-${run}`)).toBe(true);
    const alpha = data.find((row) => row[1] === `E2E ${tagged[0]}`);
    expect(alpha?.[3]).toBe('+4915112345678');
    expect(alpha?.[4]).toBe(`'-1+2`);

    // The database wrote exactly one log row for the export, in the same transaction as the file.
    const logged = await adminSql<{ kind: string; row_count: number; filters: Record<string, string> }>(
      `select kind, row_count, filters from public.export_log where actor_id = $1 order by id offset $2`,
      [ctx.member.userId, before],
    );
    expect(logged).toEqual([{ kind: 'customers_csv', row_count: 2, filters: { tag: tagId } }]);
    await page.getByText('Exported 2 customers').waitFor();
    await page.close();
  });

  it('has no serious or critical accessibility violations: list, bulk bar and form', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/customers`);
    await page.getByRole('table').locator('tbody tr').first().waitFor({ timeout: 15_000 });
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('checkbox', { name: 'Select all customers on this page' }).check();
    await page.getByRole('region', { name: 'Bulk actions' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'New customer' }).click();
    await page.getByRole('dialog', { name: 'New customer' }).getByLabel('First name').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.close();
  });
});
