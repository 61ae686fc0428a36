/**
 * Was this send accepted by SendGrid? Email Activity (`GET /v3/messages`, an add-on on hosted
 * SendGrid) searched by the custom arg `cairn_send` — the send's idempotency key. Anything but a
 * clear answer (no add-on: 401 / 403 / 404, a network fault, a 5xx) is `unknown`: the send stays
 * in doubt and is asked about again later, or settled by a SendGrid event carrying the same key.
 */
import type { SendGridOptions } from '../_shared/sendgrid.ts';
import { DEFAULT_SENDGRID_API_URL } from '../_shared/sendgrid.ts';
import type { Lookup } from './send.ts';

export async function lookupSend(sendKey: string, options: SendGridOptions): Promise<Lookup> {
  const base = (options.apiUrl ?? DEFAULT_SENDGRID_API_URL).replace(/\/+$/, '');
  const query = `unique_args['cairn_send']="${sendKey.replace(/["\\]/g, '')}"`;
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
