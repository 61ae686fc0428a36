/**
 * The background workers of pg_cron and pg_net, outside Postgres: the embedded Postgres has
 * no shared libraries for them, so their SQL stand-ins (bootstrap/extensions) only record
 * jobs and requests and this process runs them. Needs no port.
 */
import type { Service, StackContext } from '../context.ts';
import { startScheduler } from './jobs.ts';
import { startNetWorker } from './net.ts';

export async function startCron(ctx: StackContext): Promise<Service> {
  const net = await startNetWorker(ctx);
  const scheduler = startScheduler(ctx);
  ctx.log.info('pg_cron scheduler and pg_net worker running');
  return {
    name: 'cron',
    async close() {
      await scheduler.close();
      await net.close();
    },
  };
}
