import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pristineTypesFile, typesTargets } from './db-types.ts';
import { config } from '@cairn/local-stack/testing.ts';

describe('generated database types', () => {
  // The global setup generated them with the Supabase CLI right after the migrations ran.
  const generated = readFileSync(pristineTypesFile(config), 'utf8');

  it('come from the Supabase CLI', () => {
    expect(generated).toContain('export type Database');
  });

  it.each(typesTargets)('%s matches the migrations (run `npm run db:types` after changing them)', (target) => {
    expect(readFileSync(path.join(config.root, target), 'utf8')).toBe(generated);
  });
});
