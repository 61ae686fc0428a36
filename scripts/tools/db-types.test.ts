import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pristineSchemaFile, pristineTypesFile, schemaTarget, typesTargets } from './db-types.ts';
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

describe('supabase/schema.sql', () => {
  const generated = readFileSync(pristineSchemaFile(config), 'utf8');

  it('holds every policy, table and function of the migrated database', () => {
    expect(generated).toContain('create table public.customers (');
    expect(generated).toContain('alter table public.customers enable row level security;');
    expect(generated).toMatch(/create policy "[^"]+" on public\.customers/);
    expect(generated).toContain('CREATE OR REPLACE FUNCTION private.team_role()');
  });

  it('matches the migrations (run `npm run db:types` after changing them)', () => {
    expect(readFileSync(path.join(config.root, schemaTarget), 'utf8')).toBe(generated);
  });
});
