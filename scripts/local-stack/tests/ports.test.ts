/**
 * The stack's ports lie in Linux's ephemeral range, so another process's outgoing connection can
 * hold one for a moment: the supervisor waits for its ports before starting, and names a port that
 * stays taken; it keeps its ports with listeners until each part starts.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { holdFreePorts, waitForFreePorts } from '../src/lib/ports.ts';

const held: net.Server[] = [];

function hold(port = 0): Promise<{ server: net.Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port, host: '127.0.0.1' }, () => {
      held.push(server);
      resolve({ server, port: (server.address() as net.AddressInfo).port });
    });
  });
}

afterEach(async () => {
  await Promise.all(held.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

describe('waitForFreePorts', () => {
  it('returns at once when every port is free', async () => {
    const { server, port } = await hold();
    await new Promise((resolve) => server.close(resolve));
    const started = Date.now();
    await waitForFreePorts({ postgres: port });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('waits for a port that is released a moment later', async () => {
    const { server, port } = await hold();
    setTimeout(() => server.close(), 600);
    await expect(waitForFreePorts({ postgres: port }, 5000)).resolves.toBeUndefined();
  });

  it('names the part and the port that stay taken', async () => {
    const { port } = await hold();
    await expect(waitForFreePorts({ auth: port }, 500)).rejects.toThrow(`port already in use: auth ${port}`);
  });
});

describe('holdFreePorts', () => {
  const listenable = async (port: number) => {
    try {
      const { server } = await hold(port);
      await new Promise((resolve) => server.close(resolve));
      return true;
    } catch {
      return false;
    }
  };

  it('keeps each port from anyone else until its part releases it', async () => {
    const ports = await Promise.all([hold(), hold()]);
    await Promise.all(ports.map(({ server }) => new Promise((resolve) => server.close(resolve))));
    const [postgrest, auth] = ports.map(({ port }) => port);
    const kept = await holdFreePorts({ postgrest, auth });
    expect([await listenable(postgrest), await listenable(auth)]).toEqual([false, false]);
    await kept.release('postgrest');
    expect([await listenable(postgrest), await listenable(auth)]).toEqual([true, false]);
    await kept.releaseAll();
    expect(await listenable(auth)).toBe(true);
  });
});
