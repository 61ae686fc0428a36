/** Where the Deno binary lives: npm `deno` ships it (verified-here.md), with its per-platform package as fallback. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function denoBinary(): string {
  const candidates = ['deno/package.json', `@deno/${process.platform}-${process.arch}-glibc/package.json`];
  for (const candidate of candidates) {
    try {
      const binary = path.join(path.dirname(require.resolve(candidate)), 'deno');
      if (existsSync(binary)) return binary;
    } catch {
      // not installed under this name; try the next
    }
  }
  throw new Error('Deno binary not found: run `npm install` (the scripts workspace depends on npm `deno`)');
}
