/** Starting and stopping a stack instance from another process (the CLI, tests, `npm run dev`). */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StackConfig } from './config.ts';
import type { StackState } from './supervisor.ts';
import { sleep } from './lib/wait.ts';

export function readState(config: StackConfig): StackState | null {
  if (!existsSync(config.stateFile)) return null;
  try {
    return JSON.parse(readFileSync(config.stateFile, 'utf8')) as StackState;
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function isRunning(config: StackConfig): boolean {
  const state = readState(config);
  return state !== null && alive(state.pid);
}

export const stackLogFile = (config: StackConfig) => path.join(config.logDir, 'stack.log');

export async function startStack(
  config: StackConfig,
  timeoutMs = 180_000,
): Promise<{ alreadyRunning: boolean; ms: number }> {
  const began = Date.now();
  if (isRunning(config)) return { alreadyRunning: true, ms: 0 };
  rmSync(config.stateFile, { force: true });
  mkdirSync(config.logDir, { recursive: true });
  const logFd = openSync(stackLogFile(config), 'a');
  const require = createRequire(import.meta.url);
  const tsx = require.resolve('tsx');
  const child = spawn(process.execPath, ['--import', tsx, fileURLToPath(new URL('./supervisor.ts', import.meta.url))], {
    cwd: config.root,
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: {
      ...process.env,
      CAIRN_STACK: config.name,
      CAIRN_STACK_PORT_BASE: String(config.ports.api),
      CAIRN_STACK_DATA_DIR: config.dataDir,
    },
  });
  child.unref();
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code ?? 1));
  while (Date.now() - began < timeoutMs) {
    if (readState(config)) return { alreadyRunning: false, ms: Date.now() - began };
    if (exitCode !== null) {
      await sleep(200);
      throw new Error(
        `the local stack failed to start; last lines of ${stackLogFile(config)}:\n${tail(stackLogFile(config))}`,
      );
    }
    await sleep(100);
  }
  child.kill('SIGTERM');
  throw new Error(`the local stack did not become healthy within ${timeoutMs} ms; see ${stackLogFile(config)}`);
}

export async function stopStack(config: StackConfig, timeoutMs = 30_000): Promise<boolean> {
  const state = readState(config);
  if (!state || !alive(state.pid)) {
    rmSync(config.stateFile, { force: true });
    return false;
  }
  process.kill(state.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (alive(state.pid)) {
    if (Date.now() > deadline) {
      process.kill(state.pid, 'SIGKILL');
      break;
    }
    await sleep(50);
  }
  rmSync(config.stateFile, { force: true });
  return true;
}

function tail(file: string, lines = 40): string {
  if (!existsSync(file)) return '(no log)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
