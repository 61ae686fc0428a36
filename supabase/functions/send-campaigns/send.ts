/**
 * send-campaigns' logic, free of HTTP and of Supabase so `deno test` drives it with fakes:
 * first settle the sends a dead run left in doubt (look each one up at SendGrid by its
 * idempotency key: found → sent, not found → queued again), then claim due sends batch by batch,
 * build each email (footer with the shop's postal address, a signed one-click unsubscribe link
 * in the body and in List-Unsubscribe / List-Unsubscribe-Post), hand them to SendGrid at a
 * bounded rate and record every answer — until nothing is due, SendGrid asks us to slow down
 * (429), or the time budget is spent (the next scheduled run continues).
 */
import { z } from 'zod';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';
import { escapeHtml } from '../_shared/html.ts';
import type { Lookup } from '../_shared/sendgrid-activity.ts';
import { mapConcurrently } from '../check-alerts/alert-email.ts';

export const sendCampaignsRequestSchema = z
  .object({
    /** Test hook: the time the sender believes it is (leases, quiet hours, cap). Service role only. */
    now: z.iso.datetime({ offset: true }).optional(),
    batch_size: z.number().int().min(1).max(1000).optional(),
    max_seconds: z.number().min(1).max(300).optional(),
    /** Sends per second at most (SendGrid's mail send has no per-minute quota, our pool does). */
    rate_per_second: z.number().min(1).max(5000).optional(),
    /** Seconds after a lease ran out before an in-doubt send is looked up at SendGrid. */
    settle_seconds: z.number().int().min(0).max(3600).optional(),
    /** How long a claimed batch is ours (default 120 s; at least 60 s). */
    lease_seconds: z.number().int().min(60).max(3600).optional(),
    /** Test hook: stop after handing this many emails to SendGrid without recording them (a dying runtime). */
    die_after: z.number().int().min(0).max(1000).optional(),
    source: z.string().max(50).optional(),
  })
  .strict();

export type SendCampaignsRequest = z.infer<typeof sendCampaignsRequestSchema>;

/** One due send, as `public.claim_campaign_sends` returns it. */
export interface ClaimedSend {
  recipient_id: number;
  campaign_id: string;
  customer_id: string;
  send_key: string;
  email: string | null;
  name: string | null;
  language: string | null;
  subject: string | null;
  body_html: string | null;
  body_text: string | null;
  shop_name: string | null;
  postal_address: string | null;
}

export interface InDoubtSend {
  recipient_id: number;
  send_key: string;
}

export interface SendOutcome {
  id: number;
  ok: boolean;
  message_id: string | null;
  error: string | null;
  retryable: boolean;
  status: number | null;
  retry_after_seconds?: number;
  /** Never handed to SendGrid (the lease was about to end): queued again, no attempt counted. */
  not_sent?: boolean;
}

export type { Lookup };

export interface CampaignStore {
  inDoubt(now: string | undefined, settleSeconds: number): Promise<InDoubtSend[]>;
  resolve(
    results: Array<{ id: number; found: Lookup['found']; message_id: string | null }>,
    now: string | undefined,
  ): Promise<void>;
  claim(batchSize: number, now: string | undefined, leaseSeconds: number): Promise<ClaimedSend[]>;
  record(outcomes: SendOutcome[], now: string | undefined): Promise<void>;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<SendResult>;
  /** SendGrid's Email Activity, searched by the custom arg `cairn_send`. */
  lookup(sendKey: string): Promise<Lookup>;
}

export interface EmailOptions {
  from: { email: string; name: string };
  /** The one-click unsubscribe URL for a customer (signed token, purpose email:marketing). */
  unsubscribeUrl(customerId: string): Promise<string>;
}

