import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

/**
 * Segments in Chromium against the local stack: build a rule and watch the live count, see a
 * refused condition explained where it is, save, open the segment as a filter of the customers
 * list, export it through the logged export, and the newsletter opt-ins file; axe on the screen.
 */

const run = randomUUID().slice(0, 8);
const style = `e2estyle${run}`;

describe('segments as a manager', () => {
  const ctx = useBrowserApp({ role: 'manager', fullName: 'Sam Segmenter' });

  beforeAll(async () => {
    for (const [last, country] of [
      [`Berlin${run}`, 'DE'],
      [`Munich${run}`, 'DE'],
      [`Paris${run}`, 'FR'],
    ]) {
      const [{ id }] = await adminSql<{ id: string }>(
        `insert into public.customers (first_name, last_name, email, country, style_interests)
         values ('Seg', $1, $2, $3, array[$4]) returning id`,
        [last, `${last.toLowerCase()}@example.test`, country, style],
      );
      if (country === 'FR') {
        await adminSql(
          `insert into public.consent_events (customer_id, channel, purpose, status, source) values ($1, 'email', 'newsletter', 'granted', 'import')`,
          [id],
        );
      }
    }
  });

  it('builds a segment with a live count, opens it in the list and exports it, logged', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/segments`);
    await page.getByRole('heading', { name: 'New segment', level: 2 }).waitFor({ timeout: 15_000 });

    const status = page.getByRole('region', { name: 'Matching customers' }).getByRole('status');
    await page.getByRole('button', { name: 'Add condition' }).click();
    const first = page.getByRole('group', { name: /^Condition 1:/ });
    await first.getByRole('combobox', { name: 'Field' }).selectOption('style_interests');
    await first.getByRole('textbox', { name: 'Values (comma-separated)' }).fill(style);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('3 customers match');

    await page.getByRole('button', { name: 'Add condition' }).click();
    const second = page.getByRole('group', { name: /^Condition 2:/ });
    await second.getByRole('textbox', { name: 'Value' }).fill('DE');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('2 customers match');

    // A condition the database refuses is explained at that condition, and the count waits for it.
    await page.getByRole('button', { name: 'Add condition' }).click();
    const third = page.getByRole('group', { name: /^Condition 3:/ });
    await third.getByRole('combobox', { name: 'Field' }).selectOption('created_at');
    await third.getByRole('combobox', { name: 'Condition' }).selectOption('between');
    await third.getByLabel('From').fill('2026-02-01');
    await third.getByLabel('To').fill('2026-01-01');
    await third
      .getByRole('alert')
      .filter({ hasText: 'condition 3: the end of the range is before its start' })
      .waitFor();
    await expect.poll(() => status.textContent()).toBe('Fix the highlighted condition to see who matches.');
    expect(await seriousViolations(page)).toEqual([]);
    await third.getByRole('button', { name: 'Remove condition 3' }).click();
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toBe('2 customers match');
    const sample = page.getByRole('table', { name: /A sample of matching customers/ });
    await sample.getByRole('link', { name: `Seg Berlin${run}` }).waitFor();

    await page.getByRole('textbox', { name: 'Name' }).fill(`Germany ${run}`);
    await page.getByRole('button', { name: 'Save segment' }).click();
    await page.getByRole('heading', { name: `Germany ${run}`, level: 2 }).waitFor();
    const [{ id, rules }] = await adminSql<{ id: string; rules: unknown }>(
      `select id, rules from public.segments where owner_id = $1 and name = $2`,
      [ctx.member.userId, `Germany ${run}`],
    );
    expect(rules).toEqual({
      match: 'all',
      conditions: [
        { field: 'style_interests', op: 'contains_any', value: [style] },
        { field: 'country', op: 'eq', value: 'DE' },
      ],
    });

    // Its members were recorded at once: the size chart's summary and the snapshots.
    const history = page.getByRole('region', { name: 'Size over time' });
    await history
      .getByText(/→ 2 members; 2 joined, 0 left\.$/)
      .first()
      .waitFor({ timeout: 10_000 });
    const snapshots = page.getByRole('region', { name: 'Snapshots' });
    for (const name of ['Before', 'After']) {
      await snapshots.getByRole('textbox', { name: 'Snapshot name' }).fill(name);
      await snapshots.getByRole('button', { name: 'Take snapshot' }).click();
      await snapshots.getByRole('cell', { name, exact: true }).waitFor();
    }
    await snapshots.getByRole('combobox', { name: 'Earlier snapshot' }).selectOption({ index: 2 });
    await snapshots.getByRole('combobox', { name: 'Later snapshot' }).selectOption({ index: 1 });
    await snapshots.getByRole('button', { name: 'Compare' }).click();
    await snapshots.getByText('0 joined and 0 left between the two snapshots.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The export: the database writes the file and its log row.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const lines = (await readFile((await download.path()) ?? '', 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]?.startsWith('ID,Name,Email')).toBe(true);
    const [logged] = await adminSql<{ kind: string; row_count: number; filters: unknown }>(
      `select kind, row_count, filters from public.export_log where actor_id = $1 order by id desc limit 1`,
      [ctx.member.userId],
    );
    expect(logged).toEqual({ kind: 'segment_csv', row_count: 2, filters: { segment: id } });

    // Open it as a filter of the customers list.
    await page.getByRole('link', { name: 'Open in customers list' }).click();
    await page.waitForURL(new RegExp(`/customers\\?segment=${id}`));
    const table = page.getByRole('table');
    await expect.poll(() => table.locator('tbody tr').count(), { timeout: 15_000 }).toBe(2);
    await table.getByRole('link', { name: `Seg Munich${run}` }).waitFor();
    expect(await page.getByRole('combobox', { name: 'Segment' }).inputValue()).toBe(id);

    // Change every member of the segment at once (act_on_segment), after a confirmation.
    const bar = page.getByRole('region', { name: 'Change every member of this segment' });
    const stage = bar.getByRole('form', { name: 'Change stage' });
    await stage.getByRole('combobox', { name: 'Change stage' }).selectOption('vip');
    await stage.getByRole('button', { name: 'Apply' }).click();
    const confirm = page.getByRole('dialog', { name: 'Change every member of this segment?' });
    await confirm.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Change all members' }).click();
    await page.getByText('Changed 2 customers').waitFor({ timeout: 10_000 });
    const stages = await adminSql<{ last_name: string; lifecycle_stage: string }>(
      `select last_name, lifecycle_stage from public.customers where last_name like '%' || $1 order by last_name`,
      [run],
    );
    expect(stages.map((row) => [row.last_name, row.lifecycle_stage])).toEqual([
      [`Berlin${run}`, 'vip'],
      [`Munich${run}`, 'vip'],
      [`Paris${run}`, 'prospect'],
    ]);
    await page.close();
  });

  it('downloads the newsletter opt-ins of one style from the segments screen', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/segments`);
    await page.getByRole('textbox', { name: 'Only this style (optional)' }).fill(style);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download opt-ins CSV' }).click(),
    ]);
    const lines = (await readFile((await download.path()) ?? '', 'utf8'))
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Email,Name,Signed up,Subscribed,Style interests,Country,Language');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual([`paris${run}@example.test`]);
    await page.close();
  });

  it('turns on the welcome series without the customers who already match, and a new sign-up enters it', async () => {
    // Automation (issue 16): the shipped welcome series turned on, the "enrol existing" question
    // answered no, and a new sign-up entering it — a segment-driven feature, so it shares this
    // file's app and browser.
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await signIn(page, ctx.app.url, ctx.member);
    page.setDefaultTimeout(10_000);
    try {
      await page.getByRole('link', { name: 'Automation' }).click();
      const flows = page.getByRole('navigation', { name: 'Flows' });
      await flows.getByRole('button', { name: /^Welcome series/ }).click();

      const steps = page.getByRole('region', { name: 'Steps' });
      await steps.getByRole('listitem', { name: '1. Send email' }).waitFor({ timeout: 15_000 });
      await expect.poll(() => steps.getByRole('listitem').count()).toBe(5);
      // The editor's pickers (not saved): a condition's rule builder, an owner map by country.
      for (const kind of ['Condition', 'Assign owner']) {
        await steps.getByLabel('New step', { exact: true }).selectOption({ label: kind });
        await steps.getByRole('button', { name: 'Add step' }).last().click();
      }
      const assign = steps.getByRole('listitem', { name: '7. Assign owner' });
      await assign.getByLabel('How the owner is chosen').selectOption('by_country');
      await assign.getByRole('button', { name: 'Add row' }).click();
      await assign.getByLabel('Country, row 1').selectOption('DE');
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByRole('button', { name: 'Turn on…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Turn on “Welcome series”' });
      const enrolExisting = dialog.getByRole('checkbox', { name: /^Also enrol the .* who already match/ });
      await enrolExisting.waitFor();
      expect(await enrolExisting.isChecked()).toBe(false);
      expect(await seriousViolations(page)).toEqual([]);
      await dialog.getByRole('button', { name: 'Turn on', exact: true }).click();
      await page.getByRole('button', { name: 'Pause' }).waitFor();

      // A shopper signs up (the portal creates their customer record): the database enrols them.
      await adminSql(
        `insert into public.customers (first_name, last_name, email, source) values ('New', $1, $2, 'portal')`,
        [`Signup${run}`, `signup-${run}@example.test`],
      );
      await page.reload();
      const paths = page.getByRole('region', { name: 'Customers’ paths' });
      await paths.getByRole('link', { name: `New Signup${run}` }).waitFor({ timeout: 15_000 });
      await paths
        .getByRole('list', { name: `Path of New Signup${run}` })
        .getByText('entered:')
        .first()
        .waitFor();
      const entered = page.getByRole('region', { name: 'Statistics' }).getByText('Entered').locator('..');
      expect(Number((await entered.locator('dd').textContent())?.replace(/\D/g, ''))).toBeGreaterThanOrEqual(1);
    } finally {
      // The shipped draft goes back to being a draft, with nobody in it.
      await adminSql(
        `delete from public.flow_enrolments where flow_id in (select id from public.flows where preset = 'welcome')`,
      );
      await adminSql(`update public.flows set status = 'draft', enrols_since = null where preset = 'welcome'`);
      await page.close();
    }
  }, 60_000);
});
