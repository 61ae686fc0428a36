/**
 * send-campaigns' logic, free of HTTP and of Supabase so `deno test` drives it with fakes:
 * first settle the sends a dead run left in doubt (look each one up at SendGrid by its
 * idempotency key: found → sent, not found → queued again), then claim due sends batch by batch
 * and hand them to SendGrid in bulk — one mail-send request per campaign and language carries up
 * to 1 000 personalizations, the content once with substitution tags, and per recipient its
 * address, its tag values, its signed one-click unsubscribe link (in the body, the footer with
 * the shop's postal address, and its own List-Unsubscribe / List-Unsubscribe-Post headers) and
 * its idempotency key — at a bounded rate, recording every answer, until nothing is due,
 * SendGrid asks us to slow down (429), or the time budget is spent (the next run continues).
 *
 * A request is accepted or refused whole (202 or an error), so each recipient's answer is the
 * request's. A request that gets no answer (network error, timeout) may or may not have reached
 * SendGrid: its sends are recorded in doubt and looked up later, never resent blindly.
 */
import { z } from 'zod';
import { cleanName, type MailSendBody, type SendResult, unsubscribeHeaders } from '../_shared/sendgrid.ts';
import { escapeHtml } from '../_shared/html.ts';
import { utf8 } from '../_shared/bytes.ts';
import type { Lookup } from '../_shared/sendgrid-activity.ts';
import { mapConcurrently } from '../check-alerts/alert-email.ts';

export const sendCampaignsRequestSchema = z
  .object({
    /** Test hook: the time the sender believes it is (leases, quiet hours, cap). Service role only. */
    now: z.iso.datetime({ offset: true }).optional(),
    batch_size: z.number().int().min(1).max(1000).optional(),
    max_seconds: z.number().min(1).max(300).optional(),
    /** Emails per second at most (SendGrid's mail send has no per-minute quota, our pool does). */
    rate_per_second: z.number().min(1).max(20000).optional(),
    /** Seconds after a lease ran out before an in-doubt send is looked up at SendGrid. */
    settle_seconds: z.number().int().min(0).max(3600).optional(),
    /** How long a claimed batch is ours (default 60 s; at least 20 s). */
    lease_seconds: z.number().int().min(20).max(3600).optional(),
    /** Personalizations per mail-send request (SendGrid allows 1 000). */
    per_request: z.number().int().min(1).max(1000).optional(),
    /** Test hook: stop after handing this many emails to SendGrid without recording them (a dying runtime). */
    die_after: z.number().int().min(0).max(1000).optional(),
    source: z.string().max(50).optional(),
  })
  .strict();

export type SendCampaignsRequest = z.infer<typeof sendCampaignsRequestSchema>;

/** One claimed recipient, as `public.claim_campaign_batch` returns it. */
export interface ClaimedSend {
  recipient_id: number;
  campaign_id: string;
  customer_id: string;
  send_key: string;
  email: string | null;
  name: string | null;
  language: string | null;
  /** The values of the content's substitution tags for this recipient; null: no variant. */
  substitutions: Record<string, string> | null;
}

/** One campaign's variant in one language, its placeholders as substitution tags. */
export interface BatchContent {
  campaign_id: string;
  language: string;
  subject: string;
  body_html: string;
  body_text: string;
}

export interface ClaimedBatch {
  shop_name: string | null;
  postal_address: string | null;
  contents: BatchContent[];
  sends: ClaimedSend[];
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
  /** Handed over but no answer came (network error, timeout): looked up later, never resent blindly. */
  in_doubt?: boolean;
}

export type { Lookup };

export interface CampaignStore {
  inDoubt(now: string | undefined, settleSeconds: number): Promise<InDoubtSend[]>;
  resolve(
    results: Array<{ id: number; found: Lookup['found']; message_id: string | null }>,
    now: string | undefined,
  ): Promise<void>;
  claim(batchSize: number, now: string | undefined, leaseSeconds: number): Promise<ClaimedBatch>;
  record(outcomes: SendOutcome[], now: string | undefined): Promise<void>;
}

export interface Mailer {
  /** One v3 mail-send request (one attempt: a retry after no answer could send twice). */
  send(body: MailSendBody): Promise<SendResult>;
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
  /** Requests under way at once. */
  concurrency: number;
  budgetMs: number;
  ratePerSecond: number;
  settleSeconds: number;
  leaseSeconds: number;
  perRequest?: number;
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
  in_doubt: number;
  batches: number;
  requests: number;
  throttled: boolean;
  died: boolean;
  ms: number;
}