export interface RunOptions {
  now?: string;
  batchSize: number;
  concurrency: number;
  budgetMs: number;
  ratePerSecond: number;
  settleSeconds: number;
  leaseSeconds: number;
  dieAfter?: number;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface RunResult {
  resolved: number;
  claimed: number;
  sent: number;
  failed: number;
  retried: number;
  batches: number;
  throttled: boolean;
  died: boolean;
  ms: number;
}

const DEFAULTS = { batchSize: 200, maxSeconds: 45, ratePerSecond: 500, settleSeconds: 120, leaseSeconds: 120 };

/**
 * No email is handed to SendGrid in the last seconds of its lease: one send (two attempts of at
 * most 10 s and a wait of at most 5 s, index.ts) always ends before the lease does, so a send
 * whose lease ran out was either handed over before — and is found — or never will be.
 */
export const LEASE_MARGIN_SECONDS = 30;

/** The run's tuning: the schedule always runs with the defaults (review L-5), the service role may set it. */
export function runOptionsFor(
  request: SendCampaignsRequest,
  caller: 'service_role' | 'schedule',
): Omit<RunOptions, 'concurrency' | 'clock' | 'sleep'> {
  const defaults = {
    batchSize: DEFAULTS.batchSize,
    budgetMs: DEFAULTS.maxSeconds * 1000,
    ratePerSecond: DEFAULTS.ratePerSecond,
    settleSeconds: DEFAULTS.settleSeconds,
    leaseSeconds: DEFAULTS.leaseSeconds,
  };
  if (caller !== 'service_role') return defaults;
  return {
    now: request.now,
    batchSize: request.batch_size ?? defaults.batchSize,
    budgetMs: (request.max_seconds ?? DEFAULTS.maxSeconds) * 1000,
    ratePerSecond: request.rate_per_second ?? defaults.ratePerSecond,
    settleSeconds: request.settle_seconds ?? defaults.settleSeconds,
    leaseSeconds: request.lease_seconds ?? defaults.leaseSeconds,
    dieAfter: request.die_after,
  };
}

/** The marketing footer: who sends it, from where (postal address), and how to stop it. */
export function withFooter(send: ClaimedSend, unsubscribeUrl: string): { subject: string; html: string; text: string } {
  const fill = (value: string) => value.replaceAll('{{unsubscribe_url}}', unsubscribeUrl);
  const shop = send.shop_name ?? '';
  const address = send.postal_address ?? '';
  const text = `${fill(send.body_text ?? '')}\n\n--\n${shop}\n${address}\nUnsubscribe: ${unsubscribeUrl}\n`;
  const html =
    `${fill(send.body_html ?? '')}\n<hr>\n<p style="font-size:12px;color:#555">${escapeHtml(shop)}<br>` +
    `${escapeHtml(address).replace(/\n/g, '<br>')}<br>` +
    `<a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>`;
  return { subject: fill(send.subject ?? ''), html, text };
}

export async function buildCampaignEmail(send: ClaimedSend, options: EmailOptions): Promise<OutgoingEmail> {
  if (!send.email) throw new RangeError('the customer has no email address');
  if (send.subject === null || send.body_html === null || send.body_text === null) {
    throw new RangeError(`the template has no variant in ${send.language ?? 'any language'}`);
  }
  const unsubscribeUrl = await options.unsubscribeUrl(send.customer_id);
  const body = withFooter(send, unsubscribeUrl);
  return {
    to: send.name ? { email: send.email, name: send.name } : { email: send.email },
    from: send.shop_name ? { email: options.from.email, name: send.shop_name } : options.from,
    subject: body.subject,
    text: body.text,
    html: body.html,
    // cairn_send is the idempotency key: SendGrid echoes it on every event and it finds the send
    // in Email Activity when a run died before recording the answer.
    customArgs: { cairn_send: send.send_key, campaign_id: send.campaign_id, customer_id: send.customer_id },
    categories: ['campaign'],
    unsubscribe: { url: unsubscribeUrl },
  };
}

/** At most `perSecond` starts a second across the lanes. */
export function rateLimiter(perSecond: number, clock: () => number, sleep: (ms: number) => Promise<void>) {
  let next = clock();
  return async () => {
    const now = clock();
    const at = Math.max(now, next);
    next = at + 1000 / perSecond;
    if (at > now) await sleep(at - now);
  };
}

export async function runCampaignSends(
  store: CampaignStore,
  mailer: Mailer,
  email: EmailOptions,
  options: RunOptions,
): Promise<RunResult> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = clock();
  const result: RunResult = {
    resolved: 0,
    claimed: 0,
    sent: 0,
    failed: 0,
    retried: 0,
    batches: 0,
    throttled: false,
    died: false,
    ms: 0,
  };

