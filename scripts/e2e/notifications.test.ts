import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTeamMember, type AppUser } from '../testing/support/app-user.ts';
import { seriousViolations } from '../testing/support/axe.ts';
import { signedInPage, useBrowserApp } from '../testing/support/browser.ts';
import { adminSql } from '@cairn/local-stack/testing.ts';

/**
 * The notification centre in two Chromium sessions against the local stack: an admin assigns a
 * task to an agent and the agent's bell counts it live (Realtime, no reload); the panel groups
 * it under Today and leads to the customer; mark all read empties the count; axe is clean.
 */

describe('the notification bell', () => {
  const ctx = useBrowserApp({ role: 'admin', fullName: 'Ada Assigner' });
  let agent: AppUser;
  let customerId: string;

  beforeAll(async () => {
    agent = await createTeamMember({ role: 'agent', fullName: 'Bea Bell' });
    [{ id: customerId }] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, last_name, owner_id) values ('Bell', $1, $2) returning id`,
      [randomUUID().slice(0, 8), agent.userId],
    );
    // The agent starts with nothing unread (being given the customer notified them).
    await adminSql('update public.notifications set read_at = now() where recipient_id = $1', [agent.userId]);
  });

  it('counts a task an admin assigns live, and leads to it', async () => {
    const agentPage = await signedInPage(ctx.browser, ctx.app.url, agent);
    await agentPage.goto(`${ctx.app.url}/`);
    const bell = agentPage.getByRole('button', { name: /^Notifications/ });
    await bell.waitFor({ timeout: 15_000 });
    expect(await bell.getAttribute('aria-label')).toBe('Notifications');

    const adminPage = await signedInPage(ctx.browser, ctx.app.url, ctx.member);
    await adminPage.goto(`${ctx.app.url}/customers/${customerId}`);
    await adminPage.getByRole('button', { name: 'Create task' }).click();
    const dialog = adminPage.getByRole('dialog', { name: 'Create a task' });
    const title = `Call about the litter ${randomUUID().slice(0, 6)}`;
    await dialog.getByRole('textbox', { name: 'Task' }).fill(title);
    await dialog.getByRole('combobox', { name: 'Assign to' }).selectOption(agent.userId);
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await dialog.waitFor({ state: 'detached' });

    // Live: no reload on the agent's side.
    await agentPage.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 15_000 });
    await agentPage.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    const panel = agentPage.getByRole('region', { name: 'Notifications' });
    const today = panel.getByRole('region', { name: 'Today' });
    const item = today.getByRole('link', { name: new RegExp(title) });
    await item.waitFor({ timeout: 10_000 });
    expect(await seriousViolations(agentPage)).toEqual([]);
    await item.click();
    await agentPage.waitForURL(new RegExp(`/customers/${customerId}\\?activity=`));
    await agentPage.getByRole('button', { name: 'Notifications' }).waitFor({ timeout: 10_000 });

    // A second one, then mark all read.
    await adminSql(`select private.notify($1, 'system', 'Hello from the team')`, [agent.userId]);
    await agentPage.getByRole('button', { name: 'Notifications, 1 unread' }).click();
    await agentPage.getByRole('button', { name: 'Mark all read' }).click();
    await agentPage.getByRole('button', { name: 'Notifications', exact: true }).waitFor({ timeout: 10_000 });
    const [{ unread }] = await adminSql<{ unread: number }>(
      'select count(*)::int as unread from public.notifications where recipient_id = $1 and read_at is null',
      [agent.userId],
    );
    expect(unread).toBe(0);
    await Promise.all([agentPage.close(), adminPage.close()]);
  }, 60_000);
});
