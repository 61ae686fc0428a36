/**
 * SendGrid (spec §10): the v3 mail-send client with retries, used by every function that sends
 * mail. The signed Event Webhook SendGrid calls back is sendgrid-events' (./event-webhook.ts there).
 */
import { utf8 } from './bytes.ts';

export interface EmailAddress {
  email: string;
  /** SendGrid refuses `;` and `,` in names; they are replaced by spaces. */
  name?: string;
}

/** One transactional email to one recipient (alerts, or a team member's templated email). */
export interface OutgoingEmail {
  to: EmailAddress;
  from: EmailAddress;
  replyTo?: EmailAddress;
  subject: string;
  text: string;
  html: string;
  /**
   * Echoed back on every Event Webhook event as top-level keys; string values only, < 10 000
   * bytes in total. Alerts put their id here (`alert_id`) so events join back to the alert.
   */
  customArgs: Record<string, string>;
  /** At most 10, each ≤ 255 characters (e.g. `alert`, `back_in_stock`). */
  categories?: string[];
  /** RFC 8058 one-click unsubscribe: adds `List-Unsubscribe` and `List-Unsubscribe-Post`. */
  unsubscribe?: { url: string; mailto?: string };
  headers?: Record<string, string>;
  /** Unix seconds, ≤ 72 h ahead. */
  sendAt?: number;
  /** Files sent with the email: base64 content, a file name and a MIME type. */
  attachments?: Array<{ content: string; filename: string; type: string }>;
}

/** The v3 `mail/send` JSON body. */
export interface MailSendBody {
  personalizations: Array<{
    to: EmailAddress[];
    subject?: string;
    custom_args: Record<string, string>;
    /** Per personalization: replaced in the subject and the content for this message only. */
    substitutions?: Record<string, string>;
    headers?: Record<string, string>;
    send_at?: number;
  }>;
  from: EmailAddress;
  reply_to?: EmailAddress;
  subject: string;
  content: Array<{ type: 'text/plain' | 'text/html'; value: string }>;
  headers?: Record<string, string>;
  categories?: string[];
  attachments?: Array<{ content: string; filename: string; type: string; disposition: 'attachment' }>;
}

/**
 * A display name safe in a header: control characters (CR/LF included, C1 and the Unicode line
 * separators too) and the address-list separators `;` `,` become spaces, so a customer named
 * "Eve\r\nBcc: …" can never add a header, whatever the mail API does with it (review L-13; the
 * database refuses such names too). Stripped rather than refused: a name stored before that
 * rule must not stop an email. Nothing left means no name.
 */
export const cleanName = (address: EmailAddress): EmailAddress => {
  const name = address.name
    // deno-lint-ignore no-control-regex -- control characters are what must never reach a header.
    ?.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029;,]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return name ? { email: address.email, name } : { email: address.email };
};

