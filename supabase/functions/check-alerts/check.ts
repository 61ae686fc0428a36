/**
 * check-alerts' logic, free of HTTP and of Supabase so `deno test` drives it with fakes:
 * run the SQL check (changes → alert decisions), then claim due alerts batch by batch, build
 * each email, hand them to the mail API a few at a time, and record every outcome — until no
 * alert is due or the time budget is spent (the next scheduled run continues).
 */
import { z } from 'zod';
import type { ClaimedAlert } from './alert-email.ts';
import { mapConcurrently } from './alert-email.ts';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';

export const checkRequestSchema = z
  .object({
    /** Test hook: the time the engine believes it is (quiet hours, daily cap). Service role only. */
    now: z.iso.datetime({ offset: true }).optional(),
    /** At most the API's max_rows (config.toml): PostgREST returns no more rows of a claim than that. */
    batch_size: z.number().int().min(1).max(500).optional(),
    max_seconds: z.number().min(1).max(300).optional(),
    /** Only claim and send (the check itself is skipped), e.g. to drain a backlog. */
    send_only: z.boolean().optional(),
    /** Only run the check (nothing is sent), e.g. to measure it. */
    check_only: z.boolean().optional(),
    source: z.string().max(50).optional(),
  })
  .strict();

export type CheckRequest = z.infer<typeof checkRequestSchema>;

/** Alerts claimed per batch, and the time budget of a run, when the caller does not choose. */
const DEFAULT_BATCH_SIZE = 200;
const DEFAULT_MAX_SECONDS = 45;

/**
 * The run's tuning from the request: the service role (tests, benchmarks, an operator draining
 * a backlog) may set it; the schedule always runs with the defaults, whatever its body says,
 * so the secret it carries cannot be used to make runs heavier (review L-5). A fake `now` is
 * refused earlier, not ignored.
 */
export function runOptionsFor(
  request: CheckRequest,
  caller: 'service_role' | 'schedule',
): Pick<RunOptions, 'now' | 'batchSize' | 'budgetMs' | 'sendOnly' | 'checkOnly'> {
  if (caller !== 'service_role') return { batchSize: DEFAULT_BATCH_SIZE, budgetMs: DEFAULT_MAX_SECONDS * 1000 };
  return {
    now: request.now,
    batchSize: request.batch_size ?? DEFAULT_BATCH_SIZE,
    budgetMs: (request.max_seconds ?? DEFAULT_MAX_SECONDS) * 1000,
    sendOnly: request.send_only,
    checkOnly: request.check_only,
  };
}

export interface CheckSummary {
  events: number;
  queued: number;
  suppressed: number;
}

export interface SendOutcome {
  alert_id: number;
  ok: boolean;
  message_id: string | null;
  error: string | null;
  retryable: boolean;
}

/** What the run needs from the database (the service-role RPCs). */
export interface AlertStore {
  /** Decides up to `maxEvents` changes in one transaction. */
  runCheck(now: string | undefined, maxEvents: number): Promise<CheckSummary>;
  claim(batchSize: number, now: string | undefined): Promise<ClaimedAlert[]>;
  record(outcomes: SendOutcome[], now: string | undefined): Promise<void>;
}

export interface RunOptions {
  now?: string;
  batchSize: number;
  /** Emails in flight at once. */
  concurrency: number;
  /** Stop claiming new batches after this many ms (a claimed batch is always finished). */
  budgetMs: number;
  sendOnly?: boolean;
  checkOnly?: boolean;
  /** Changes per check transaction, and how many such transactions run side by side. */
  checkChunk?: number;
  checkWorkers?: number;
  clock?: () => number;
}

export interface RunResult {
  check: CheckSummary | null;
  check_ms: number;
  claimed: number;
  sent: number;
  failed: number;
  batches: number;
  ms: number;
}

export async function runAlertCheck(
  store: AlertStore,
  buildEmail: (alert: ClaimedAlert) => Promise<OutgoingEmail>,
  send: (email: OutgoingEmail) => Promise<SendResult>,
  options: RunOptions,
): Promise<RunResult> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const check = options.sendOnly
    ? null
    : await runChecks(store, options.now, options.checkChunk ?? 500, options.checkWorkers ?? 2);
  const result: RunResult = { check, check_ms: clock() - started, claimed: 0, sent: 0, failed: 0, batches: 0, ms: 0 };

  while (!options.checkOnly && clock() - started < options.budgetMs) {
    const alerts = await store.claim(options.batchSize, options.now);
    if (alerts.length === 0) break;
    result.batches += 1;
    result.claimed += alerts.length;
    const outcomes = await mapConcurrently(alerts, options.concurrency, (alert) => deliver(alert, buildEmail, send));
    // Recorded per batch, so a crash loses at most one batch's bookkeeping (its leases lapse
    // and those alerts are retried).
    await store.record(outcomes, options.now);
    for (const outcome of outcomes) outcome.ok ? (result.sent += 1) : (result.failed += 1);
    if (alerts.length < options.batchSize) break;
  }
  result.ms = clock() - started;
  return result;
}

/**
 * The check in chunks of `chunk` changes, `workers` transactions side by side until the queue is
 * empty: the SQL takes disjoint chunks (skip locked), short transactions hold locks briefly and
 * stay well inside the API's statement timeout (8 s on hosted Supabase), and two of them use both
 * cores of a small database.
 */
export async function runChecks(
  store: AlertStore,
  now: string | undefined,
  chunk: number,
  workers: number,
): Promise<CheckSummary> {
  const total: CheckSummary = { events: 0, queued: 0, suppressed: 0 };
  const worker = async () => {
    for (;;) {
      const part = await store.runCheck(now, chunk);
      total.events += part.events;
      total.queued += part.queued;
      total.suppressed += part.suppressed;
      if (part.events < chunk) return;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, workers) }, worker));
  return total;
}

async function deliver(
  alert: ClaimedAlert,
  buildEmail: (alert: ClaimedAlert) => Promise<OutgoingEmail>,
  send: (email: OutgoingEmail) => Promise<SendResult>,
): Promise<SendOutcome> {
  let email: OutgoingEmail;
  try {
    email = await buildEmail(alert);
  } catch (error) {
    // A broken template fails the same way every time: not retryable.
    return { alert_id: alert.alert_id, ok: false, message_id: null, error: String(error), retryable: false };
  }
  const sent = await send(email);
  return sent.ok
    ? { alert_id: alert.alert_id, ok: true, message_id: sent.messageId, error: null, retryable: false }
    : {
        alert_id: alert.alert_id,
        ok: false,
        message_id: null,
        error: `${sent.status ?? 'network'}: ${sent.errors.join('; ')}`.slice(0, 900),
        retryable: sent.retryable,
      };
}
