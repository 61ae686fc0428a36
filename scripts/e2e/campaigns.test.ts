import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { seriousViolations } from '../testing/support/axe.ts';
import { signIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql, mail, uniqueEmail } from '@cairn/local-stack/testing.ts';

/**
 * Campaigns in Chromium against the local stack (issue 16): create a campaign for a segment,
 * read the pre-send summary with its exclusion, send it after confirming, and watch the progress
 * reach "Sent" — the emails arriving in the mail catcher, one each; axe on the summary.
 */

const run = randomUUID().slice(0, 8);

describe('campaigns as a manager', () => {
  const ctx = useBrowserApp({ role: 'manager', fullName: 'Cam Paign' });
  const consenting: string[] = [];

  beforeAll(async () => {
    await adminSql(`update public.workspace_settings set postal_address = coalesce(postal_address, $1)`, [
      'Cairn Outdoor, 1 Harbour Road, Leith',
    ]);
    for (let i = 0; i < 4; i += 1) {
      const email = uniqueEmail(`e2e-campaign-${i}`);
      const [{ id }] = await adminSql<{ id: string }>(
        `insert into public.customers (first_name, last_name, email, timezone, style_interests)
         values ('Camp', $1, $2, 'UTC', array[$3]) returning id`,
        [`Reader${i}${run}`, email, `e2ecamp${run}`],
      );
      await adminSql(
        `insert into public.alert_preferences (customer_id, quiet_hours_start, quiet_hours_end) values ($1, '00:00', '00:00')`,
        [id],
      );
      if (i === 3) continue; // never asked: excluded for want of consent
      consenting.push(email);
      await adminSql(
        `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
         values ($1, 'email', 'marketing', 'granted', 'signup_form', now() - interval '1 day')`,
        [id],
      );
    }
    const rules = {
      match: 'all',
      conditions: [{ field: 'style_interests', op: 'contains_any', value: [`e2ecamp${run}`] }],
    };
    await adminSql(`insert into public.segments (owner_id, name, rules, shared) values ($1, $2, $3, true)`, [
      ctx.member.userId,
      `Readers ${run}`,
      JSON.stringify(rules),
    ]);
    const [template] = await adminSql<{ id: string }>(
      `insert into public.email_templates (key, name, purpose) values ($1, $2, 'marketing') returning id`,
      [`news-${run}`, `Newsletter ${run}`],
    );
    await adminSql(
      `insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
       values ($1, 'en', 'News for {{first_name}}', '<p>Hello {{first_name}}</p>', 'Hello {{first_name}}')`,
      [template.id],
    );
  });

  it('creates a campaign, reads who is excluded and why, sends it and watches it finish', async () => {
    const page = await ctx.browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await signIn(page, ctx.app.url, ctx.member);
    await page.goto(`${ctx.app.url}/campaigns`);
    await page.getByRole('heading', { name: 'Campaigns', level: 1 }).waitFor({ timeout: 15_000 });
    await page.getByRole('button', { name: 'New campaign' }).first().click();

    const form = page.getByRole('form', { name: 'New campaign' });
    await form.getByRole('textbox', { name: 'Name' }).fill(`Spring news ${run}`);
    await form.getByRole('combobox', { name: 'Audience (segment)' }).selectOption({ label: `Readers ${run}` });
    await form.getByRole('combobox', { name: 'Template (marketing)' }).selectOption({ label: `Newsletter ${run}` });
    await form.getByRole('button', { name: 'Save draft' }).click();

    await page.getByRole('heading', { name: `Spring news ${run}`, level: 2 }).waitFor();
    const summary = page.getByRole('region', { name: 'Before sending' });
    await summary.getByText('No consent to marketing email: 1').waitFor();
    expect(await summary.getByRole('definition').allTextContents()).toEqual(['4', '3', '0', '1']);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Send campaign' }).click();
    await page
      .getByRole('dialog', { name: `Send “Spring news ${run}”?` })
      .getByRole('button', { name: 'Send' })
      .click();
    // The database wakes the sender at once; the page asks for progress every 2 s.
    await page.getByText('Status: Sent').waitFor({ timeout: 60_000 });
    const progress = page.getByRole('region', { name: 'Progress' });
    await progress.getByRole('progressbar', { name: '3 of 3 sent' }).waitFor();
    for (const email of consenting) expect((await mail.list(email)).length, email).toBe(1);
    await page.close();
  }, 120_000);
});
