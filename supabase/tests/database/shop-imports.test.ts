/**
 * Role matrix of the Shopify history imports (issue 11): public.shop_imports and
 * public.shop_import_errors. Admins read them; every other caller reads none; anon is refused;
 * nobody inserts, updates or deletes through the API (the shopify-import function writes as the
 * service role).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql } from '@cairn/local-stack/testing.ts';
import { createShop } from '../../../scripts/testing/support/commerce.ts';
import { type Cast, type Caller, createCast } from '../../../scripts/testing/support/team.ts';

let cast: Cast;
let importId: string;

beforeAll(async () => {
  cast = await createCast('shop-imports');
  const shopId = await createShop();
  [{ id: importId }] = await adminSql<{ id: string }>(
    `insert into public.shop_imports (shop_id, status) values ($1, 'failed') returning id`,
    [shopId],
  );
  await adminSql(
    `insert into public.shop_import_errors (import_id, phase, shopify_id, reason) values ($1, 'orders', 'gid://shopify/Order/1', 'bad row')`,
    [importId],
  );
});
afterAll(() => cast?.end());

const READERS: Caller[] = ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger'];
const EVERYONE: Caller[] = [...READERS, 'anon'];

describe.each([
  ['shop_imports', 'id'],
  ['shop_import_errors', 'import_id'],
])('%s', (table, key) => {
  it('admins read it; every other signed-in caller reads none; anon is refused', async () => {
    const counts = await cast.countsAs(READERS, `select count(*)::int as n from public.${table} where ${key} = $1`, [
      importId,
    ]);
    expect(counts).toEqual({ admin: 1, manager: 0, agent: 0, readonly: 0, shopper: 0, stranger: 0 });
    await expect(cast.sql('anon', `select count(*) from public.${table}`)).rejects.toMatchObject({ code: '42501' });
  });

  it('nobody inserts, updates or deletes through the API', async () => {
    const insert =
      table === 'shop_imports'
        ? `insert into public.shop_imports (shop_id) select shop_id from public.shop_imports limit 1`
        : `insert into public.shop_import_errors (import_id, phase, reason) values ('${importId}', 'orders', 'x')`;
    for (const caller of EVERYONE) {
      for (const statement of [insert, `update public.${table} set ${key} = ${key}`, `delete from public.${table}`]) {
        await expect(cast.sql(caller, statement), `${caller}: ${statement}`).rejects.toMatchObject({ code: '42501' });
      }
    }
    const [{ n }] = await adminSql<{ n: number }>(`select count(*)::int as n from public.${table} where ${key} = $1`, [
      importId,
    ]);
    expect(n).toBe(1);
  });
});
