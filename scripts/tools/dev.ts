/**
 * `npm run dev`: the local stack (with demo data on first start) plus the Vite dev server.
 * Prints where everything is and how to sign in. Ctrl+C stops Vite, and the stack too
 * unless it was already running before.
 */
import { spawn } from 'node:child_process';
import { statusJson } from '@cairn/local-stack/status.ts';
import { stackConfig } from '@cairn/local-stack/config.ts';
import { isRunning, startStack, stopStack } from '@cairn/local-stack/control.ts';

export const APP_URL = 'http://127.0.0.1:3000';
export const DEMO_PASSWORD = 'Cairn-demo-2026';
export const DEMO_LOGINS = [
  'admin@cairn.test     (admin: everything)',
  'manager@cairn.test   (manager: all customers)',
  'agent@cairn.test     (agent: own customers)',
  'readonly@cairn.test  (readonly)',
  'shopper@cairn.test   (shopper portal account)',
];

async function main(): Promise<void> {
  const config = stackConfig('dev');
  const wasRunning = isRunning(config);
  console.log(
    wasRunning
      ? 'Local stack already running.'
      : 'Starting the local stack (a first start also creates the database and its demo data)…',
  );
  const { ms } = await startStack(config);
  if (!wasRunning) console.log(`Local stack ready in ${(ms / 1000).toFixed(1)} s.`);

  const vite = spawn('npm', ['run', '--silent', '-w', 'frontend', 'dev'], {
    cwd: config.root,
    stdio: ['inherit', 'pipe', 'inherit'],
    env: { ...process.env, VITE_SUPABASE_URL: config.apiUrl, VITE_SUPABASE_ANON_KEY: config.anonKey },
  });
  let announced = false;
  vite.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    if (!announced && /ready in|Local:/i.test(chunk.toString())) {
      announced = true;
      printBanner(config);
    }
  });

  const shutdown = async () => {
    vite.kill('SIGTERM');
    if (!wasRunning) {
      console.log('\nStopping the local stack…');
      await stopStack(config);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  vite.on('exit', (code) => {
    if (code) {
      console.error(`Vite exited with code ${code}`);
      void shutdown();
    }
  });
}

function printBanner(config: ReturnType<typeof stackConfig>): void {
  const status = statusJson(config);
  const rows: Array<[string, string]> = [
    ['App', APP_URL],
    ['Shopper portal', `${APP_URL}/portal/`],
    ['API', status.API_URL],
    ['Database', status.DB_URL],
    ['Mail catcher', status.MAILPIT_URL],
    ['Shopify emulator', `${status.SHOPIFY_EMULATOR_URL}/store/cairn-demo.myshopify.com`],
    ['Anon key', status.ANON_KEY],
    ['Service role key', status.SERVICE_ROLE_KEY],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('\n  Cairn is running\n');
  for (const [name, value] of rows) console.log(`  ${name.padEnd(width)}  ${value}`);
  console.log(`\n  Demo logins (password ${DEMO_PASSWORD}):`);
  for (const email of DEMO_LOGINS) console.log(`    ${email}`);
  console.log('\n  Ctrl+C to stop.\n');
}

void main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
