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
 *
 * Two lanes, so a run fits CI on two cores: the stack tests (5) run in the foreground, streaming
 * their output, and spend much of their time waiting on Postgres, Deno and Chromium; steps 1–4
 * run one after another beside them under `nice` (the stack tests keep the CPU they ask for), each
 * step's output printed whole when it ends. A run of only some steps (`test.ts deno`) is one lane.
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
  /** Runs in the foreground lane, its output streamed (the other steps share the background lane). */
  foreground?: boolean;
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
    foreground: true,
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

interface Outcome {
  step: Step;
  code: number;
  output: string;
  seconds: number;
}

/**
 * Runs one step. Streamed: its output goes out as it comes. Otherwise (a background step) it runs
 * under `nice` and its output is printed in one piece when it ends, so the lanes do not interleave.
 */
function run(step: Step, streamed: boolean): Promise<Outcome> {
  const started = Date.now();
  const command = streamed ? step.command : ['nice', '-n', '10', ...step.command];
  if (streamed) console.log(`\n━━ ${step.name}: ${step.command.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let output = '';
    const relay = (chunk: Buffer, stream: NodeJS.WriteStream) => {
      output += chunk.toString();
      if (streamed) stream.write(chunk);
    };
    child.stdout.on('data', (chunk: Buffer) => relay(chunk, process.stdout));
    child.stderr.on('data', (chunk: Buffer) => relay(chunk, process.stderr));
    child.on('close', (code) => {
      const outcome = { step, code: code ?? 1, output, seconds: (Date.now() - started) / 1000 };
      if (!streamed) process.stdout.write(`\n━━ ${step.name}: ${step.command.join(' ')}\n${output}`);
      console.log(
        `━━ ${step.name}: ${outcome.code === 0 ? 'ok' : `FAILED (exit ${outcome.code})`} in ${outcome.seconds.toFixed(1)} s`,
      );
      resolve(outcome);
    });
  });
}

async function inTurn(steps: Step[], streamed: boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const step of steps) outcomes.push(await run(step, streamed));
  return outcomes;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const selected = only.length ? steps.filter((step) => only.some((name) => step.name.includes(name))) : steps;
  const foreground = selected.filter((step) => step.foreground);
  const background = selected.filter((step) => !step.foreground);
  const lanes =
    foreground.length && background.length
      ? [inTurn(foreground, true), inTurn(background, false)]
      : [inTurn(selected, true)];
  const outcomes = (await Promise.all(lanes)).flat();
  const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
  const failedSteps: string[] = [];
  for (const step of selected) {
    const { code, output } = outcomes.find((outcome) => outcome.step === step) as Outcome;
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
  }
  rmSync(reportDir, { recursive: true, force: true });
  if (failedSteps.length) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
  process.exitCode = failedSteps.length ? 1 : 0;
}

void main();
