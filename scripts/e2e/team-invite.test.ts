/**
 * Team invitations end to end (issue 4), in Chromium against the local stack: an admin invites
 * a member from the team page, the invitation arrives in the mail catcher, the person follows
 * the link, chooses a password on /accept-invite (which accepts the invitation: until then the
 * team row grants nothing), lands in the app with the invited role, and can sign in again.
 */
import { describe, expect, it } from 'vitest';
import { submitSignIn, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql, firstLink, mail, uniqueEmail } from '@cairn/local-stack/testing.ts';

describe('inviting a team member (Chromium)', () => {
  const ctx = useBrowserApp({ role: 'admin', fullName: 'Ines Inviter' });
  const password = 'Welcome-to-Cairn-1';

  it('an admin invites, the member accepts by email, sets a password and signs in with the role', async () => {
    const invitee = uniqueEmail('invitee');
    const admin = await ctx.browser.newPage();
    await submitSignIn(admin, ctx.app.url, ctx.member);
    await admin.getByRole('button', { name: /Ines Inviter/ }).waitFor({ timeout: 10_000 });

    await admin.getByRole('link', { name: 'Settings' }).click();
    await admin.getByRole('link', { name: /Team/ }).click();
    await admin.getByRole('heading', { name: 'Team', level: 1 }).waitFor();
    await admin.getByRole('table', { name: 'Team members' }).waitFor({ timeout: 10_000 });
    await admin.getByRole('button', { name: 'Invite member' }).click();
    const dialog = admin.getByRole('dialog', { name: 'Invite a team member' });
    await dialog.getByLabel('Email').fill(invitee);
    await dialog.getByLabel('Full name').fill('Mara Member');
    await dialog.getByLabel('Role').selectOption({ label: 'Manager' });
    await dialog.getByRole('button', { name: 'Send invitation' }).click();
    await admin.getByText(`Invitation sent to ${invitee}`).waitFor({ timeout: 10_000 });
    // The list refreshes: the new member is there with the role, waiting for them to accept.
    const row = admin.getByRole('row', { name: new RegExp(invitee) });
    await row.getByText('Invitation sent').waitFor({ timeout: 10_000 });
    expect(await row.getByRole('combobox', { name: 'Role for Mara Member' }).inputValue()).toBe('manager');

    const message = await mail.waitFor(invitee);
    const link = firstLink(message);
    expect(new URL(link).searchParams.get('redirect_to')).toBe(`${ctx.app.url}/accept-invite`);

    // The invitee, in a browser of their own (a new page is a new context: no shared session).
    const member = await ctx.browser.newPage();
    await member.goto(link);
    await member.waitForURL(/\/accept-invite/, { timeout: 10_000 });
    await member.getByRole('heading', { name: 'Welcome to Cairn' }).waitFor({ timeout: 10_000 });
    await member.getByLabel('New password', { exact: true }).fill(password);
    await member.getByLabel('Confirm new password').fill(password);
    await member.getByRole('button', { name: 'Set password and continue' }).click();
    await member.waitForURL((url) => url.pathname === '/', { timeout: 10_000 });
    await member.getByText('Your account is ready.').waitFor();
    const userMenu = member.getByRole('button', { name: /Mara Member/ });
    await userMenu.waitFor({ timeout: 10_000 });
    await userMenu.click();
    await member.getByText('Manager', { exact: true }).waitFor();

    // Signed out and in again with the new password: the account is really theirs.
    await member.getByRole('button', { name: 'Sign out' }).click();
    await member.waitForURL(/\/sign-in/, { timeout: 10_000 });
    await submitSignIn(member, ctx.app.url, { email: invitee, password });
    await userMenu.waitFor({ timeout: 10_000 });
    // As a manager they read the team but are offered no admin actions.
    await member.goto(`${ctx.app.url}/settings/team`);
    await member.getByRole('table', { name: 'Team members' }).waitFor({ timeout: 10_000 });
    expect(await member.getByRole('button', { name: 'Invite member' }).count()).toBe(0);
    expect(await member.getByRole('combobox').count()).toBe(0);

    // The admin's list no longer shows the invitation as pending once they have signed in.
    await admin.reload();
    await admin
      .getByRole('row', { name: new RegExp(invitee) })
      .getByText('Active')
      .waitFor({ timeout: 10_000 });
    const [stored] = await adminSql<{ role: string; active: boolean; accepted: boolean }>(
      `select role, active, accepted_at is not null as accepted from public.team_members where email = $1`,
      [invitee],
    );
    // Accepted by the invitee from the emailed link (the row granted nothing before).
    expect(stored).toEqual({ role: 'manager', active: true, accepted: true });
    await member.close();
    await admin.close();
    // Two browsers, a dozen page loads and a mail round trip on a small shared machine.
  }, 120_000);
});
