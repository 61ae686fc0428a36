import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { mapGroups, readChunk } from './handler.ts';

/** A bulk export file served with HTTP ranges, as Shopify's storage serves it. */
async function withExport(lines: unknown[], test: (url: string, size: number) => Promise<void>) {
  const body = new TextEncoder().encode(lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  const server = Deno.serve({ port: 0, hostname: '127.0.0.1', onListen: () => undefined }, (req) => {
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.get('Range') ?? '');
    if (!range) return new Response(body, { status: 200 });
    const from = Number(range[1]);
    if (from >= body.length) return new Response(null, { status: 416 });
    const to = Math.min(range[2] ? Number(range[2]) : body.length - 1, body.length - 1);
    return new Response(body.slice(from, to + 1), {
      status: 206,
      headers: { 'Content-Range': `bytes ${from}-${to}/${body.length}` },
    });
  });
  try {
    await test(`http://127.0.0.1:${server.addr.port}/export.jsonl`, body.length);
  } finally {
    await server.shutdown();
  }
}

const location = (id: number) => ({
  id: `gid://shopify/Location/${id}`,
  name: `Store ${id}`,
  isActive: true,
  updatedAt: '2025-01-01T00:00:00Z',
  address: { city: 'Lyon', countryCode: 'FR' },
});
const level = (locationId: number, item: number) => ({
  id: `gid://shopify/InventoryLevel/${item}?inventory_item_id=${item}`,
  updatedAt: '2025-01-02T00:00:00Z',
  item: { id: `gid://shopify/InventoryItem/${item}` },
  quantities: [{ name: 'available', quantity: item % 7 }],
  __parentId: `gid://shopify/Location/${locationId}`,
});

/** Two locations, five stock levels each. */
const locationsExport = [1, 2].flatMap((id) => [location(id), ...[1, 2, 3, 4, 5].map((i) => level(id, id * 100 + i))]);

Deno.test(
  'a location’s stock levels are cut into chunks of at most maxChildren, each chunk resuming where the last stopped',
  async () => {
    await withExport(locationsExport, async (url, size) => {
      const chunks = [];
      let offset = 0;
      for (;;) {
        const chunk = await readChunk(url, offset, 1000, { maxChildren: 3 });
        chunks.push(chunk);
        if (chunk.atEnd) break;
        strictEqual(chunk.endOffset > offset, true, 'every chunk moves on');
        offset = chunk.endOffset;
      }
      // 10 levels, 3 a chunk: 4 chunks; the last one reaches the end of the file.
      deepStrictEqual(
        chunks.map((chunk) =>
          chunk.groups.map((group) => ({
            location: group.root.id,
            continued: group.continued ?? false,
            levels: group.children.length,
          })),
        ),
        [
          [{ location: 'gid://shopify/Location/1', continued: false, levels: 3 }],
          [
            { location: 'gid://shopify/Location/1', continued: true, levels: 2 },
            { location: 'gid://shopify/Location/2', continued: false, levels: 1 },
          ],
          [{ location: 'gid://shopify/Location/2', continued: true, levels: 3 }],
          [{ location: 'gid://shopify/Location/2', continued: true, levels: 1 }],
        ],
      );
      strictEqual(chunks.at(-1)?.endOffset, size);
      // Every level read exactly once, in file order.
      deepStrictEqual(
        chunks.flatMap((chunk) => chunk.groups.flatMap((group) => group.children.map((child) => child.id))),
        locationsExport.filter((line) => '__parentId' in line).map((line) => line.id),
      );
    });
  },
);

Deno.test('without maxChildren a chunk holds whole groups only (orders keep their line items together)', async () => {
  await withExport(locationsExport, async (url, size) => {
    const first = await readChunk(url, 0, 1);
    deepStrictEqual(
      first.groups.map((group) => [group.root.id, group.children.length, group.continued]),
      [['gid://shopify/Location/1', 5, undefined]],
    );
    const second = await readChunk(url, first.endOffset, 1);
    deepStrictEqual(
      second.groups.map((group) => [group.root.id, group.children.length]),
      [['gid://shopify/Location/2', 5]],
    );
    strictEqual(second.endOffset, size);
  });
});

Deno.test(
  'a continued location maps to its stock levels only (its location record came with the chunk before)',
  async () => {
    await withExport(locationsExport, async (url) => {
      const first = await readChunk(url, 0, 1000, { maxChildren: 3 });
      const second = await readChunk(url, first.endOffset, 1000, { maxChildren: 3 });
      const kinds = (records: Array<{ mapped: unknown }>) =>
        records.map((record) => {
          const mapped = record.mapped as { kind: string; record: Record<string, unknown> };
          return mapped.kind === 'location'
            ? ['location', mapped.record.shopifyId]
            : [mapped.kind, mapped.record.locationId, mapped.record.inventoryItemId];
        });
      const one = mapGroups('locations', first.groups);
      deepStrictEqual(one.failures, []);
      deepStrictEqual(kinds(one.records), [
        ['location', 1],
        ['inventory_level', 1, 101],
        ['inventory_level', 1, 102],
        ['inventory_level', 1, 103],
      ]);
      const two = mapGroups('locations', second.groups);
      deepStrictEqual(two.failures, []);
      deepStrictEqual(kinds(two.records), [
        ['inventory_level', 1, 104],
        ['inventory_level', 1, 105],
        ['location', 2],
        ['inventory_level', 2, 201],
      ]);
    });
  },
);
