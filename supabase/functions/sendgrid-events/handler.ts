/**
 * The sendgrid-events function's request handling, free of Deno.serve and of the database client
 * so `deno test` drives it with fakes: raw body → signature + timestamp → JSON → validation →
 * record. Content Postgres cannot store as sent (NUL, unpaired surrogates: replaced by U+FFFD;
 * nesting too deep: a placeholder event) is recorded anyway and answered 200 (security review
 * M-5, L-9); only a failure to record at all is a 5xx, which makes SendGrid retry for 24 h.
 */
import { preflight } from '../_shared/cors.ts';
import { fail, readRawBody, validate } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { parseStorableJson } from '../_shared/storable-json.ts';
import {
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  sendGridEventsSchema,
  verifySendGridSignature,
} from './event-webhook.ts';
import { type RecordEvents, recordEvents, toEventRecords, withOriginalEvents } from './events.ts';

/** SendGrid batches events; a batch stays well under this. */
export const BODY_LIMIT = 5 * 1024 * 1024;

export interface SendGridEventsDeps {
  /** SENDGRID_WEBHOOK_PUBLIC_KEY: SendGrid's P-256 verification key (base64 SPKI). */
  publicKey: string | undefined;
  record: RecordEvents;
  now(): Date;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, error: unknown): void;
}

export async function handleSendGridEvents(req: Request, deps: SendGridEventsDeps): Promise<Response> {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');

  // A 5xx makes SendGrid retry for 24 h, so nothing is lost while the key is being set.
  if (!deps.publicKey) return fail('internal_error', 'SENDGRID_WEBHOOK_PUBLIC_KEY is not set');

  const raw = await readRawBody(req, BODY_LIMIT);
  if (!raw.ok) return raw.response;
  const verified = await verifySendGridSignature(
    deps.publicKey,
    req.headers.get(SENDGRID_SIGNATURE_HEADER),
    req.headers.get(SENDGRID_TIMESTAMP_HEADER),
    raw.value,
    deps.now(),
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
    deps.warn('SendGrid batch sanitised (NUL or unpaired surrogate)');
    batch = withOriginalEvents(batch, JSON.parse(json.value.text));
  }
  const events = validate(sendGridEventsSchema, batch);
  if (!events.ok) return events.response;

  try {
    return jsonResponse(await recordEvents(toEventRecords(events.value), deps.record, deps.warn));
  } catch (error) {
    deps.error('recording SendGrid events failed', error);
    return fail('internal_error', 'Could not record the events; SendGrid will retry');
  }
}
