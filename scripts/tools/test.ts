/**
 * `npm test`: every check Cairn has, in one command, on a fresh machine.
 *
 *   1. typecheck and lint (tsc, ESLint, Prettier)
 *   2. generated database types match the migrations
 *   3. frontend unit tests (Vitest + Testing Library)
 *   4. edge functions: `deno lint`, `deno check` and `deno test` (scripts/tools/deno-test.ts)
 *   5. contract and end-to-end tests against a fresh local stack (Vitest; Chromium for e2e)
 *
 * Each step runs to the end even if an earlier one failed; the last line sums the tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { repoRoot } from '@cairn/local-stack/config.ts';

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

interface Step {
  name: string;
  command: string[];
  /** Reads test counts from the step's output or report; steps without tests count as one check. */
  counts?: (output: string) => Counts | null;
}

const reportDir = mkdtempSync(path.join(tmpdir(), 'cairn-test-'));

function vitestCounts(report: string) {
  return (): Counts | null => {
    try {
      const json = JSON.parse(readFileSync(report, 'utf8')) as {
        numPassedTests: number;
        numFailedTests: number;
        numPendingTests: number;
        numTodoTests: number;
      };
      return {
        passed: json.numPassedTests,
        failed: json.numFailedTests,
        skipped: json.numPendingTests + json.numTodoTests,
      };
    } catch {
      return null;
    }
  };
}

/** Sums the summary line of every `deno test` run (deno-test.ts runs one per function folder). */
function denoCounts(output: string): Counts | null {
  const matches = [
    ...stripVTControlCharacters(output).matchAll(/(ok|FAILED) \| (\d+) passed(?: \((\d+) steps?\))? \| (\d+) failed/g),
  ];
  if (matches.length === 0) return null;
  return matches.reduce<Counts>(
    (sum, match) => ({ passed: sum.passed + Number(match[2]), failed: sum.failed + Number(match[4]), skipped: 0 }),
    { passed: 0, failed: 0, skipped: 0 },
  );
}

const tsx = ['node', '--import', 'tsx'];
const stackReport = path.join(reportDir, 'stack.json');
const frontendReport = path.join(reportDir, 'frontend.json');

const steps: Step[] = [
  { name: 'typecheck', command: ['npx', 'tsc', '-p', 'scripts', '--noEmit'] },
  { name: 'typecheck local stack', command: ['npx', 'tsc', '-p', 'scripts/local-stack', '--noEmit'] },
  { name: 'typecheck frontend', command: ['npx', 'tsc', '-p', 'frontend', '--noEmit'] },
  { name: 'eslint', command: ['npx', 'eslint', '.', '--max-warnings', '0'] },
  { name: 'prettier', command: ['npx', 'prettier', '--check', '.'] },
  {
    name: 'frontend unit tests',
    command: [
      'npm',
      'run',
      '--silent',
      '-w',
      'frontend',
      'test',
      '--',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${frontendReport}`,
    ],
    counts: vitestCounts(frontendReport),
  },
  {
    name: 'deno lint, check and tests (functions)',
    command: [...tsx, 'scripts/tools/deno-test.ts'],
    counts: denoCounts,
  },
  {
    name: 'stack contract and end-to-end tests',
    command: [
      'npx',
      'vitest',
      'run',
      '--config',
      'scripts/testing/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${stackReport}`,
    ],
    counts: vitestCounts(stackReport),
  },
];

function run(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    console.log(`\n━━ ${step.name}: ${step.command.join(' ')}`);
    const child = spawn(step.command[0], step.command.slice(1), {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let output = '';
    const relay = (chunk: Buffer, stream: NodeJS.WriteStream) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on('data', (chunk: Buffer) => relay(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => relay(chunk, process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length ? steps.filter((step) => only.some((name) => step.name.includes(name))) : steps;
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const failedSteps: string[] = [];
  for (const step of selected) {
    const started = Date.now();
    const { code, output } = await run(step);
    const counts = step.counts?.(output) ?? null;
    const ok = code === 0;
    if (counts) {
      totals.passed += counts.passed;
      totals.failed += counts.failed;
      totals.skipped += counts.skipped;
      // A runner that exits non-zero without a failed test (a crash, a failed setup) still fails.
      if (!ok && counts.failed === 0) totals.failed += 1;
    } else if (ok) totals.passed += 1;
    else totals.failed += 1;
    if (!ok) failedSteps.push(step.name);
    console.log(
      `━━ ${step.name}: ${ok ? 'ok' : `FAILED (exit ${code})`} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  }
  rmSync(reportDir, { recursive: true, force: true });
  if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exitCode = failedSteps.length ? 1 : 0;
}

void main();
