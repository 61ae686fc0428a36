/**
 * `npm run db:types`: regenerates the TypeScript types of the database with the Supabase CLI
 * (`supabase gen types typescript`) into the frontend and the functions' shared folder, and the
 * readable current schema, `supabase/schema.sql` (schema-dump.ts).
 * Uses the running dev stack, or starts one for the occasion. A contract test fails when the
 * committed files drift from what the migrations produce.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stackConfig, type StackConfig } from '@cairn/local-stack/config.ts';
import { isRunning, startStack, stopStack } from '@cairn/local-stack/control.ts';
import { cliDbUrl, runSupabaseCli } from '@cairn/local-stack/migrations.ts';
import { dumpSchema } from './schema-dump.ts';

export const typesTargets = ['frontend/src/types/database.types.ts', 'supabase/functions/_shared/database.types.ts'];
export const schemaTarget = 'supabase/schema.sql';

/** Where the test run keeps the types generated right after the migrations, before any fixture. */
export const pristineTypesFile = (config: StackConfig) => path.join(config.dataDir, 'database.types.ts');
/** Where the test run keeps the schema read right after the migrations, before any fixture. */
export const pristineSchemaFile = (config: StackConfig) => path.join(config.dataDir, 'schema.sql');

export async function generateTypes(config: StackConfig): Promise<string> {
  return runSupabaseCli(config, ['gen', 'types', 'typescript', '--db-url', cliDbUrl(config), '--schema', 'public']);
}

export const generateSchema = (config: StackConfig): Promise<string> => dumpSchema(config.adminDbUrl);

async function main(): Promise<void> {
  const config = stackConfig();
  const started = !isRunning(config);
  if (started) await startStack(config);
  try {
    const types = await generateTypes(config);
    for (const target of typesTargets) {
      const file = path.join(config.root, target);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, types);
      console.log(`wrote ${target}`);
    }
    writeFileSync(path.join(config.root, schemaTarget), await generateSchema(config));
    console.log(`wrote ${schemaTarget}`);
  } finally {
    if (started) await stopStack(config);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
