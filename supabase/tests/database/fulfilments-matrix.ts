/**
 * Role matrix of Shopify fulfilments and stock per location (issue 11):
 * public.order_fulfillments (read like the order it belongs to: an agent sees the fulfilments of
 * their own customers' orders), public.shop_locations and public.inventory_levels (team members
 * read; shoppers and strangers read none; anon is refused). Nobody inserts, updates or deletes
 * any of them through the API: only Shopify writes them (webhooks and the import, as the owner).
 * Also: a stock level Shopify reports lands per variant and location, its location kept by id
 * until Shopify names it. How they arrive: supabase/tests/functions/shopify-webhook.test.ts and
 * shopify-import.test.ts.
 *
 * Not a test file of its own: shop-imports.test.ts calls fulfilmentMatrix with its cast.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import {
  createCustomer,
  createOrder,
  createShop,
  uniqueExternalId,
  uniqueTag,
} from '../../../scripts/testing/support/commerce.ts';
import type { Cast, Caller } from '../../../scripts/testing/support/team.ts';

let cast: Cast;
let shopId: string;
let agentsOrder: string;
let othersOrder: string;
let locationId: string;
let variantId: string;
const itemId = uniqueExternalId();
const locationExternalId = uniqueExternalId();

const SIGNED_IN: Caller[] = ['admin', 'manager', 'agent', 'agent2', 'readonly', 'shopper', 'stranger'];
const EVERYONE: Caller[] = [...SIGNED_IN, 'anon'];

/**
 * Registers the tests; `castOf` gives the cast of the file that calls this (shop-imports.test.ts),
 * whose sign-ins these tests share to keep the suite's time.
 */
export function fulfilmentMatrix(castOf: () => Cast) {
  beforeAll(async () => {
    cast = castOf();
    shopId = await createShop();
    agentsOrder = await createOrder({ shopId, customerId: await createCustomer(cast.people.agent.userId) });
    othersOrder = await createOrder({ shopId, customerId: await createCustomer(cast.people.agent2.userId) });
    for (const orderId of [agentsOrder, othersOrder])
      await adminSql(
        `insert into public.order_fulfillments (order_id, external_id, status, tracking_company, external_updated_at)
       values ($1, $2, 'success', 'UPS', now())`,
        [orderId, uniqueExternalId()],
      );
    const [{ id: productId }] = await adminSql<{ id: string }>(
      `insert into public.products (shop_id, external_id, title, source) values ($1, $2, $3, 'shopify') returning id`,
      [shopId, uniqueExternalId(), `Product ${uniqueTag()}`],
    );
    [{ id: variantId }] = await adminSql<{ id: string }>(
      `insert into public.product_variants (product_id, external_id, price, currency, inventory_item_id)
     values ($1, $2, 10, 'EUR', $3) returning id`,
      [productId, uniqueExternalId(), itemId],
    );
    // A level as Shopify's apply records it: the trigger mirrors it per variant and location.
    await adminSql(
      `insert into private.shopify_inventory_levels (shop_id, inventory_item_id, location_id, available, updated_at, triggered_at)
     values ($1, $2, $3, 7, now(), now())`,
      [shopId, itemId, locationExternalId],
    );
    [{ id: locationId }] = await adminSql<{ id: string }>(
      `select id from public.shop_locations where shop_id = $1 and external_id = $2`,
      [shopId, locationExternalId],
    );
  });

  describe('order_fulfillments', () => {
    it('each caller reads the fulfilments of the orders they may see; anon is refused', async () => {
      const counts = await cast.countsAs(
        SIGNED_IN,
        `select count(*)::int as n from public.order_fulfillments where order_id = any ($1::uuid[])`,
        [[agentsOrder, othersOrder]],
      );
      expect(counts).toEqual({ admin: 2, manager: 2, agent: 1, agent2: 1, readonly: 2, shopper: 0, stranger: 0 });
      const [mine] = await cast.sql<{ order_id: string }>(
        'agent',
        'select order_id from public.order_fulfillments where order_id = any ($1::uuid[])',
        [[agentsOrder, othersOrder]],
      );
      expect(mine.order_id).toBe(agentsOrder);
      await expect(cast.sql('anon', 'select count(*) from public.order_fulfillments')).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  describe('shop_locations and inventory_levels', () => {
    it('a reported level lands per variant and location; the location is kept by its id until named', async () => {
      const [level] = await adminSql<{ available: number; name: string | null; active: boolean }>(
        `select l.available, s.name, s.active from public.inventory_levels l join public.shop_locations s on s.id = l.location_id
        where l.variant_id = $1`,
        [variantId],
      );
      expect(level).toEqual({ available: 7, name: null, active: true });
      await adminSql(
        `update private.shopify_inventory_levels set available = 3, updated_at = now() where shop_id = $1 and inventory_item_id = $2`,
        [shopId, itemId],
      );
      const [after] = await adminSql<{ available: number }>(
        'select available from public.inventory_levels where variant_id = $1',
        [variantId],
      );
      expect(after.available).toBe(3);
    });

    it.each([
      ['shop_locations', 'id'],
      ['inventory_levels', 'location_id'],
    ])('%s: team members read it; shoppers and strangers read none; anon is refused', async (table, key) => {
      const counts = await cast.countsAs(
        SIGNED_IN,
        `select count(*)::int as n from public.${table} where ${key} = $1`,
        [locationId],
      );
      expect(counts).toEqual({ admin: 1, manager: 1, agent: 1, agent2: 1, readonly: 1, shopper: 0, stranger: 0 });
      await expect(cast.sql('anon', `select count(*) from public.${table}`)).rejects.toMatchObject({ code: '42501' });
    });
  });

  describe.each([
    [
      'order_fulfillments',
      () =>
        `insert into public.order_fulfillments (order_id, external_id, external_updated_at) values ('${agentsOrder}', 1, now())`,
      `update public.order_fulfillments set tracking_url = 'https://evil.example' where order_id = '{A}'`,
    ],
    [
      'shop_locations',
      () => `insert into public.shop_locations (shop_id, external_id) values ('${shopId}', 1)`,
      `update public.shop_locations set name = 'Taken' where id = '{L}'`,
    ],
    [
      'inventory_levels',
      () =>
        `insert into public.inventory_levels (variant_id, location_id, available, external_updated_at) values ('${variantId}', '${locationId}', 1, now())`,
      `update public.inventory_levels set available = 1000 where location_id = '{L}'`,
    ],
  ])('%s', (table, insert, update) => {
    it('nobody inserts, updates or deletes it through the API', async () => {
      const statements = [
        insert(),
        update.replace('{A}', agentsOrder).replace('{L}', locationId),
        `delete from public.${table}`,
      ];
      for (const caller of EVERYONE)
        for (const statement of statements)
          await expect(cast.sql(caller, statement), `${caller}: ${statement}`).rejects.toMatchObject({ code: '42501' });
      const [{ n }] = await adminSql<{ n: number }>(
        `select (select count(*) from public.order_fulfillments where order_id = any ($1::uuid[]))::int
            + (select count(*) from public.inventory_levels where variant_id = $2 and available = 3)::int as n`,
        [[agentsOrder, othersOrder], variantId],
      );
      expect(n).toBe(3);
    });
  });
}