const DEFAULTS = {
  batchSize: 1000,
  maxSeconds: 45,
  ratePerSecond: 1000,
  settleSeconds: 120,
  leaseSeconds: 60,
  perRequest: 1000,
};

/** SendGrid's limits for one request and one personalization's substitutions. */
export const MAX_PERSONALIZATIONS = 1000;
export const MAX_SUBSTITUTION_BYTES = 10_000;

/**
 * No request is handed to SendGrid in the last seconds of its lease: one request (one attempt
 * of at most 10 s, index.ts) always ends before the lease does, so a send whose lease ran out
 * was either handed over before — and is found — or never will be.
 */
export const LEASE_MARGIN_SECONDS = 15;

/** The footer's own tags: the recipient's unsubscribe link, plain and HTML-escaped. */
export const UNSUBSCRIBE_TAG = '%cairn.unsubscribe%';
export const UNSUBSCRIBE_HTML_TAG = '%cairn.unsubscribe.h%';

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
    perRequest: DEFAULTS.perRequest,
  };
  if (caller !== 'service_role') return defaults;
  return {
    now: request.now,
    batchSize: request.batch_size ?? defaults.batchSize,
    budgetMs: (request.max_seconds ?? DEFAULTS.maxSeconds) * 1000,
    ratePerSecond: request.rate_per_second ?? defaults.ratePerSecond,
    settleSeconds: request.settle_seconds ?? defaults.settleSeconds,
    leaseSeconds: request.lease_seconds ?? defaults.leaseSeconds,
    perRequest: request.per_request ?? defaults.perRequest,
    dieAfter: request.die_after,
  };
}

/**
 * The content with the marketing footer — who sends it, from where (postal address), and how to
 * stop it — its link left as the recipient's unsubscribe tags.
 */
export function withFooter(
  content: Pick<BatchContent, 'subject' | 'body_html' | 'body_text'>,
  shop: string,
  address: string,
): { subject: string; html: string; text: string } {
  const text = `${content.body_text}\n\n--\n${shop}\n${address}\nUnsubscribe: ${UNSUBSCRIBE_TAG}\n`;
  const html =
    `${content.body_html}\n<hr>\n<p style="font-size:12px;color:#555">${escapeHtml(shop)}<br>` +
    `${escapeHtml(address).replace(/\n/g, '<br>')}<br>` +
    `<a href="${UNSUBSCRIBE_HTML_TAG}">Unsubscribe</a></p>`;
  return { subject: content.subject, html, text };
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What SendGrid does with a personalization's substitutions: each tag replaced by its value, in one pass. */
export function applySubstitutions(value: string, substitutions: Record<string, string>): string {
  const tags = Object.keys(substitutions).sort((a, b) => b.length - a.length);
  if (tags.length === 0) return value;
  return value.replace(new RegExp(tags.map(escapeRegExp).join('|'), 'g'), (tag) => substitutions[tag]);
}

/** A recipient's substitutions: the claim's values with their unsubscribe link filled in, and the footer's. */
export function recipientSubstitutions(send: ClaimedSend, unsubscribeUrl: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [tag, value] of Object.entries(send.substitutions ?? {})) {
    values[tag] = value.replaceAll('{{unsubscribe_url}}', unsubscribeUrl);
  }
  values[UNSUBSCRIBE_TAG] = unsubscribeUrl;
  values[UNSUBSCRIBE_HTML_TAG] = escapeHtml(unsubscribeUrl);
  return values;
}

type Personalization = MailSendBody['personalizations'][number];

/** One mail-send request and the sends it carries, in the order of its personalizations. */
export interface PlannedRequest {
  sends: ClaimedSend[];
  body: MailSendBody;
}

const contentKey = (campaignId: string, language: string | null) => `${campaignId}\u0000${language ?? ''}`;

/**
 * The batch as mail-send requests: per campaign and language one shared content and up to
 * `perRequest` personalizations, no address twice in one request (SendGrid refuses that), and a
 * recipient whose substitutions are too big for SendGrid alone with the content rendered for
 * them. A send that cannot be built (no address, no variant) is a failure.
 */
