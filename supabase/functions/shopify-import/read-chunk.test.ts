import { deepStrictEqual, ok, strictEqual } from 'node:assert/strict';
import { readChunk } from './handler.ts';

/** A bulk export's JSONL: `roots` orders, each followed by two line items naming it by `__parentId`. */
function exportFile(roots: number): Uint8Array<ArrayBuffer> {
  const lines: string[] = [];
  for (let i = 0; i < roots; i++) {
    const id = `gid://shopify/Order/${1000 + i}`;
    lines.push(JSON.stringify({ id, name: `#${1000 + i}`, note: 'ñ'.repeat(i % 7) }));
    for (let l = 0; l < 2; l++)
      lines.push(JSON.stringify({ id: `gid://shopify/LineItem/${i * 2 + l}`, __parentId: id }));
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** The export file served with byte ranges, as the storage behind Shopify's signed URLs serves it. */
function fileServer(file: Uint8Array<ArrayBuffer>) {
  const ranges: string[] = [];
  const server = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, (req) => {
    const range = req.headers.get('Range') ?? '';
    ranges.push(range);
    const match = /^bytes=(\d+)-(\d*)$/.exec(range);
    if (!match) return new Response(file);
    const start = Number(match[1]);
    const end = match[2] ? Math.min(Number(match[2]), file.length - 1) : file.length - 1;
    if (start >= file.length) return new Response(null, { status: 416 });
    return new Response(file.slice(start, end + 1), {
      status: 206,
      headers: { 'Content-Range': `bytes ${start}-${end}/${file.length}` },
    });
  });
  return { url: `http://127.0.0.1:${server.addr.port}/export.jsonl`, ranges, close: () => server.shutdown() };
}

Deno.test('readChunk reads a chunk in bounded byte ranges: the same groups and offsets as one whole read', async () => {
  const file = exportFile(50);
  const server = fileServer(file);
  try {
    // The whole file in one range, then in ranges far smaller than a group (lines cut anywhere,
    // a two-byte character cut in half).
    type Chunk = Awaited<ReturnType<typeof readChunk>>;
    const whole: Chunk[] = [];
    const small: Chunk[] = [];
    for (const [out, rangeBytes] of [
      [whole, file.length * 2],
      [small, 37],
    ] as const) {
      let offset = 0;
      for (;;) {
        const chunk = await readChunk(server.url, offset, 8, { rangeBytes });
        out.push(chunk);
        offset = chunk.endOffset;
        if (chunk.atEnd) break;
      }
    }
    deepStrictEqual(small, whole);
    strictEqual(whole.length, 7); // 6 chunks of 8 orders, the last of 2
    deepStrictEqual(
      whole.map((chunk) => chunk.groups.length),
      [8, 8, 8, 8, 8, 8, 2],
    );
    ok(whole.every((chunk) => chunk.groups.every((group) => group.children.length === 2 && !group.invalid)));
    strictEqual(whole.at(-1)?.endOffset, file.length);
    // Every request named its last byte: a range of 37 bytes (or the whole-file read's size),
    // never the rest of the file.
    const spans = server.ranges.map((range) => {
      const match = /^bytes=(\d+)-(\d+)$/.exec(range);
      ok(match, `unbounded range ${range}`);
      return Number(match[2]) - Number(match[1]) + 1;
    });
    ok(spans.every((span) => span === 37 || span === file.length * 2));
    ok(spans.filter((span) => span === 37).length > file.length / 37);
  } finally {
    await server.close();
  }
});

Deno.test(
  'readChunk answers the end of the file after the last chunk, and refuses a server that ignores the range',
  async () => {
    const file = exportFile(3);
    const server = fileServer(file);
    try {
      deepStrictEqual(await readChunk(server.url, file.length, 8, { rangeBytes: 64 }), {
        groups: [],
        endOffset: file.length,
        atEnd: true,
      });
    } finally {
      await server.close();
    }
    const ignoring = Deno.serve({ hostname: '127.0.0.1', port: 0, onListen: () => {} }, () => new Response(file));
    try {
      const url = `http://127.0.0.1:${ignoring.addr.port}/export.jsonl`;
      // From the start a whole answer is fine; past it, it is not.
      strictEqual((await readChunk(url, 0, 8, { rangeBytes: 64 })).groups.length, 3);
      let refused: unknown = null;
      await readChunk(url, 10, 8, { rangeBytes: 64 }).catch((error) => (refused = error));
      ok(refused instanceof Error && /ignored the byte range/.test(refused.message));
    } finally {
      await ignoring.shutdown();
    }
  },
);
