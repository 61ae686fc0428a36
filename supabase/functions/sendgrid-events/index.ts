// sendgrid-events: SendGrid's signed Event Webhook (config.toml: verify_jwt = false — SendGrid
// sends no JWT; the ECDSA signature is the proof).
// Wiring only: CORS → method → raw body → signature + timestamp → validation → record.
import { preflight } from '../_shared/cors.ts';
import { fail, parseJsonBytes, readRawBody, validate } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  sendGridEventsSchema,
  verifySendGridSignature,
} from '../_shared/sendgrid.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { toEventRecords } from './events.ts';

/** SendGrid batches events; a batch stays well under this. */
const BODY_LIMIT = 5 * 1024 * 1024;

Deno.serve(async (req) => {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  const publicKey = Deno.env.get('SENDGRID_WEBHOOK_PUBLIC_KEY');
  // A 5xx makes SendGrid retry for 24 h, so nothing is lost while the key is being set.
  if (!publicKey) return fail('internal_error', 'SENDGRID_WEBHOOK_PUBLIC_KEY is not set');

  const raw = await readRawBody(req, BODY_LIMIT);
  if (!raw.ok) return raw.response;
  const verified = await verifySendGridSignature(
    publicKey,
    req.headers.get(SENDGRID_SIGNATURE_HEADER),
    req.headers.get(SENDGRID_TIMESTAMP_HEADER),
    raw.value,
    new Date(),
  );
  if (!verified.ok) {
    if (verified.reason === 'missing') return fail('missing_signature', 'The signature or timestamp header is missing');
    if (verified.reason === 'stale') return fail('stale_timestamp', 'The timestamp is more than 5 minutes away');
    if (verified.reason === 'malformed_key')
      return fail('internal_error', 'SENDGRID_WEBHOOK_PUBLIC_KEY is not a P-256 key');
    return fail('invalid_signature', 'The signature does not match the body');
  }
  const json = parseJsonBytes(raw.value);
  if (!json.ok) return json.response;
  const events = validate(sendGridEventsSchema, json.value);
  if (!events.ok) return events.response;

  // Service role: the events are about any customer, and only the system records deliveries,
  // suppressions and consent withdrawals (record_email_events is granted to it alone).
  const { data, error } = await serviceClient().rpc('record_email_events', { events: toEventRecords(events.value) });
  if (error) {
    console.error('recording SendGrid events failed', error);
    return fail('internal_error', 'Could not record the events; SendGrid will retry');
  }
  return jsonResponse((data as Array<{ received: number; recorded: number }>)[0]);
});