export async function planRequests(
  batch: ClaimedBatch,
  email: EmailOptions,
  perRequest = MAX_PERSONALIZATIONS,
): Promise<{ requests: PlannedRequest[]; failures: SendOutcome[] }> {
  const shop = batch.shop_name ?? '';
  const from = cleanName(batch.shop_name ? { email: email.from.email, name: batch.shop_name } : email.from);
  const contents = new Map(
    batch.contents.map((content) => [
      contentKey(content.campaign_id, content.language),
      withFooter(content, shop, batch.postal_address ?? ''),
    ]),
  );
  const failures: SendOutcome[] = [];
  const fail = (send: ClaimedSend, error: string): void => {
    failures.push({ id: send.recipient_id, ok: false, message_id: null, error, retryable: false, status: null });
  };
  const buildable = batch.sends.filter((send) => {
    if (!send.email) fail(send, 'RangeError: the customer has no email address');
    else if (!send.substitutions || !contents.has(contentKey(send.campaign_id, send.language)))
      fail(send, `RangeError: the template has no variant in ${send.language ?? 'any language'}`);
    else return true;
    return false;
  });
  const urls = await Promise.all(buildable.map((send) => email.unsubscribeUrl(send.customer_id)));

  const body = (
    content: { subject: string; html: string; text: string },
    personalizations: Personalization[],
  ): MailSendBody => ({
    personalizations,
    from,
    subject: content.subject,
    // text/plain must come first (SendGrid rejects other orders).
    content: [
      { type: 'text/plain', value: content.text },
      { type: 'text/html', value: content.html },
    ],
    categories: ['campaign'],
  });

  const requests: PlannedRequest[] = [];
  const open = new Map<string, Array<PlannedRequest & { addresses: Set<string> }>>();
  buildable.forEach((send, index) => {
    const url = urls[index];
    const key = contentKey(send.campaign_id, send.language);
    const content = contents.get(key)!;
    const substitutions = recipientSubstitutions(send, url);
    const personalization: Personalization = {
      to: [cleanName(send.name ? { email: send.email!, name: send.name } : { email: send.email! })],
      // cairn_send is the idempotency key: SendGrid echoes it on every event and it finds the
      // send in Email Activity when a run died before recording the answer.
      custom_args: { cairn_send: send.send_key, campaign_id: send.campaign_id, customer_id: send.customer_id },
      substitutions,
      // Each recipient's own one-click link (RFC 8058), as a header of their message only.
      headers: unsubscribeHeaders({ url }),
    };
    if (utf8(JSON.stringify(substitutions)).length >= MAX_SUBSTITUTION_BYTES) {
      // Too much to substitute: this recipient's email is rendered here and sent on its own.
      const { substitutions: _dropped, ...alone } = personalization;
      const rendered = {
        subject: applySubstitutions(content.subject, substitutions),
        html: applySubstitutions(content.html, substitutions),
        text: applySubstitutions(content.text, substitutions),
      };
      requests.push({ sends: [send], body: body(rendered, [alone]) });
      return;
    }
    const address = send.email!.toLowerCase();
    const group = open.get(key) ?? [];
    open.set(key, group);
    let request = group.find((r) => r.sends.length < perRequest && !r.addresses.has(address));
    if (!request) {
      request = { sends: [], body: body(content, []), addresses: new Set() };
      group.push(request);
    }
    request.sends.push(send);
    request.body.personalizations.push(personalization);
    request.addresses.add(address);
  });
  for (const group of open.values())
    for (const { sends, body: planned } of group) requests.push({ sends, body: planned });
  return { requests, failures };
}

/** Each send's answer from its request's answer. */
export function outcomesOf(sends: ClaimedSend[], sent: SendResult): SendOutcome[] {
  return sends.map((send): SendOutcome => {
    if (sent.ok)
      return {
        id: send.recipient_id,
        ok: true,
        message_id: sent.messageId,
        error: null,
        retryable: false,
        status: sent.status,
      };
    const error = `${sent.status ?? 'network'}: ${sent.errors.join('; ')}`.slice(0, 900);
    if (sent.status === null)
      return {
        id: send.recipient_id,
        ok: false,
        message_id: null,
        error,
        retryable: false,
        status: null,
        in_doubt: true,
      };
    return {
      id: send.recipient_id,
      ok: false,
      message_id: null,
      error,
      retryable: sent.retryable,
      status: sent.status,
      ...(sent.status === 429 ? { retry_after_seconds: 30 } : {}),
    };
  });
}

