import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { SecretCache } from './secrets.ts';

Deno.test('SecretCache serves a known secret from memory until it expires', async () => {
  let now = 0;
  const lookups: string[] = [];
  const cache = new SecretCache(
    (domain) => {
      lookups.push(domain);
      return Promise.resolve('secret-of-some-length');
    },
    1000,
    () => now,
  );
  deepStrictEqual(await cache.get('a.myshopify.com'), { secret: 'secret-of-some-length', cached: false });
  deepStrictEqual(await cache.get('a.myshopify.com'), { secret: 'secret-of-some-length', cached: true });
  now = 1000;
  deepStrictEqual(await cache.get('a.myshopify.com'), { secret: 'secret-of-some-length', cached: false });
  strictEqual(lookups.length, 2);
});

Deno.test('SecretCache never caches an unknown shop and reloads when asked for a fresh secret', async () => {
  let secret: string | null = null;
  let lookups = 0;
  const cache = new SecretCache(() => {
    lookups += 1;
    return Promise.resolve(secret);
  });
  deepStrictEqual(await cache.get('a.myshopify.com'), { secret: null, cached: false });
  secret = 'now-configured-secret';
  deepStrictEqual(await cache.get('a.myshopify.com'), { secret: 'now-configured-secret', cached: false });
  deepStrictEqual(await cache.get('a.myshopify.com', true), { secret: 'now-configured-secret', cached: false });
  strictEqual(lookups, 3);
});
