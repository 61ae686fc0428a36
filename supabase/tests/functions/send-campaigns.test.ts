/**
 * Sending a campaign end to end (issue 16): send_campaign freezes the audience → send-campaigns
 * (the SQL claim / record / resolve + SendGrid through the mail catcher) → the recipients' inboxes
 * → the one-click unsubscribe of RFC 8058 back into the consent ledger.
 *
 * The runtime "dies" mid-batch through the function's service-role test hook (`die_after`: it
 * hands emails to SendGrid and stops before recording them), then later runs — with the clock
 * moved past the lease — must settle those sends by looking them up at SendGrid (the catcher's
 * Email Activity API) and send the rest: every recipient gets exactly one email. The campaign is
 * scheduled in 2030 and the function is called with `now`, so the every-minute job (real time)
 * never sends it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, callAsService, mail } from '@cairn/local-stack/testing.ts';
import { consentingReaders, frozenCampaign } from '../../../scripts/testing/support/campaigns.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';

const AT = '2030-02-03T10:00:00.000Z';
const plusMinutes = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();
const run = randomUUID().slice(0, 8);

interface RunResult {
  resolved: number;
  claimed: number;
  sent: number;
  died: boolean;
}

async function sendCampaigns(body: Record<string, unknown>): Promise<RunResult> {
  const response = await callAsService('send-campaigns', { rate_per_second: 1000, settle_seconds: 0, ...body });
  const answer = (await response.json()) as RunResult;
  expect(response.status, JSON.stringify(answer)).toBe(200);
  return answer;
}

describe('send-campaigns', () => {
  let cast: Cast;
  let campaignId: string;
  const emails: string[] = [];

  beforeAll(async () => {
    cast = await createCast('send-campaigns');
    // Twelve consenting readers, with no quiet hours of their own (so the wall clock never matters).
    emails.push(...(await consentingReaders(`send-${run}`, 12)).map((reader) => reader.email));
    campaignId = await frozenCampaign(
      cast,
      `send-${run}`,
      { schedule: 'at', send_at: AT },
      { subject: 'Spring for {{first_name}}', body: 'Hello {{first_name}}' },
    );
  });
  afterAll(() => cast?.end());

  it('a runtime dying mid-batch: every recipient still gets exactly one email', async () => {
    // Run 1 claims 5 and dies after handing 3 to SendGrid (one request, cut short): nothing recorded.
    const first = await sendCampaigns({ now: AT, batch_size: 5, die_after: 3 });
    expect(first).toMatchObject({ claimed: 5, died: true });
    // Run 2, after the lease: the 5 become in doubt; the other 7 are sent.
    const second = await sendCampaigns({ now: plusMinutes(10), batch_size: 5 });
    expect(second.sent).toBe(7);
    // Run 3: the in-doubt 5 are looked up at SendGrid — 3 found (settled), 2 not (sent now).
    const third = await sendCampaigns({ now: plusMinutes(11), batch_size: 5 });
    expect(third).toMatchObject({ resolved: 5, sent: 2 });

    const inboxes = await Promise.all(emails.map((email) => mail.list(email)));
    for (const [index, inbox] of inboxes.entries()) expect(inbox.length, emails[index]).toBe(1);
    // Sent in bulk: 12 emails in 4 mail-send requests (3 before the "death", 5 + 2, then the 2
    // not found), each a message of its own with the recipient's own subject and unsubscribe link.
    const messages = inboxes.flat();
    expect(new Set(messages.map((message) => message.messageId)).size).toBe(4);
    for (const [index, [message]] of inboxes.entries()) {
      const reader = emails[index].match(/-(\d+)@/)?.[1];
      expect(message.subject).toBe(`Spring for Reader${reader}`);
      expect(message.text).toContain(`Hello Reader${reader}`);
    }
    expect(new Set(messages.map((message) => message.headers?.['List-Unsubscribe'])).size).toBe(12);
    const [campaign] = await adminSql<{ status: string }>(`select status from public.campaigns where id = $1`, [
      campaignId,
    ]);
    expect(campaign.status).toBe('done');
    const states = await adminSql<{ state: string; n: number }>(
      `select state, count(*)::int as n from public.campaign_recipients where campaign_id = $1 group by state`,
      [campaignId],
    );
    expect(states).toEqual([{ state: 'sent', n: 12 }]);
  });

  it('marketing mail carries List-Unsubscribe (one click, RFC 8058) and the postal address; the click withdraws consent', async () => {
    const [message] = await mail.list(emails[0]);
    const headers = message.headers ?? {};
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const url = headers['List-Unsubscribe']?.match(/^<([^>]+)>/)?.[1] ?? '';
    expect(url).toMatch(/\/functions\/v1\/unsubscribe\?token=/);
    expect(message.text).toContain('1 Harbour Road');
    expect(message.subject).toMatch(/^Spring for Reader\d+$/);

    const clicked = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(clicked.status).toBeLessThan(300);
    const [consent] = await adminSql<{ status: string; source: string }>(
      `select cc.status, cc.source from public.customer_consents cc join public.customers c on c.id = cc.customer_id
       where c.email = $1 and cc.channel = 'email' and cc.purpose = 'marketing'`,
      [emails[0]],
    );
    expect(consent).toEqual({ status: 'withdrawn', source: 'unsubscribe_link' });
  });
});