/** RFC 8058 one-click unsubscribe: `List-Unsubscribe` and `List-Unsubscribe-Post`. */
export function unsubscribeHeaders(unsubscribe: { url: string; mailto?: string }): Record<string, string> {
  const targets = [`<${unsubscribe.url}>`];
  if (unsubscribe.mailto) targets.push(`<mailto:${unsubscribe.mailto.replace(/^mailto:/, '')}>`);
  return {
    'List-Unsubscribe': targets.join(', '),
    // RFC 8058: mailbox providers POST this body to the https URL (Gmail/Yahoo bulk-sender rule).
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

/** The v3 body for one email; throws on what SendGrid would refuse with 400. */
export function buildMailSendBody(email: OutgoingEmail): MailSendBody {
  const categories = email.categories ?? [];
  if (categories.length > 10 || categories.some((c) => c.length === 0 || c.length > 255)) {
    throw new RangeError('categories: at most 10, each 1–255 characters');
  }
  for (const [key, value] of Object.entries(email.customArgs)) {
    if (typeof value !== 'string') throw new TypeError(`custom_args.${key}: must be a string`);
  }
  if (utf8(JSON.stringify(email.customArgs)).length >= 10_000) throw new RangeError('custom_args: ≥ 10 000 bytes');
  if (!email.text || !email.html) throw new RangeError('content: text and html must both be non-empty');

  const headers: Record<string, string> = {
    ...email.headers,
    ...(email.unsubscribe ? unsubscribeHeaders(email.unsubscribe) : {}),
  };
  return {
    personalizations: [
      {
        to: [cleanName(email.to)],
        subject: email.subject,
        custom_args: email.customArgs,
        ...(email.sendAt === undefined ? {} : { send_at: email.sendAt }),
      },
    ],
    from: cleanName(email.from),
    ...(email.replyTo ? { reply_to: cleanName(email.replyTo) } : {}),
    subject: email.subject,
    // text/plain must come first (SendGrid rejects other orders).
    content: [
      { type: 'text/plain', value: email.text },
      { type: 'text/html', value: email.html },
    ],
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(categories.length ? { categories } : {}),
    ...(email.attachments?.length
      ? { attachments: email.attachments.map((file) => ({ ...file, disposition: 'attachment' as const })) }
      : {}),
  };
}

export interface SendGridOptions {
  apiKey: string;
  /** Base URL without `/v3` (default https://api.sendgrid.com; the mail catcher locally). */
  apiUrl?: string;
  /** Total attempts including the first (default 5). */
  maxAttempts?: number;
  /** First backoff step (default 500 ms); doubles each attempt, full jitter. */
  baseDelayMs?: number;
  /** Cap on any single wait, including server-requested ones (default 30 s). */
  maxDelayMs?: number;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export type SendResult =
  | { ok: true; status: number; messageId: string | null; attempts: number }
  | {
      ok: false;
      status: number | null;
      /** SendGrid's `errors[].message` list, or the network error. */
      errors: string[];
      attempts: number;
      /** True when the last failure was transient (429/5xx/network): the caller may try again later. */
      retryable: boolean;
    };

export const DEFAULT_SENDGRID_API_URL = 'https://api.sendgrid.com';

/** Options from `SENDGRID_API_KEY` and `SENDGRID_API_URL`; throws when the key is missing. */
export function sendGridOptionsFromEnv(env: { get(name: string): string | undefined } = Deno.env): SendGridOptions {
  const apiKey = env.get('SENDGRID_API_KEY');
  if (!apiKey) throw new Error('SENDGRID_API_KEY is not set');
  return { apiKey, apiUrl: env.get('SENDGRID_API_URL') || DEFAULT_SENDGRID_API_URL };
}

const isRetryable = (status: number) => status === 429 || status >= 500;

/**
 * How long the server asked us to wait, in ms, or null: `Retry-After` (seconds or HTTP date),
 * else `X-RateLimit-Reset` (unix seconds, SendGrid's 429 header).
 */
export function serverRequestedDelay(headers: Headers, nowMs: number): number | null {
  const retryAfter = headers.get('Retry-After');
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - nowMs);
  }
  const reset = Number(headers.get('X-RateLimit-Reset') ?? NaN);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - nowMs);
  return null;
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base·2^attempt)). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

async function errorsOf(response: Response): Promise<string[]> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { errors?: Array<{ message?: unknown }> };
    const messages = (body.errors ?? []).map((error) => String(error.message ?? ''));
    if (messages.length) return messages;
  } catch {
    // not JSON: fall through to the raw text
  }
  return [text || `HTTP ${response.status}`];
}

/**
 * Sends one email. Retries 429 and 5xx (and network errors/timeouts) with exponential backoff
 * and jitter, honouring Retry-After / X-RateLimit-Reset; never retries other 4xx, which would
 * fail the same way again. 202 (and sandbox mode's 200) succeed with the `X-Message-Id`.
 */
export async function sendEmail(email: OutgoingEmail, options: SendGridOptions): Promise<SendResult> {
  // Awaited inside the async function so a body SendGrid would refuse rejects, never throws.
  return await postMailSend(buildMailSendBody(email), options);
}

export async function postMailSend(body: MailSendBody, options: SendGridOptions): Promise<SendResult> {
  const {
    apiKey,
    apiUrl = DEFAULT_SENDGRID_API_URL,
    maxAttempts = 5,
    baseDelayMs = 500,
    maxDelayMs = 30_000,
    timeoutMs = 10_000,
    fetch: doFetch = fetch,
    sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    random = Math.random,
    now = Date.now,
  } = options;
  const url = `${apiUrl.replace(/\/+$/, '')}/v3/mail/send`;
  const payload = JSON.stringify(body);
  let last: SendResult = { ok: false, status: null, errors: ['not sent'], attempts: 0, retryable: true };

  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    let wait: number | null = null;
    try {
      const response = await doFetch(url, {
        method: 'POST',
        headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (response.ok) {
        await response.body?.cancel();
        return {
          ok: true,
          status: response.status,
          messageId: response.headers.get('X-Message-Id'),
          attempts: attempt + 1,
        };
      }
      const retryable = isRetryable(response.status);
      last = { ok: false, status: response.status, errors: await errorsOf(response), attempts: attempt + 1, retryable };
      if (!retryable) return last;
      wait = serverRequestedDelay(response.headers, now());
    } catch (error) {
      last = { ok: false, status: null, errors: [String(error)], attempts: attempt + 1, retryable: true };
    }
    if (attempt + 1 < maxAttempts) {
      const backoff = backoffDelay(attempt, baseDelayMs, maxDelayMs, random);
      // A server-requested wait is a floor; jitter on top spreads out clients released together.
      await sleep(Math.min(maxDelayMs, wait === null ? backoff : wait + backoff / 4));
    }
  }
  return last;
}
