/**
 * Required two-step verification end to end (security review H-1), in Chromium against the
 * local stack: an admin sets up an authenticator app in their profile, then requires two-step
 * verification for the whole team in Settings → Workspace; a member without a factor who signs
 * in is walked through the enrolment (QR code and key, then a TOTP code this test computes from
 * the key on screen) before they see anything else, and then uses the app. Meanwhile the
 * database gives an aal1 token of that member nothing through REST, before and after.
 */
import { TOTP } from 'otpauth';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeamMember, type AppUser } from '../testing/support/app-user.ts';
import { seriousViolations } from '../testing/support/axe.ts';
import { submitSignIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql, client } from '@cairn/local-stack/testing.ts';

/** The current code for the setup key the page shows, as an authenticator app would compute it. */
async function codeFromSetupKey(page: Page): Promise<string> {
  const secret = (await page.getByLabel('Setup key', { exact: true }).textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  return new TOTP({ secret, digits: 6, period: 30, algorithm: 'SHA1' }).generate();
}

/** What a password alone (aal1) reads through the REST API. */
async function customersReadWithPasswordOnly(person: AppUser): Promise<unknown[]> {
  const supabase = client();
  const { error } = await supabase.auth.signInWithPassword({ email: person.email, password: person.password });
  if (error) throw error;
  const { data } = await supabase.from('customers').select('id').limit(5);
  await supabase.auth.signOut();
  return data ?? [];
}

describe('requiring two-step verification for the team (Chromium)', () => {
  const ctx = useBrowserApp({ role: 'admin', fullName: 'Mila Admin' });
  let member: AppUser;
  let customerId: string;

  beforeAll(async () => {
    member = await createTeamMember({ role: 'manager', fullName: 'Nico Newcomer' });
    [{ id: customerId }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, email, source)
       values ('Visible', 'Customer', $1, 'manual') returning id`,
      [`visible-${Date.now()}@example.test`],
    );
  });

  afterAll(async () => {
    // The setting is workspace-wide: leave it as the other browser tests expect it.
    await adminSql(`update public.workspace_settings set require_mfa = false`);
  });

  it('an admin requires it, and a member without a factor is walked through enrolment', async () => {
    expect((await customersReadWithPasswordOnly(member)).length).toBeGreaterThan(0);

    // The admin enrols first (the database refuses the setting from a session without MFA).
    const admin = await ctx.browser.newPage();
    await submitSignIn(admin, ctx.app.url, ctx.member);
    await admin.getByRole('button', { name: /Mila Admin/ }).waitFor({ timeout: 10_000 });
    await admin.goto(`${ctx.app.url}/settings/profile`);
    await admin.getByRole('button', { name: 'Set up an authenticator app' }).click();
    const enrolForm = admin.getByRole('form', { name: 'Set up an authenticator app' });
    await enrolForm.getByLabel('Setup key', { exact: true }).waitFor({ timeout: 10_000 });
    await enrolForm.getByLabel('6-digit code').fill(await codeFromSetupKey(admin));
    await enrolForm.getByRole('button', { name: 'Verify and turn on' }).click();
    await admin.getByText('Two-step verification is on').waitFor({ timeout: 10_000 });

    await admin.goto(`${ctx.app.url}/settings/workspace`);
    const required = admin.getByRole('checkbox', { name: 'Require two-step verification for everyone' });
    await required.waitFor({ timeout: 10_000 });
    await required.check();
    await admin.getByRole('button', { name: 'Save changes' }).click();
    await admin.getByText('Workspace settings saved').waitFor({ timeout: 10_000 });
    const [setting] = await adminSql<{ require_mfa: boolean }>(`select require_mfa from public.workspace_settings`);
    expect(setting.require_mfa).toBe(true);
    await admin.close();

    // Now the password alone opens nothing for the member, whatever the app does.
    expect(await customersReadWithPasswordOnly(member)).toEqual([]);

    // The member signs in and is sent to the enrolment before anything else.
    const page = await ctx.browser.newPage();
    await submitSignIn(page, ctx.app.url, member);
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor({ timeout: 10_000 });
    await page.getByLabel('Setup key', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await seriousViolations(page)).toEqual([]);
    // The CRM stays closed: asking for a page lands on the enrolment again.
    await page.goto(`${ctx.app.url}/customers`);
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor({ timeout: 10_000 });
    await page.getByLabel('Setup key', { exact: true }).waitFor({ timeout: 10_000 });
    await page.getByLabel('6-digit code').fill(await codeFromSetupKey(page));
    await page.getByRole('button', { name: 'Verify and continue' }).click();

    // Enrolled, at aal2: the app opens with the member's data.
    await page.getByRole('button', { name: /Nico Newcomer/ }).waitFor({ timeout: 10_000 });
    await page.goto(`${ctx.app.url}/customers/${customerId}`);
    await page.getByRole('heading', { name: 'Visible Customer' }).first().waitFor({ timeout: 10_000 });
    const [factor] = await adminSql<{ status: string }>(
      `select status from auth.mfa_factors where user_id = $1 and factor_type = 'totp'`,
      [member.userId],
    );
    expect(factor.status).toBe('verified');
    await page.close();

    // And an aal1 token (the password again, without the code) still reads nothing.
    expect(await customersReadWithPasswordOnly(member)).toEqual([]);
  }, 120_000);
});
