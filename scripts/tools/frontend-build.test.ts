/**
 * A production build names its Supabase project or fails (security review L-11): it must never
 * fall back to the local stack's URL and key, which would ship an app that talks to localhost.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '@cairn/local-stack/config.ts';

const run = promisify(execFile);
const frontend = path.join(repoRoot, 'frontend');
const outDir = mkdtempSync(path.join(tmpdir(), 'cairn-build-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

/**
 * The machine's environment without any VITE_* variable, plus the given ones. Vitest's own
 * NODE_ENV=test is dropped too: under it Vite would make a development build.
 */
function environment(vite: Record<string, string>): NodeJS.ProcessEnv {
  const rest = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('VITE_') && !name.startsWith('VITEST') && name !== 'NODE_ENV',
    ),
  );
  return { ...rest, ...vite };
}

const build = (vite: Record<string, string>) =>
  run('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: frontend,
    env: environment(vite),
  });

describe('the production build of the app', () => {
  it('fails without VITE_SUPABASE_URL and VITE_SUPABASE_ANON_KEY, naming both', async () => {
    const error = await build({}).then(
      () => null,
      (failure: { code: number; stderr: string; stdout: string }) => failure,
    );
    expect(error?.code).not.toBe(0);
    expect(`${error?.stderr}${error?.stdout}`).toMatch(/VITE_SUPABASE_URL[\s\S]*VITE_SUPABASE_ANON_KEY/);
  });

  it('with both set, talks to that project only: the local defaults are not in the bundle', async () => {
    await build({ VITE_SUPABASE_URL: 'https://cairn-test.supabase.co', VITE_SUPABASE_ANON_KEY: 'test-anon-key' });
    const assets = path.join(outDir, 'assets');
    const code = readdirSync(assets)
      .filter((file) => file.endsWith('.js'))
      .map((file) => readFileSync(path.join(assets, file), 'utf8'))
      .join('\n');
    expect(code).toContain('https://cairn-test.supabase.co');
    expect(code).not.toContain('127.0.0.1:54321');
    expect(code).not.toContain('CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0');
  }, 180_000);
});
