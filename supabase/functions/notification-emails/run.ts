/**
 * notification-emails' logic, free of HTTP and of Supabase so `deno test` drives it with fakes:
 * claim queued emails batch by batch (the SQL makes today's digests first), build each, hand them
 * to the mail API a few at a time and record every outcome — until nothing is due or the time
 * budget is spent (the next scheduled run continues).
 */
import { z } from 'zod';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';
import { mapConcurrently } from '../check-alerts/alert-email.ts';
import type { ClaimedEmail } from './email.ts';

export const runRequestSchema = z
  .object({
    /** Test hook: the time the job believes it is (whose digest is due). Service role only. */
    now: z.iso.datetime({ offset: true }).optional(),
    batch_size: z.number().int().min(1).max(500).optional(),
    max_seconds: z.number().min(1).max(300).optional(),
    source: z.string().max(50).optional(),
  })
  .strict();

export type RunRequest = z.infer<typeof runRequestSchema>;

const DEFAULT_BATCH_SIZE = 100;
const DEFAULT_MAX_SECONDS = 45;

export interface EmailOutcome {
  email_id: number;
  ok: boolean;
  message_id: string | null;
  error: string | null;
  retryable: boolean;
  skipped: boolean;
}

export interface EmailStore {
  claim(batchSize: number, now: string | undefined): Promise<ClaimedEmail[]>;
  record(outcomes: EmailOutcome[], now: string | undefined): Promise<void>;
}

export interface RunOptions {
  now?: string;
  batchSize: number;
  budgetMs: number;
  concurrency: number;
  clock?: () => number;
}

export interface RunResult {
  claimed: number;
  sent: number;
  failed: number;
  skipped: number;
  batches: number;
  ms: number;
}

/** The schedule always runs with the defaults; the service role may tune a run (tests, backlogs). */
export function runOptionsFor(
  request: RunRequest,
  caller: 'service_role' | 'schedule',
): Omit<RunOptions, 'concurrency'> {
  if (caller !== 'service_role') return { batchSize: DEFAULT_BATCH_SIZE, budgetMs: DEFAULT_MAX_SECONDS * 1000 };
  return {
    now: request.now,
    batchSize: request.batch_size ?? DEFAULT_BATCH_SIZE,
    budgetMs: (request.max_seconds ?? DEFAULT_MAX_SECONDS) * 1000,
  };
}

export async function runNotificationEmails(
  store: EmailStore,
  buildEmail: (claimed: ClaimedEmail) => OutgoingEmail,
  send: (email: OutgoingEmail) => Promise<SendResult>,
  options: RunOptions,
): Promise<RunResult> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const result: RunResult = { claimed: 0, sent: 0, failed: 0, skipped: 0, batches: 0, ms: 0 };
  while (clock() - started < options.budgetMs) {
    const claimed = await store.claim(options.batchSize, options.now);
    if (claimed.length === 0) break;
    result.batches += 1;
    result.claimed += claimed.length;
    const outcomes = await mapConcurrently(claimed, options.concurrency, (row) => deliver(row, buildEmail, send));
    await store.record(outcomes, options.now);
    for (const outcome of outcomes) {
      if (outcome.ok) result.sent += 1;
      else if (outcome.skipped) result.skipped += 1;
      else result.failed += 1;
    }
    if (claimed.length < options.batchSize) break;
  }
  result.ms = clock() - started;
  return result;
}

async function deliver(
  row: ClaimedEmail,
  buildEmail: (claimed: ClaimedEmail) => OutgoingEmail,
  send: (email: OutgoingEmail) => Promise<SendResult>,
): Promise<EmailOutcome> {
  const skip = (error: string): EmailOutcome => ({
    email_id: row.email_id,
    ok: false,
    message_id: null,
    error,
    retryable: false,
    skipped: true,
  });
  // A member who left, or an email whose notifications were purged meanwhile: nothing to send.
  if (!row.active) return skip('the member is no longer active');
  if (row.items.length === 0) return skip('nothing to send: its notifications are gone');
  let email: OutgoingEmail;
  try {
    email = buildEmail(row);
  } catch (error) {
    return {
      email_id: row.email_id,
      ok: false,
      message_id: null,
      error: String(error),
      retryable: false,
      skipped: false,
    };
  }
  const sent = await send(email);
  return sent.ok
    ? { email_id: row.email_id, ok: true, message_id: sent.messageId, error: null, retryable: false, skipped: false }
    : {
        email_id: row.email_id,
        ok: false,
        message_id: null,
        error: `${sent.status ?? 'network'}: ${sent.errors.join('; ')}`.slice(0, 900),
        retryable: sent.retryable,
        skipped: false,
      };
}
