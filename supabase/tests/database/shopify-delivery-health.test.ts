/**
 * The Integrations health panel's delivery figures (issue 11): public.shopify_delivery_health
 * counts a shop's deliveries of the last 24 hours by status in the database — exactly, also past
 * the 10 000 rows the panel used to fetch — with its last delivery, next retry and how many failed
 * ones wait for a retry (any age); only admins
 * see figures (RLS on webhook_deliveries), everyone else zeros, anon is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createShop } from '../../../scripts/testing/support/commerce.ts';
import { type Cast, type Caller, createCast } from '../../../scripts/testing/support/team.ts';

let cast: Cast;
let shopId: string;
let otherShopId: string;

beforeAll(async () => {
  cast = await createCast('delivery-health');
  [shopId, otherShopId] = [await createShop(), await createShop()];
  // 12 000 applied, 300 ignored and 25 failed in the last 24 hours; 500 older ones (one failed,
  // still waiting for a retry); another shop's.
  await adminSql(
    `insert into public.webhook_deliveries
       (shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, status, received_at, next_attempt_at)
     select $1, 'orders/create', 'e' || i, 'w' || i, now(), '2026-01', '{}',
       (case when i <= 12000 then 'applied' when i <= 12300 then 'ignored' when i <= 12325 or i = 12825 then 'failed' else 'applied' end)::public.webhook_delivery_status,
       case when i <= 12325 then now() - (i % 1000) * interval '1 minute' else now() - interval '3 days' end,
       case when i > 12300 and i <= 12325 then now() + (i - 12300) * interval '1 minute'
            when i = 12825 then now() + interval '2 hours' end
     from generate_series(1, 12825) i`,
    [shopId],
  );
  await adminSql(
    `insert into public.webhook_deliveries (shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, status, received_at)
     values ($1, 'orders/create', 'other', 'other', now(), '2026-01', '{}', 'received', now())`,
    [otherShopId],
  );
});
afterAll(() => cast?.end());

describe('shopify_delivery_health', () => {
  it('counts the last 24 hours by status exactly, with the last delivery and the next retry', async () => {
    const { data, error } = await cast.client('admin').rpc('shopify_delivery_health', { shop_id: shopId }).single();
    expect(error).toBeNull();
    const [{ last, retry }] = await adminSql<{ last: Date; retry: Date }>(
      `select max(received_at) as last, min(next_attempt_at) filter (where status = 'failed') as retry
       from public.webhook_deliveries where shop_id = $1`,
      [shopId],
    );
    // 25 failed today plus one from 3 days ago, all still waiting for a retry.
    expect(data).toMatchObject({ applied: 12000, ignored: 300, failed: 25, received: 0, waiting_retry: 26 });
    const health = data as { last_received_at: string; next_retry_at: string };
    expect(new Date(health.last_received_at).getTime()).toBe(last.getTime());
    expect(new Date(health.next_retry_at).getTime()).toBe(retry.getTime());
  });

  it.each(['manager', 'agent', 'readonly', 'stranger'] as Caller[])('%s sees zeros and no dates', async (caller) => {
    const { data, error } = await cast.client(caller).rpc('shopify_delivery_health', { shop_id: shopId }).single();
    expect(error).toBeNull();
    expect(data).toEqual({
      last_received_at: null,
      applied: 0,
      ignored: 0,
      failed: 0,
      received: 0,
      next_retry_at: null,
      waiting_retry: 0,
    });
  });

  it("tells the panel live that a shop's deliveries changed, at most every 2 seconds per shop", async () => {
    const signals = async () =>
      (
        await adminSql<{ n: number }>(
          `select count(*)::int as n from realtime.messages
            where topic = 'shopify-integrations' and event = 'deliveries' and private and payload ->> 'shop_id' = $1`,
          [otherShopId],
        )
      )[0].n;
    const deliver = (key: string) =>
      adminSql(
        `insert into public.webhook_deliveries (shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, status)
         values ($1, 'orders/create', $2, $2, now(), '2026-01', '{}', 'applied')`,
        [otherShopId, key],
      );
    // The delivery stored before this test signalled once; another within 2 seconds does not.
    expect(await signals()).toBe(1);
    await deliver('live-1');
    expect(await signals()).toBe(1);
    // Two seconds later (the signal's time moved back instead of waiting), the next one does.
    await adminSql(
      `update private.shop_delivery_signals set signalled_at = now() - interval '3 seconds' where shop_id = $1`,
      [otherShopId],
    );
    await deliver('live-2');
    expect(await signals()).toBe(2);
  });

  it('anon is refused', async () => {
    const { error } = await cast.client('anon').rpc('shopify_delivery_health', { shop_id: shopId });
    expect(error?.code).toBe('42501');
  });
});
