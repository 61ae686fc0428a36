/**
 * Was this send accepted by SendGrid? Email Activity (`GET /v3/messages`, an add-on on hosted
 * SendGrid) searched by the custom arg `cairn_send` — the send's idempotency key. Shared by
 * send-campaigns (campaign sends) and send-email's automation mode (flow emails). Anything but a
 * clear answer (no add-on: 401 / 403 / 404, a network fault, a 5xx) is `unknown`: the send stays
 * in doubt and is asked about again later, or settled by a SendGrid event carrying the same key.
 */
import type { SendGridOptions } from './sendgrid.ts';
import { DEFAULT_SENDGRID_API_URL } from './sendgrid.ts';

/** The answer: accepted (with SendGrid's message id when it says), not there, or no clear answer. */
export type Lookup = { found: 'yes'; messageId: string | null } | { found: 'no' } | { found: 'unknown' };

/** The custom arg every email that must go exactly once carries: its idempotency key. */
export const SEND_KEY_ARG = 'cairn_send';

export async function lookupSend(sendKey: string, options: SendGridOptions): Promise<Lookup> {
  const base = (options.apiUrl ?? DEFAULT_SENDGRID_API_URL).replace(/\/+$/, '');
  const query = `unique_args['${SEND_KEY_ARG}']="${sendKey.replace(/["\\]/g, '')}"`;
  const url = `${base}/v3/messages?limit=1&query=${encodeURIComponent(query)}`;
  try {
    const response = await (options.fetch ?? fetch)(url, {
      headers: { Authorization: `Bearer ${options.apiKey}` },
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      return { found: 'unknown' };
    }
    const body = (await response.json()) as { messages?: Array<{ msg_id?: string }> };
    if (!Array.isArray(body.messages)) return { found: 'unknown' };
    const first = body.messages[0];
    return first ? { found: 'yes', messageId: first.msg_id?.split('.')[0] ?? null } : { found: 'no' };
  } catch {
    return { found: 'unknown' };
  }
}
