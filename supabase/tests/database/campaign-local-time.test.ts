import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { consentingReaders, frozenCampaign } from '../../../scripts/testing/support/campaigns.ts';
import { createCast, type Cast } from '../../../scripts/testing/support/team.ts';

/**
 * A campaign sent "at a local time in each recipient's time zone" (issue 16; `local_time`
 * schedule, `private.campaign_send_time` inlined in the freeze of 20261209100000): each
 * recipient's send instant is that wall-clock time in their own zone on that day — with the
 * offset in force on that day, not on the day the campaign was frozen (it is frozen now, in
 * December, and sent on the last Sunday of March 2030, the day Europe moves its clocks forward,
 * three weeks after the United States did and a week before Sydney and Chatham move theirs back),
 * in zones with half- and three-quarter-hour offsets too.
 *
 * Clock changes: a local time that does not exist that day (02:30 in Berlin on 2030-03-31, when
 * the clocks jump from 02:00 to 03:00) is read as standard time, so it goes at 03:30 summer time,
 * an hour later by the clock; a local time that happens twice (02:30 in Berlin on 2030-10-27)
 * goes once, at the second 02:30 (standard time). Postgres' own rule for such times, written
 * down here so a change to it is noticed.
 */

const run = randomUUID().slice(0, 8);

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Sydney',
  'Pacific/Chatham',
];

describe('a campaign at a local time in each recipient’s zone', () => {
  let cast: Cast;
  const zoneOf = new Map<string, string>();

  beforeAll(async () => {
    cast = await createCast('campaign-local');
    const readers = await consentingReaders(`local-${run}`, ZONES.length, {
      zones: ZONES,
      owner: cast.people.agent.userId,
    });
    for (const reader of readers) zoneOf.set(reader.id, reader.zone);
  });
  afterAll(async () => {
    await adminSql(`delete from public.campaigns where name like $1`, [`%${run}%`]);
    await adminSql(`delete from public.customers where last_name = $1`, [`local-${run}`]);
    await cast?.end();
  });

  /** Freezes a local-time campaign as a manager; returns each zone's due instant (ISO, UTC). */
  async function dueByZone(localDate: string, localTime: string): Promise<Record<string, string>> {
    const id = await frozenCampaign(cast, `local-${run}`, {
      schedule: 'local_time',
      local_date: localDate,
      local_time: localTime,
    });
    const rows = await adminSql<{ customer_id: string; zone: string; state: string; due: string }>(
      `select customer_id, zone, state::text, to_char(not_before at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI"Z"') as due
       from public.campaign_recipients where campaign_id = $1`,
      [id],
    );
    expect(rows).toHaveLength(ZONES.length);
    const due: Record<string, string> = {};
    for (const row of rows) {
      expect(row.zone).toBe(zoneOf.get(row.customer_id));
      expect(row.state).toBe('queued');
      due[row.zone] = row.due;
    }
    expect((await cast.client('manager').rpc('cancel_campaign', { campaign_id: id })).data).toBe('cancelled');
    return due;
  }

  it('sends at 09:00 by each recipient’s clock on the day Europe moves to summer time', async () => {
    expect(await dueByZone('2030-03-31', '09:00')).toEqual({
      UTC: '2030-03-31T09:00Z',
      'Europe/Berlin': '2030-03-31T07:00Z', // CEST, UTC+2 since 01:00 UTC that morning
      'Europe/London': '2030-03-31T08:00Z', // BST, UTC+1
      'America/New_York': '2030-03-31T13:00Z', // EDT since 10 March, UTC−4
      'Asia/Kolkata': '2030-03-31T03:30Z', // UTC+5:30
      'Asia/Kathmandu': '2030-03-31T03:15Z', // UTC+5:45
      'Australia/Sydney': '2030-03-30T22:00Z', // AEDT until 7 April, UTC+11
      'Pacific/Chatham': '2030-03-30T19:15Z', // CHADT until 7 April, UTC+13:45
    });
  });

  it('a week later Sydney and Chatham are on standard time, Europe stays on summer time', async () => {
    const due = await dueByZone('2030-04-08', '09:00');
    expect(due['Australia/Sydney']).toBe('2030-04-07T23:00Z'); // AEST, UTC+10
    expect(due['Pacific/Chatham']).toBe('2030-04-07T20:15Z'); // CHAST, UTC+12:45
    expect(due['Europe/Berlin']).toBe('2030-04-08T07:00Z');
    expect(due['America/New_York']).toBe('2030-04-08T13:00Z');
  });

  it('a local time the clocks skip goes an hour later by the clock; one they repeat goes once, at the second', async () => {
    const skipped = await dueByZone('2030-03-31', '02:30');
    expect(skipped['Europe/Berlin']).toBe('2030-03-31T01:30Z'); // 03:30 CEST: 02:30 did not exist
    expect(skipped['Europe/London']).toBe('2030-03-31T01:30Z'); // London skips 01:00–02:00: 02:30 BST exists
    const repeated = await dueByZone('2030-10-27', '02:30');
    expect(repeated['Europe/Berlin']).toBe('2030-10-27T01:30Z'); // the second 02:30, CET (the first was 00:30Z)
    expect(repeated['Europe/London']).toBe('2030-10-27T02:30Z'); // 02:30 GMT, after the change at 01:00 UTC
  });
});
