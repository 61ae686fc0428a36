/**
 * A campaign through SendGrid trouble (issue 16; 20261210150000): a refused key (401) pauses it
 * with the reason until a person resumes; an outage (503) pauses it with the reason and the time
 * it resumes by itself — a minute, then twice as long for each further outage — and after both
 * every recipient has exactly one email. The trouble is the mail catcher's (`mail.fail`: its
 * SendGrid answers the next request with that status and keeps nothing). The campaign is
 * scheduled in 2030 and the function and the resume are called with `now`, so the every-minute
 * job (real time) never touches it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, callAsService, mail } from '@cairn/local-stack/testing.ts';
import { consentingReaders, frozenCampaign } from '../../../scripts/testing/support/campaigns.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';

const AT = '2030-02-04T10:00:00.000Z';
const plus = (minutes: number) => new Date(Date.parse(AT) + minutes * 60_000).toISOString();
const run = randomUUID().slice(0, 8);

async function sendCampaigns(now: string): Promise<{ claimed: number; sent: number }> {
  const response = await callAsService('send-campaigns', {
    now,
    batch_size: 3,
    rate_per_second: 1000,
    settle_seconds: 0,
  });
  const answer = (await response.json()) as { claimed: number; sent: number };
  expect(response.status, JSON.stringify(answer)).toBe(200);
  return answer;
}

const resumeDue = async (now: string) =>
  (await adminSql<{ n: number }>(`select private.resume_campaigns_after_outage($1) as n`, [now]))[0].n;

describe('send-campaigns through SendGrid trouble', () => {
  let cast: Cast;
  let campaignId: string;
  let emails: string[] = [];

  const campaign = async () =>
    (
      await adminSql<{ status: string; status_reason: string | null }>(
        `select status::text, status_reason from public.campaigns where id = $1`,
        [campaignId],
      )
    )[0];
  const states = () =>
    adminSql<{ state: string; n: number; attempts: number }>(
      `select state::text, count(*)::int as n, max(attempts)::int as attempts from public.campaign_recipients
       where campaign_id = $1 group by state`,
      [campaignId],
    );

  beforeAll(async () => {
    cast = await createCast('send-campaigns-faults');
    emails = (await consentingReaders(`faults-${run}`, 6)).map((reader) => reader.email);
    campaignId = await frozenCampaign(cast, `faults-${run}`, { schedule: 'at', send_at: AT });
  });
  afterAll(async () => {
    await mail.fail(null);
    await cast?.end();
  });

  it('a refused key pauses until a person resumes; an outage pauses and resumes by itself, backing off; each reader gets one email', async () => {
    // 401: paused with SendGrid's reason; the sends go back, no attempt counted; no resume by itself.
    await mail.fail(401, 1);
    expect(await sendCampaigns(AT)).toMatchObject({ claimed: 3, sent: 0 });
    expect(await campaign()).toEqual({
      status: 'paused',
      status_reason: expect.stringMatching(/^SendGrid refused the send \(HTTP 401\): .*authorization grant is invalid/),
    });
    expect(await states()).toEqual([{ state: 'queued', n: 6, attempts: 0 }]);
    expect(await resumeDue(plus(60))).toBe(0);
    expect((await sendCampaigns(plus(1))).claimed).toBe(0);
    expect((await cast.client('manager').rpc('resume_campaign', { campaign_id: campaignId })).error).toBeNull();

    // 503: paused, resuming a minute later by itself; nothing is claimed meanwhile.
    await mail.fail(503, 1);
    expect(await sendCampaigns(plus(2))).toMatchObject({ claimed: 3, sent: 0 });
    expect(await campaign()).toEqual({
      status: 'paused',
      status_reason: 'SendGrid is unavailable (HTTP 503): sending resumes by itself at 2030-02-04 10:03 UTC',
    });
    expect((await sendCampaigns(plus(2.5))).claimed).toBe(0);
    expect(await resumeDue(plus(2.9))).toBe(0);
    expect(await resumeDue(plus(3))).toBe(1);
    expect((await campaign()).status).toBe('sending');

    // The next outage waits twice as long.
    await mail.fail(503, 1);
    expect(await sendCampaigns(plus(3))).toMatchObject({ claimed: 3, sent: 0 });
    expect((await campaign()).status_reason).toBe(
      'SendGrid is unavailable (HTTP 503): sending resumes by itself at 2030-02-04 10:05 UTC',
    );
    expect(await resumeDue(plus(4.5))).toBe(0);
    expect(await resumeDue(plus(5))).toBe(1);
    expect(await states()).toEqual([{ state: 'queued', n: 6, attempts: 0 }]);
    expect(await mail.list(emails[0])).toHaveLength(0);

    // SendGrid is back: everyone once, and the campaign's outages are forgotten.
    expect(await sendCampaigns(plus(5))).toMatchObject({ sent: 6 });
    expect(await campaign()).toEqual({ status: 'done', status_reason: null });
    for (const email of emails) expect((await mail.list(email)).length, email).toBe(1);
    expect(await adminSql(`select 1 from private.campaign_outages where campaign_id = $1`, [campaignId])).toHaveLength(
      0,
    );
  });

  it('a pause a person makes after an outage is never undone by the job', async () => {
    // An outage pause resumed early by a person, then paused by them: the job leaves it paused.
    await adminSql(
      `insert into private.campaign_outages (campaign_id, outages, resume_at) values ($1, 1, $2)
       on conflict (campaign_id) do update set resume_at = excluded.resume_at`,
      [campaignId, plus(100)],
    );
    await adminSql(`update public.campaign_recipients set state = 'queued', sent_at = null where campaign_id = $1`, [
      campaignId,
    ]);
    await adminSql(`select private.set_campaign_status($1, 'paused', 'drill')`, [campaignId]);
    expect((await cast.client('manager').rpc('resume_campaign', { campaign_id: campaignId })).error).toBeNull();
    expect((await cast.client('manager').rpc('pause_campaign', { campaign_id: campaignId })).error).toBeNull();
    expect(await resumeDue(plus(200))).toBe(0);
    expect((await campaign()).status).toBe('paused');
    expect((await cast.client('manager').rpc('cancel_campaign', { campaign_id: campaignId })).data).toBe('cancelled');
  });

  it('nobody reaches the outages or the resume but the database itself', async () => {
    for (const caller of ['admin', 'manager', 'agent', 'anon'] as const) {
      await expect(cast.sql(caller, 'select * from private.campaign_outages'), caller).rejects.toMatchObject({
        code: '42501',
      });
      await expect(cast.sql(caller, 'select private.resume_campaigns_after_outage()'), caller).rejects.toMatchObject({
        code: '42501',
      });
    }
    const viaApi = await cast.client('admin').rpc('resume_campaigns_after_outage' as never);
    expect(viaApi.error?.code).toBe('PGRST202');
  });
});
