// sendgrid-events: SendGrid's signed Event Webhook (config.toml: verify_jwt = false — SendGrid
// sends no JWT; the ECDSA signature is the proof).
// Wiring only: CORS → method → raw body → signature + timestamp → validation → record.
// Content Postgres cannot store as sent (NUL, unpaired surrogates: replaced by U+FFFD; nesting
// too deep: a placeholder event) is recorded anyway and answered 200 (security review M-5, L-9).
import { preflight } from '../_shared/cors.ts';
import { fail, readRawBody, validate } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  sendGridEventsSchema,
  verifySendGridSignature,
} from './event-webhook.ts';
import { serviceClient } from '../_shared/supabase-clients.ts';
import { parseStorableJson } from '../_shared/storable-json.ts';
import { emailEventRecorder } from './database.ts';
import { recordEvents, toEventRecords, withOriginalEvents } from './events.ts';

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
  const json = parseStorableJson(raw.value);
  if (!json.ok) return json.response;
  let batch = json.value.value;
  if (json.value.sanitised) {
    console.warn('SendGrid batch sanitised (NUL or unpaired surrogate)');
    batch = withOriginalEvents(batch, JSON.parse(json.value.text));
  }
  const events = validate(sendGridEventsSchema, batch);
  if (!events.ok) return events.response;

  // Service role: the events are about any customer (./database.ts).
  const record = emailEventRecorder(serviceClient());
  try {
    const result = await recordEvents(toEventRecords(events.value), record, (message, fields) =>
      console.warn(JSON.stringify({ level: 'warn', message, ...fields })),
    );
    return jsonResponse(result);
  } catch (error) {
    console.error('recording SendGrid events failed', error);
    return fail('internal_error', 'Could not record the events; SendGrid will retry');
  }
});