  // 1. What a dead run left in doubt: looked up, never resent blindly.
  const doubtful = await store.inDoubt(options.now, options.settleSeconds);
  if (doubtful.length) {
    const answers = await mapConcurrently(doubtful, 8, async (send) => {
      const found = await mailer.lookup(send.send_key);
      return { id: send.recipient_id, found: found.found, message_id: found.found === 'yes' ? found.messageId : null };
    });
    await store.resolve(answers, options.now);
    result.resolved = answers.filter((answer) => answer.found !== 'unknown').length;
  }

  // 2. Due sends, batch by batch.
  const slot = rateLimiter(options.ratePerSecond, clock, sleep);
  let handed = 0;
  while (clock() - started < options.budgetMs) {
    const claimedAt = clock();
    const leaseEnds = claimedAt + (options.leaseSeconds - LEASE_MARGIN_SECONDS) * 1000;
    const batch = await store.claim(options.batchSize, options.now, options.leaseSeconds);
    if (batch.length === 0) break;
    result.batches += 1;
    result.claimed += batch.length;
    const outcomes = await mapConcurrently(batch, options.concurrency, async (send): Promise<SendOutcome | null> => {
      // Counted before any await, so concurrent lanes cannot all pass the test hook's limit.
      if (options.dieAfter !== undefined && handed >= options.dieAfter) return null;
      handed += 1;
      let outgoing: OutgoingEmail;
      try {
        outgoing = await buildCampaignEmail(send, email);
      } catch (error) {
        return {
          id: send.recipient_id,
          ok: false,
          message_id: null,
          error: String(error),
          retryable: false,
          status: null,
        };
      }
      await slot();
      if (clock() >= leaseEnds) {
        return {
          id: send.recipient_id,
          ok: false,
          message_id: null,
          error: 'not sent before its lease ended; queued again',
          retryable: true,
          status: null,
          not_sent: true,
        };
      }
      const sent = await mailer.send(outgoing);
      return sent.ok
        ? {
            id: send.recipient_id,
            ok: true,
            message_id: sent.messageId,
            error: null,
            retryable: false,
            status: sent.status,
          }
        : {
            id: send.recipient_id,
            ok: false,
            message_id: null,
            error: `${sent.status ?? 'network'}: ${sent.errors.join('; ')}`.slice(0, 900),
            retryable: sent.retryable,
            status: sent.status,
            ...(sent.status === 429 ? { retry_after_seconds: 30 } : {}),
          };
    });
    if (options.dieAfter !== undefined && handed >= options.dieAfter) {
      // The test hook: the runtime "dies" here — what it handed to SendGrid is never recorded.
      result.died = true;
      break;
    }
    const recorded = outcomes.filter((outcome): outcome is SendOutcome => outcome !== null);
    await store.record(recorded, options.now);
    for (const outcome of recorded) {
      if (outcome.ok) result.sent += 1;
      else if (outcome.not_sent || outcome.retryable || outcome.status === 401 || outcome.status === 403)
        result.retried += 1;
      else result.failed += 1;
    }
    if (recorded.some((outcome) => outcome.status === 429)) {
      result.throttled = true;
      break;
    }
    if (batch.length < options.batchSize) break;
  }
  result.ms = clock() - started;
  return result;
}
