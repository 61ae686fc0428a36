/**
 * Cairn's stand-in for supabase/realtime (spec §5): Phoenix channels over a websocket at
 * `/socket/websocket` (the gateway maps `/realtime/v1/websocket` here), with broadcast,
 * presence and postgres_changes, plus the REST broadcast API under `/api`.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Service, StackContext } from '../context.ts';
import { header, requestUrl, sendJson } from '../lib/http.ts';
import { handleBroadcastApi } from './broadcast-api.ts';
import type { RealtimeServices } from './channel.ts';
import { Connection } from './connection.ts';
import { Hub } from './hub.ts';
import { PostgresChanges } from './postgres-changes.ts';
import { parseVsn } from './protocol.ts';
import { projectKeys } from '../settings.ts';
import { connectErrorMessage, TokenError, verifyRealtimeToken } from './tokens.ts';

const SOCKET_PATH = '/socket/websocket';

/** Answers a refused upgrade the way Realtime's socket error handler does: status plus `{"error": …}`. */
function refuseUpgrade(socket: Duplex, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

export async function startRealtime(ctx: StackContext): Promise<Service> {
  const { config, log } = ctx;
  const postgresChanges = new PostgresChanges(ctx);
  const services: RealtimeServices = { ctx, hub: new Hub(), postgresChanges };
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });

  const server = createServer((req, res) => {
    const { pathname } = requestUrl(req);
    if (pathname === '/api/ping' || pathname === '/') return sendJson(res, 200, { message: 'Success' });
    if (pathname.startsWith('/api/broadcast')) {
      handleBroadcastApi(services, req, res, pathname).catch((error) => {
        log.error('broadcast api failed', error);
        if (!res.headersSent) sendJson(res, 500, { message: 'Internal Server Error' });
      });
      return;
    }
    sendJson(res, 404, { message: 'Not Found' });
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    const url = requestUrl(req);
    if (url.pathname !== SOCKET_PATH) return refuseUpgrade(socket, 404, 'Not Found', 'Not Found');
    const vsn = parseVsn(url.searchParams.get('vsn'));
    if (!vsn) return refuseUpgrade(socket, 403, 'Forbidden', 'Unsupported serializer version');
    // Realtime reads the key from `x-api-key` first, then the `apikey` query parameter.
    const token = header(req, 'x-api-key') ?? url.searchParams.get('apikey');
    verifyRealtimeToken(token, projectKeys(config, ctx.settings)).then(
      () => {
        wss.handleUpgrade(req, socket, head, (ws) => {
          new Connection(ws, vsn, token ?? '', services);
        });
      },
      (error: unknown) => {
        if (error instanceof TokenError) return refuseUpgrade(socket, 401, 'Unauthorized', connectErrorMessage(error));
        log.error('websocket connect failed', error);
        refuseUpgrade(socket, 500, 'Internal Server Error', 'Error connecting to Realtime');
      },
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.ports.realtime, '127.0.0.1', resolve);
  });
  log.info(`realtime on ws://127.0.0.1:${config.ports.realtime}${SOCKET_PATH}`);

  return {
    name: 'realtime',
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await postgresChanges.close();
    },
  };
}