/** At most `perSecond` emails a second across the lanes: a request of n emails takes n slots. */
export function rateLimiter(perSecond: number, clock: () => number, sleep: (ms: number) => Promise<void>) {
  let next = clock();
  return async (emails = 1) => {
    const now = clock();
    const at = Math.max(now, next);
    next = at + (1000 * emails) / perSecond;
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
    in_doubt: 0,
    batches: 0,
    requests: 0,
    throttled: false,
    died: false,
    ms: 0,
  };

  // 1. What a dead run left in doubt: looked up, never resent blindly.
  const doubtful = await store.inDoubt(options.now, options.settleSeconds);
  if (doubtful.length) {
    const answers = await mapConcurrently(doubtful, 16, async (send) => {
      const found = await mailer.lookup(send.send_key);
      return { id: send.recipient_id, found: found.found, message_id: found.found === 'yes' ? found.messageId : null };
    });
    await store.resolve(answers, options.now);
    result.resolved = answers.filter((answer) => answer.found !== 'unknown').length;
  }

  // 2. Due sends, batch by batch, each batch in as few requests as SendGrid allows.
  const slot = rateLimiter(options.ratePerSecond, clock, sleep);
  let handed = 0;
  while (clock() - started < options.budgetMs) {
    const leaseEnds = clock() + (options.leaseSeconds - LEASE_MARGIN_SECONDS) * 1000;
    const batch = await store.claim(options.batchSize, options.now, options.leaseSeconds);
    if (batch.sends.length === 0) break;
    result.batches += 1;
    result.claimed += batch.sends.length;
    const { requests, failures } = await planRequests(batch, email, options.perRequest);

    const handOver = async (request: PlannedRequest): Promise<SendOutcome[]> => {
      await slot(request.sends.length);
      if (clock() >= leaseEnds) {
        return request.sends.map((send) => ({
          id: send.recipient_id,
          ok: false,
          message_id: null,
          error: 'not sent before its lease ended; queued again',
          retryable: true,
          status: null,
          not_sent: true,
        }));
      }
      result.requests += 1;
      return outcomesOf(request.sends, await mailer.send(request.body));
    };

    const outcomes = await mapConcurrently(requests, options.concurrency, async (request): Promise<SendOutcome[]> => {
      // Counted before any await, so concurrent lanes cannot all pass the test hook's limit: a
      // request that would pass it is cut to the emails still allowed.
      if (options.dieAfter !== undefined) {
        const room = options.dieAfter - handed;
        if (room <= 0) return [];
        if (room < request.sends.length) {
          request = {
            sends: request.sends.slice(0, room),
            body: { ...request.body, personalizations: request.body.personalizations.slice(0, room) },
          };
        }
      }
      handed += request.sends.length;
      const answers = await handOver(request);
      // Refused as a whole (one bad address, too big): SendGrid took none of it, so each
      // recipient is tried on its own, in order — a bad one fails alone.
      const refused = answers[0];
      if (request.sends.length > 1 && refused && (refused.status === 400 || refused.status === 413)) {
        const alone: SendOutcome[] = [];
        for (const [index, send] of request.sends.entries()) {
          alone.push(
            ...(await handOver({
              sends: [send],
              body: { ...request.body, personalizations: [request.body.personalizations[index]] },
            })),
          );
        }
        return alone;
      }
      return answers;
    });
    if (options.dieAfter !== undefined && handed >= options.dieAfter) {
      // The test hook: the runtime "dies" here — what it handed to SendGrid is never recorded.
      result.died = true;
      break;
    }
    const recorded = [...failures, ...outcomes.flat()];
    await store.record(recorded, options.now);
    for (const outcome of recorded) {
      if (outcome.ok) result.sent += 1;
      else if (outcome.in_doubt) result.in_doubt += 1;
      else if (outcome.not_sent || outcome.retryable || outcome.status === 401 || outcome.status === 403)
        result.retried += 1;
      else result.failed += 1;
    }
    if (recorded.some((outcome) => outcome.status === 429)) {
      result.throttled = true;
      break;
    }
    if (batch.sends.length < options.batchSize) break;
  }
  result.ms = clock() - started;
  return result;
}
