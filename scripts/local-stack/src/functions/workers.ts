/**
 * One real Deno process per function, as edge-runtime keeps one isolate per function in
 * `per_worker` mode: started on the first request (cold start), kept warm, stopped after it
 * has been idle, and replaced when its files change. `DENO_SERVE_ADDRESS` makes the
 * function's own unmodified `Deno.serve(handler)` listen on a port chosen here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../lib/log.ts';
import { sleep } from '../lib/wait.ts';
import type { FunctionSpec } from './catalog.ts';
import { denoBinary } from './deno.ts';
import { freePort } from '../lib/ports.ts';

const guard = path.join(path.dirname(fileURLToPath(import.meta.url)), 'parent-guard.js');

/** The function's process ended (or never listened) before it could answer. */
export class BootError extends Error {}

export interface WorkerPoolOptions {
  log: Logger;
  env: () => Record<string, string>;
  /** How long a boot may take; the first boot of a function may download its npm packages. */
  bootTimeoutMs?: number;
  idleMs?: number;
}

export class FunctionWorker {
  inflight = 0;
  lastUsed = Date.now();
  exited = false;
  /** Set once the worker is replaced (file change) or stopping: it takes no new requests. */
  retired = false;
  /**
   * Kept-alive connections to this worker's Deno.serve, as edge-runtime keeps its user workers'
   * channels open: a fresh TCP connection per request cost both processes more than the proxying.
   * Destroyed with the worker, so a reloaded function never receives a request on an old socket.
   */
  readonly agent = new Agent({ keepAlive: true, maxSockets: 64 });
  private readonly exit: Promise<void>;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly child: ChildProcess,
  ) {
    // 'error' without 'exit' happens when the binary cannot be spawned at all.
    this.exit = new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', () => resolve());
    });
    void this.exit.then(() => {
      this.exited = true;
      this.agent.destroy();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  waitForExit(): Promise<void> {
    return this.exit;
  }

  /** SIGTERM, then SIGKILL if Deno has not exited within `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    this.retired = true;
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const killed = await Promise.race([this.exit.then(() => true), sleep(graceMs).then(() => false)]);
    if (!killed) {
      this.child.kill('SIGKILL');
      await this.exit;
    }
  }
}

interface Slot {
  /** Bumped on every file change, so a boot that raced a change is not reused. */
  generation: number;
  starting?: Promise<FunctionWorker>;
  worker?: FunctionWorker;
}

export class WorkerPool {
  private readonly slots = new Map<string, Slot>();
  private readonly all = new Set<FunctionWorker>();
  private readonly idleTimer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.idleTimer = setInterval(() => this.stopIdle(), 15_000);
    this.idleTimer.unref();
  }

  /**
   * The running worker of a function, booting it first if needed. Concurrent cold starts of
   * one function share a single boot.
   */
  async acquire(spec: FunctionSpec): Promise<FunctionWorker> {
    // A boot that finished just after a file change is retired at once; then boot again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      if (this.closed) throw new BootError('the functions server is stopping');
      const slot = this.slot(spec.name);
      const live = slot.worker;
      if (live && !live.exited && !live.retired) return this.use(live);
      const worker = await (slot.starting ?? this.startBoot(spec, slot));
      if (!worker.exited && !worker.retired) return this.use(worker);
    }
    throw new BootError(`${spec.name} kept changing while booting`);
  }

  private startBoot(spec: FunctionSpec, slot: Slot): Promise<FunctionWorker> {
    const generation = slot.generation;
    const starting = this.boot(spec).then((worker) => {
      if (slot.generation === generation && !this.closed) slot.worker = worker;
      else this.retire(worker);
      return worker;
    });
    slot.starting = starting;
    const clear = () => {
      if (slot.starting === starting) slot.starting = undefined;
    };
    starting.then(clear, clear);
    return starting;
  }

  release(worker: FunctionWorker): void {
    worker.inflight -= 1;
    worker.lastUsed = Date.now();
    if (worker.retired && worker.inflight === 0) void worker.stop();
  }

  /** Files of `name` changed: new requests get a fresh process; the old one finishes its requests first. */
  invalidate(name: string): void {
    const slot = this.slots.get(name);
    if (!slot) return;
    slot.generation += 1;
    if (slot.worker) {
      this.options.log.info(`${name}: files changed, reloading`);
      this.retire(slot.worker);
      slot.worker = undefined;
    }
  }

  invalidateAll(): void {
    for (const name of this.slots.keys()) this.invalidate(name);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.idleTimer);
    await Promise.all([...this.slots.values()].map((slot) => slot.starting?.catch(() => undefined)));
    await Promise.all([...this.all].map((worker) => worker.stop()));
  }

  private slot(name: string): Slot {
    let slot = this.slots.get(name);
    if (!slot) {
      slot = { generation: 0 };
      this.slots.set(name, slot);
    }
    return slot;
  }

  private use(worker: FunctionWorker): FunctionWorker {
    worker.inflight += 1;
    worker.lastUsed = Date.now();
    return worker;
  }

  private retire(worker: FunctionWorker): void {
    worker.retired = true;
    if (worker.inflight === 0) void worker.stop();
  }

  private stopIdle(): void {
    const idleMs = this.options.idleMs ?? 10 * 60_000;
    for (const slot of this.slots.values()) {
      const worker = slot.worker;
      if (worker && worker.inflight === 0 && Date.now() - worker.lastUsed > idleMs) {
        this.options.log.info(`${worker.name}: idle for ${Math.round(idleMs / 1000)} s, stopping`);
        slot.worker = undefined;
        this.retire(worker);
      }
    }
  }

  private async boot(spec: FunctionSpec): Promise<FunctionWorker> {
    const started = Date.now();
    const port = await freePort();
    const log = this.options.log.child(spec.name);
    // --cached-only: a function never fetches a package at run time; npm install (or the
    // first supabase:start) filled the cache (cache.ts).
    const args = [
      'run',
      '--cached-only',
      '--allow-all',
      '--no-prompt',
      '--quiet',
      '--preload',
      guard,
      ...spec.configArgs,
      spec.entrypoint,
    ];
    const child = spawn(denoBinary(), args, {
      cwd: spec.dir,
      env: { ...this.options.env(), DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    pipeLines(child.stdout, (line) => log.info(line));
    pipeLines(child.stderr, (line) => {
      log.warn(line);
      if (line.includes('--cached-only'))
        log.warn(
          'a dependency is not cached: run `npm run functions:cache` (or restart the stack) with network access',
        );
    });
    const worker = new FunctionWorker(spec.name, port, child);
    this.all.add(worker);
    void worker.waitForExit().then(() => {
      this.all.delete(worker);
      const slot = this.slots.get(spec.name);
      if (slot?.worker === worker) slot.worker = undefined;
      log.info(`process ${child.pid} exited (code ${child.exitCode ?? child.signalCode})`);
    });
    child.once('error', (error) => log.error('could not start deno', error));

    const deadline = started + (this.options.bootTimeoutMs ?? 60_000);
    while (!(await listening(port))) {
      if (worker.exited) throw new BootError(`${spec.name} exited before listening`);
      if (Date.now() > deadline) {
        await worker.stop();
        throw new BootError(`${spec.name} did not listen within ${deadline - started} ms`);
      }
      await sleep(25);
    }
    log.info(`booted in ${Date.now() - started} ms (pid ${child.pid}, port ${port})`);
    return worker;
  }
}

function pipeLines(stream: NodeJS.ReadableStream | null, write: (line: string) => void): void {
  let buffered = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) write(line.trimEnd());
  });
  stream?.on('end', () => {
    if (buffered.trim()) write(buffered.trimEnd());
  });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
