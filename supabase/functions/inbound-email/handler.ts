/**
 * inbound-email's request handling: SendGrid Inbound Parse posts each email it receives for the
 * inbound domain here (multipart/form-data, no signature). The secret in the URL (`?key=`, set as
 * INBOUND_PARSE_SECRET and in the parse URL SendGrid is given) is compared in constant time; then
 * the post is read as bytes, decoded, filed once (receive_inbound_email, idempotent per dedupe
 * key), and its files stored under the customer's folder. A post that cannot be read is stored
 * as malformed and answered 200: SendGrid would only retry it for three days. Free of Deno.serve
 * and Supabase so `deno test` drives it with fakes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { fail, readRawBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { type InboundFile, type InboundMail, inboundMailFrom, malformedMail } from './mail.ts';
import { boundaryOf, parseMultipart } from './multipart.ts';

/** SendGrid posts at most 30 MB; a little more for the form's own overhead. */
export const MAX_POST_BYTES = 32 * 1024 * 1024;

export interface Received {
  inbound_id: string;
  state: 'matched' | 'unmatched' | 'malformed';
  customer_id: string | null;
  message_id: string | null;
  duplicate: boolean;
}

export interface StoredFile {
  path?: string;
  name: string;
  size: number;
  mime: string;
  refused?: string;
}

export interface InboundDeps {
  /** INBOUND_PARSE_SECRET; unset refuses every post. */
  secret: string | undefined;
  receive(mail: InboundMail): Promise<Received>;
  /**
   * Uploads one file to the attachments bucket (overwriting: a retried post stores it again).
   * Returns why Storage refused it (too large, a type the bucket does not take), or null when
   * stored; throws on any other failure (the post is then answered 5xx and retried).
   */
  upload(path: string, bytes: Uint8Array, mime: string): Promise<string | null>;
  attach(inboundId: string, files: StoredFile[]): Promise<void>;
  log(message: string, fields: Record<string, unknown>): void;
}

/** Equal strings, compared in time independent of where they differ (digests of equal length). */
export function sameSecret(sent: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/** Where a file of an inbound mail is kept: its customer's folder, or inbound/ while unmatched. */
export function attachmentPath(received: Received, file: InboundFile): string {
  const folder =
    received.customer_id && received.message_id
      ? `${received.customer_id}/messages/${received.message_id}`
      : `inbound/${received.inbound_id}`;
  return `${folder}/${file.index}-${file.name}`;
}

export async function handleInboundEmail(req: Request, deps: InboundDeps): Promise<Response> {
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const key = new URL(req.url).searchParams.get('key') ?? '';
  if (!deps.secret) {
    deps.log('INBOUND_PARSE_SECRET is not set: inbound mail is refused until it is', {});
    return fail('forbidden', 'Inbound mail is not configured');
  }
  if (!sameSecret(key, deps.secret)) return fail('forbidden', 'The parse URL is not this project’s');

  const body = await readRawBody(req, MAX_POST_BYTES);
  if (!body.ok) return body.response;
  const contentType = req.headers.get('Content-Type');
  const boundary = boundaryOf(contentType);
  const parts = boundary ? parseMultipart(body.value, boundary) : null;

  let mail: InboundMail;
  let files: InboundFile[] = [];
  let refused: StoredFile[] = [];
  if (!parts) {
    mail = malformedMail(body.value, contentType, boundary ? 'no form part in the body' : 'not multipart/form-data');
  } else {
    const read = inboundMailFrom(parts);
    mail = read.mail;
    files = read.files;
    refused = read.refused as unknown as StoredFile[];
    if (!mail.from && !mail.headers && !mail.text && !mail.html) {
      mail = {
        ...malformedMail(body.value, contentType, 'no from, headers or body fields'),
        dedupe_key: mail.dedupe_key,
      };
    }
  }

  const received = await deps.receive(mail);
  if (!received.duplicate && (files.length || refused.length)) {
    const stored: StoredFile[] = [];
    for (const file of files) {
      const path = attachmentPath(received, file);
      const refusal = await deps.upload(path, file.bytes, file.mime);
      stored.push(
        refusal
          ? { name: file.name, size: file.bytes.length, mime: file.mime, refused: refusal }
          : { path, name: file.name, size: file.bytes.length, mime: file.mime },
      );
    }
    await deps.attach(received.inbound_id, [...stored, ...refused]);
  }
  deps.log('inbound email filed', { state: received.state, duplicate: received.duplicate, files: files.length });
  return jsonResponse({ ok: true, state: received.state, duplicate: received.duplicate });
}
