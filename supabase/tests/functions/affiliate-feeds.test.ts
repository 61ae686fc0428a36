/**
 * affiliate-feeds (issue 12) against a feed this test serves itself (no network): a CSV feed is
 * imported in bounded chunks that resume where the last call stopped, bad rows are listed with a
 * reason and written nowhere, a re-import updates only what changed (a price drop and a restock
 * reach the alert engine's queue exactly as Shopify updates do), products gone from the feed are
 * marked unavailable, a feed that cannot be read fails its run and touches nothing, JSON feeds and
 * field maps work, and the function answers bad calls with its one error shape.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config } from '@cairn/local-stack/testing.ts';
let server: Server;
let origin = '';
const served: Record<string, { status: number; body: string | Uint8Array }> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const file = served[req.url ?? ''] ?? { status: 404, body: 'not found' };
    res.writeHead(file.status, { 'Content-Type': 'text/plain' }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
});

async function call(body: unknown, headers: Record<string, string> = {}, key = config.serviceRoleKey) {
  const response = await fetch(`${config.apiUrl}/functions/v1/affiliate-feeds`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, apikey: config.anonKey, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/**
 * A paused feed (the schedule leaves it alone; the test names it). Who may register feeds is
 * supabase/tests/database/affiliate-feeds.test.ts's subject.
 */
