/**
 * `npm run supabase:start | supabase:stop | supabase:status | db:reset` — the Supabase CLI's
 * local-development commands, for Cairn's Docker-free stack.
 *
 *   start            start every part in the background; returns once all are healthy
 *   stop             stop it (data is kept in the instance's data folder)
 *   status [-o json] the URLs and keys, with the same names as `supabase status -o json`
 *   db-reset         fresh database: bootstrap → supabase/migrations → supabase/seed.sql
 *
 * CAIRN_STACK=test selects the test instance (other ports, other data folder).
 */
import { rmSync } from 'node:fs';
import { stackConfig, type StackConfig } from './config.ts';
import { statusJson } from './status.ts';
import { isRunning, startStack, stopStack } from './control.ts';

function printStatus(config: StackConfig, json: boolean): void {
  const status = statusJson(config);
  if (json) {
    console.log(JSON.stringify(status, null, 2));
    return;
  }
  const width = Math.max(...Object.keys(status).map((key) => key.length));
  for (const [key, value] of Object.entries(status)) console.log(`${key.padStart(width)}: ${value}`);
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const config = stackConfig();
  const json = args.includes('json') && (args.includes('-o') || args.includes('--output'));
  switch (command) {
    case 'start': {
      const result = await startStack(config);
      console.log(
        result.alreadyRunning
          ? 'Cairn local stack is already running.'
          : `Started Cairn local stack in ${result.ms} ms.`,
      );
      printStatus(config, false);
      return;
    }
    case 'stop':
      console.log((await stopStack(config)) ? 'Stopped Cairn local stack.' : 'Cairn local stack is not running.');
      return;
    case 'status':
      if (!isRunning(config)) {
        console.error(`Cairn local stack (${config.name}) is not running. Run: npm run supabase:start`);
        process.exitCode = 1;
        return;
      }
      printStatus(config, json);
      return;
    case 'db-reset': {
      const wasRunning = isRunning(config);
      await stopStack(config);
      console.log('Resetting local database…');
      rmSync(config.pgDataDir, { recursive: true, force: true });
      rmSync(config.storageDir, { recursive: true, force: true });
      for (const marker of ['bootstrapped', 'migrated']) rmSync(`${config.dataDir}/${marker}`, { force: true });
      const result = await startStack(config);
      console.log(`Database reset and migrations applied in ${result.ms} ms.`);
      if (!wasRunning && args.includes('--stop')) await stopStack(config);
      return;
    }
    default:
      console.error('usage: cli.ts start | stop | status [-o json] | db-reset');
      process.exitCode = 2;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
