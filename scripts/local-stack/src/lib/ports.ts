import net from 'node:net';
import { sleep } from './wait.ts';

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Whether every port is free to listen on right now. */
export async function portsFree(ports: number[]): Promise<boolean> {
  for (const port of ports) if (!(await canListen(port))) return false;
  return true;
}

/**
 * Waits until every named port is free to listen on. The dev stack's ports (54321…) lie in
 * Linux's ephemeral range (32768–60999), so another process's outgoing connection can hold one for
 * a moment; waiting a few seconds beats a failed start. A port still taken after `timeoutMs` is an
 * error that names the part and the port.
 */
export async function waitForFreePorts(ports: Record<string, number>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taken: string[] = [];
    for (const [part, port] of Object.entries(ports)) if (!(await canListen(port))) taken.push(`${part} ${port}`);
    if (taken.length === 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `port${taken.length > 1 ? 's' : ''} already in use: ${taken.join(', ')} (another stack instance, or a ` +
          'process on this port; `npm run supabase:stop`, or pick other ports with CAIRN_STACK_PORT_BASE)',
      );
    await sleep(250);
  }
}

function listenOn(port: number): Promise<net.Server | null> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(null));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server));
  });
}

const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** Ports kept by idle listeners of this process until the part that needs one is about to start. */
export interface HeldPorts {
  /** Frees the port of these parts (those not held are ignored). */
  release(...parts: string[]): Promise<void>;
  releaseAll(): Promise<void>;
}

/**
 * Waits for the ports as `waitForFreePorts` does, then keeps each with a listener until its part
 * starts. A port with a listener is not one the kernel picks as the source port of an outgoing
 * connection, and the stack makes such connections while it starts (its own pool to Postgres
 * among them): without this, one of them could take PostgREST's port during the migrations.
 */
export async function holdFreePorts(ports: Record<string, number>, timeoutMs = 15_000): Promise<HeldPorts> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await waitForFreePorts(ports, Math.max(0, deadline - Date.now()));
    const held = new Map<string, net.Server>();
    for (const [part, port] of Object.entries(ports)) {
      const server = await listenOn(port);
      if (!server) break;
      held.set(part, server);
    }
    if (held.size === Object.keys(ports).length) {
      const release = async (...parts: string[]) => {
        for (const part of parts) {
          const server = held.get(part);
          held.delete(part);
          if (server) await close(server);
        }
      };
      return { release, releaseAll: () => release(...held.keys()) };
    }
    // Taken between the check and the listen: free what was held and wait again.
    await Promise.all([...held.values()].map(close));
  }
}

/** A port the OS considers free right now (the tiny race with another process is acceptable locally). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