async function addFeed(path: string, format: 'csv' | 'json', fieldMap: Record<string, string> = {}) {
  const network = `Test network ${randomUUID().slice(0, 8)}`;
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.affiliate_feeds (network, feed_url, format, field_map, active) values ($1, $2, $3, $4, false) returning id`,
    [network, `${origin}${path}`, format, JSON.stringify(fieldMap)],
  );
  return { id, network };
}

async function lastRun(feedId: string) {
  const [run] = await adminSql<Record<string, unknown>>(
    `select id, status, rows_total, rows_created, rows_updated, rows_unchanged, rows_rejected, products_unavailable, error
     from public.affiliate_feed_runs where feed_id = $1 order by started_at desc limit 1`,
    [feedId],
  );
  return run;
}

async function variants(network: string) {
  const rows = await adminSql<{
    item: string;
    title: string;
    vendor: string;
    price: string;
    currency: string;
    stock: number;
    variant_id: string;
  }>(
    `select p.affiliate_item_id as item, p.title, p.vendor, v.price::text as price, v.currency, v.inventory_quantity as stock, v.id as variant_id
     from public.products p join public.product_variants v on v.product_id = p.id
     where p.affiliate_network = $1 and p.source = 'affiliate' order by 1`,
    [network],
  );
  return Object.fromEntries(rows.map((row) => [row.item, row]));
}

const HEADER = 'id,title,brand,price,currency,availability,image,url';

describe('affiliate-feeds', () => {
  it('imports a CSV feed in chunks that resume, refusing bad rows with a reason; re-imports feed the alert engine', async () => {
    served['/feed.csv'] = {
      status: 200,
      body: [
        HEADER,
        'A1,"Wool coat, ""navy""",Nordic,120.00,EUR,in stock,https://img.example/a1.jpg,https://shop.example/a1',
        'A2,Scarf,Nordic,30,eur,out of stock,,https://shop.example/a2',
        'A3,Hat,Nordic,25,EUR,in stock,,https://shop.example/a3',
        'A4,Bad currency,Nordic,10,XYZ,in stock,,https://shop.example/a4',
        'A5,Absurd,Nordic,99999999,EUR,in stock,,https://shop.example/a5',
        ',No id,Nordic,10,EUR,in stock,,https://shop.example/x',
        'A6,No url,Nordic,10,EUR,in stock,,',
        'A7,Bad stock,Nordic,10,EUR,maybe,,https://shop.example/a7',
        'A1,Duplicate,Nordic,1,EUR,in stock,,https://shop.example/a1',
        'A8,Bad image,Nordic,10,EUR,in stock,javascript:alert(1),https://shop.example/a8',
      ].join('\r\n'),
    };
    const feed = await addFeed('/feed.csv', 'csv');

    // One chunk of 3 rows, then the call stops; the next call goes on from row 4.
    const first = await call({ feed_id: feed.id, chunk_size: 3, max_chunks: 1 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.runs).toEqual([expect.objectContaining({ status: 'continues' })]);
    expect(await lastRun(feed.id)).toMatchObject({ status: 'applying', rows_total: 10, rows_created: 3 });
    const second = await call({ feed_id: feed.id, chunk_size: 3 });
    expect(second.body.runs).toEqual([expect.objectContaining({ status: 'finished' })]);
    const run = await lastRun(feed.id);
    expect(run).toMatchObject({ status: 'succeeded', rows_total: 10, rows_created: 3, rows_rejected: 7, error: null });
    const errors = await adminSql<{ line: number; item_id: string | null; reason: string }>(
      'select line, item_id, reason from public.affiliate_feed_errors where run_id = $1 order by line',
      [run.id],
    );
    expect(errors).toEqual([
      { line: 5, item_id: 'A4', reason: 'currency XYZ is unknown' },
      { line: 6, item_id: 'A5', reason: expect.stringMatching(/^price 99999999 is out of range/) },
      { line: 7, item_id: null, reason: 'id is missing' },
      { line: 8, item_id: 'A6', reason: 'url (the product page) is missing' },
      { line: 9, item_id: 'A7', reason: expect.stringMatching(/^availability maybe is not understood/) },
      { line: 10, item_id: 'A1', reason: 'id A1 appears earlier in the feed' },
      { line: 11, item_id: 'A8', reason: 'image is not an http(s) address' },
    ]);
    let catalogue = await variants(feed.network);
    expect(Object.keys(catalogue)).toEqual(['A1', 'A2', 'A3']);
    expect(catalogue.A1).toMatchObject({
      title: 'Wool coat, "navy"',
      vendor: 'Nordic',
      price: '120.00',
      currency: 'EUR',
      stock: 1,
    });
    expect(catalogue.A2).toMatchObject({ price: '30.00', stock: 0 });

    // Re-import: A1 drops in price, A2 is back in stock, A3 left the feed.
    served['/feed.csv'].body = [
      HEADER,
      'A1,"Wool coat, ""navy""",Nordic,99.00,EUR,in stock,https://img.example/a1.jpg,https://shop.example/a1',
      'A2,Scarf,Nordic,30,EUR,in stock,,https://shop.example/a2',
    ].join('\n');
    await adminSql('update public.affiliate_feeds set next_run_at = now() where id = $1', [feed.id]);
    expect((await call({ feed_id: feed.id })).status).toBe(200);
    expect(await lastRun(feed.id)).toMatchObject({
      status: 'succeeded',
      rows_updated: 2,
      rows_unchanged: 0,
      products_unavailable: 1,
    });
    catalogue = await variants(feed.network);
    expect(catalogue.A1).toMatchObject({ price: '99.00', stock: 1 });
    expect(catalogue.A2).toMatchObject({ stock: 1 });
    expect(catalogue.A3).toMatchObject({ stock: 0 });
    // What Shopify updates also do: history rows (labelled affiliate) the alert engine queues.
    const queued = await adminSql<{ kind: string; variant_id: string }>(
      `select kind::text, variant_id from private.alert_check_events where variant_id = any($1) order by kind`,
      [[catalogue.A1.variant_id, catalogue.A2.variant_id, catalogue.A3.variant_id]],
    );
    expect(queued).toEqual([
      { kind: 'back_in_stock', variant_id: catalogue.A2.variant_id },
      { kind: 'price_drop', variant_id: catalogue.A1.variant_id },
    ]);
    const [{ sources }] = await adminSql<{ sources: string[] }>(
      `select array_agg(distinct source) as sources from public.price_history where variant_id = $1`,
      [catalogue.A1.variant_id],
    );
    expect(sources).toEqual(['affiliate']);

    // The same feed again: nothing changes, nothing is queued, A3 stays unavailable.
    await adminSql('update public.affiliate_feeds set next_run_at = now() where id = $1', [feed.id]);
    const [{ before }] = await adminSql<{ before: number }>('select count(*)::int as before from public.price_history');
    await call({ feed_id: feed.id });
    expect(await lastRun(feed.id)).toMatchObject({
      status: 'succeeded',
      rows_updated: 0,
      rows_unchanged: 2,
      products_unavailable: 0,
    });
    const [{ after }] = await adminSql<{ after: number }>('select count(*)::int as after from public.price_history');
    expect(after).toBe(before);

    // A feed that cannot be read fails its run and marks nothing unavailable.
    for (const [status, body, reason] of [
      [500, 'oops', /HTTP 500/],
      [200, 'title,price\nx,1', /no id column/],
      [200, '', /empty/],
      [200, new Uint8Array([0xff, 0xfe, 0x00, 0xc3]), /not UTF-8/],
      [200, 'id,title\n"A1,unterminated', /quoted field/],
    ] as const) {
      served['/feed.csv'] = { status, body };
      await adminSql('update public.affiliate_feeds set next_run_at = now() where id = $1', [feed.id]);
      await call({ feed_id: feed.id });
      const failed = await lastRun(feed.id);
      expect(failed.status).toBe('failed');
      expect(String(failed.error)).toMatch(reason);
    }
    // A header with no valid row: the run fails and nothing is marked unavailable either.
    served['/feed.csv'] = { status: 200, body: `${HEADER}\nA1,,,,,,,` };
    await adminSql('update public.affiliate_feeds set next_run_at = now() where id = $1', [feed.id]);
    await call({ feed_id: feed.id });
    expect(await lastRun(feed.id)).toMatchObject({
      status: 'failed',
      rows_rejected: 1,
      error: expect.stringMatching(/no valid row/),
    });
    expect((await variants(feed.network)).A1).toMatchObject({ price: '99.00', stock: 1 });
  });

  it('imports a JSON feed through its field map', async () => {
    served['/feed.json'] = {
      status: 200,
      body: JSON.stringify({
        products: [
          {
            ID: 'J1',
            name: 'Boots',
            Brand: 'Trail',
            price: 80.5,
            currency: 'usd',
            stock: 3,
            deeplink: 'https://shop.example/j1',
            link: 'https://ignored.example',
          },
          5,
          {
            ID: 'J2',
            name: 'Cap',
            price: '12',
            currency: 'USD',
            stock: 'sold out',
            deeplink: 'https://shop.example/j2',
          },
        ],
      }),
    };
    const feed = await addFeed('/feed.json', 'json', { url: 'deeplink' });
    expect((await call({ feed_id: feed.id })).status).toBe(200);
    expect(await lastRun(feed.id)).toMatchObject({
      status: 'succeeded',
      rows_total: 3,
      rows_created: 2,
      rows_rejected: 1,
    });
    const catalogue = await variants(feed.network);
    expect(catalogue.J1).toMatchObject({ title: 'Boots', vendor: 'Trail', price: '80.50', currency: 'USD', stock: 3 });
    expect(catalogue.J2).toMatchObject({ stock: 0 });
    const [{ url }] = await adminSql<{ url: string }>(
      `select affiliate_url as url from public.products where affiliate_network = $1 and affiliate_item_id = 'J1'`,
      [feed.network],
    );
    expect(url).toBe('https://shop.example/j1');

    served['/feed.json'] = { status: 200, body: '{"products": "none"}' };
    await adminSql('update public.affiliate_feeds set next_run_at = now() where id = $1', [feed.id]);
    await call({ feed_id: feed.id });
    expect(await lastRun(feed.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/must be an array/),
    });
  });

  it('imports the sample feed the local stack serves, as CSV and as Google Shopping XML', async () => {
    for (const format of ['csv', 'xml']) {
      const network = `Sample ${randomUUID().slice(0, 8)}`;
      const [{ id }] = await adminSql<{ id: string }>(
        `insert into public.affiliate_feeds (network, feed_url, format, active) values ($1, $2, $3, false) returning id`,
        [network, `${config.shopifyUrl}/feeds/sample.${format}`, format],
      );
      expect((await call({ feed_id: id })).status).toBe(200);
      expect(await lastRun(id), format).toMatchObject({
        status: 'succeeded',
        rows_total: 14,
        rows_created: 12,
        rows_rejected: 2,
      });
    }
  });

  it('is refused to anyone but the schedule and the service role; bad bodies get the one error shape', async () => {
    expect((await call({}, {}, config.anonKey)).status).toBe(403);
    expect((await call({}, { 'X-Cron-Secret': 'wrong' }, config.anonKey)).status).toBe(401);
    for (const body of [
      [1, 2],
      '"feeds"',
      'null',
      '{not json',
      { chunk_size: 0 },
      { chunk_size: 1.5 },
      { feed_id: 'nope' },
      { extra: 1 },
      { budget_ms: 'x' },
      { max_chunks: -1 },
    ]) {
      const refused = await call(body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body).toEqual({
        error: { code: expect.stringMatching(/^invalid_(json|request)$/), message: expect.any(String) },
      });
    }
    const get = await fetch(`${config.apiUrl}/functions/v1/affiliate-feeds`, {
      headers: { Authorization: `Bearer ${config.serviceRoleKey}`, apikey: config.anonKey },
    });
    expect(get.status).toBe(405);
    expect(await get.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
  });
});
