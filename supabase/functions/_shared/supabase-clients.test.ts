import { strictEqual } from 'node:assert/strict';
import { likeLiteral } from './supabase-clients.ts';

Deno.test('likeLiteral escapes LIKE wildcards and the escape character, nothing else', () => {
  strictEqual(likeLiteral('ana_b%c\\d@example.com'), 'ana\\_b\\%c\\\\d@example.com');
  strictEqual(likeLiteral('plain@example.com'), 'plain@example.com');
});
