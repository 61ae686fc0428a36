/**
 * `deno test` for the Edge Functions: type-checks every function's entrypoint and runs the
 * `*.test.ts` files under `supabase/functions`, one Deno run per folder so each function's
 * own deno.json (its pinned npm imports) applies, as it does when the function is deployed.
 * Exits non-zero when any folder fails. Extra arguments go to `deno test` (e.g. `--filter`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@cairn/local-stack/config.ts';
import { testFiles } from '@cairn/local-stack/functions/catalog.ts';
import { denoBinary } from '@cairn/local-stack/functions/deno.ts';

const functionsRoot = path.join(repoRoot, 'supabase', 'functions');

function configArgs(dir: string): string[] {
  const config = ['deno.json', 'deno.jsonc'].map((file) => path.join(dir, file)).find((file) => existsSync(file));
  return config ? ['--config', config] : [];
}

function run(args: string[], cwd: string): number {
  console.log(`\n$ deno ${args.map((arg) => path.relative(repoRoot, arg) || arg).join(' ')}`);
  const result = spawnSync(denoBinary(), args, { cwd, stdio: 'inherit' });
  return result.status ?? 1;
}

function main(): number {
  if (!existsSync(functionsRoot)) return 0;
  const folders = readdirSync(functionsRoot).filter(
    (entry) => !entry.startsWith('.') && statSync(path.join(functionsRoot, entry)).isDirectory(),
  );
  let failures = 0;
  let ran = 0;
  for (const folder of folders) {
    const dir = path.join(functionsRoot, folder);
    const config = configArgs(dir);
    const entrypoint = path.join(dir, 'index.ts');
    if (!folder.startsWith('_') && existsSync(entrypoint)) {
      failures += run(['check', '--quiet', ...config, entrypoint], dir) === 0 ? 0 : 1;
    }
    const tests = testFiles(dir);
    if (tests.length === 0) continue;
    ran += tests.length;
    failures +=
      run(['test', '--allow-all', '--no-prompt', ...config, ...process.argv.slice(2), ...tests], dir) === 0 ? 0 : 1;
  }
  console.log(
    `\ndeno tests: ${ran} file(s) in ${folders.length} folder(s), ${failures === 0 ? 'all passed' : `${failures} run(s) failed`}`,
  );
  return failures === 0 ? 0 : 1;
}

process.exit(main());
