/**
 * What an Inbound Parse post says, as Cairn files it: text fields decoded in the charset the
 * sender used (an unknown or broken charset falls back to UTF-8 with replacement characters and
 * is noted, never an error), the Message-ID / In-Reply-To / References of the raw headers, the
 * attachments with safe names, and a dedupe key that is the same when SendGrid posts the same
 * mail again (its multipart boundary may differ; the content does not).
 */
import { createHash } from 'node:crypto';
import type { Part } from './multipart.ts';

/** The largest file kept from a mail; bigger ones are listed as refused. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 20;

const TEXT_FIELDS = [
  'headers',
  'dkim',
  'to',
  'from',
  'cc',
  'subject',
  'text',
  'html',
  'sender_ip',
  'SPF',
  'envelope',
  'charsets',
  'attachments',
  'attachment-info',
  'spam_score',
  'spam_report',
] as const;

export interface InboundFile {
  index: number;
  name: string;
  mime: string;
  bytes: Uint8Array;
}

/** What receive_inbound_email() takes. */
export interface InboundMail {
  dedupe_key: string;
  from: string;
  to: string;
  cc: string;
  subject: string;
  text: string | null;
  html: string | null;
  headers: string;
  message_id: string | null;
  /** Message-IDs to look up, In-Reply-To last (checked first). */
  references: string[];
  details: Record<string, unknown>;
  malformed?: string;
}

// deno-lint-ignore no-control-regex -- NUL and the other C0 controls cannot be stored in text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Text Postgres can store: no NUL, no lone surrogates (String.prototype.toWellFormed). */
export function storable(value: string): string {
  return value.replace(CONTROL, '').toWellFormed();
}

function decode(bytes: Uint8Array, charset: string | undefined, notes: string[], field: string): string {
  const label = (charset ?? 'utf-8').trim().toLowerCase() || 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    notes.push(`${field}: unknown charset ${label.slice(0, 40)}, read as UTF-8`);
    decoder = new TextDecoder('utf-8');
  }
  return storable(decoder.decode(bytes));
}

/** Strings made storable (no NUL, no lone surrogate: jsonb refuses both), at most 20 levels deep. */
function clean(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storable(value);
  if (depth > 20 || value === null || typeof value !== 'object') return depth > 20 ? null : value;
  if (Array.isArray(value)) return value.slice(0, 100).map((item) => clean(item, depth + 1));
  return Object.fromEntries(
    Object.entries(value)
      .slice(0, 100)
      .map(([key, item]) => [storable(key), clean(item, depth + 1)]),
  );
}

/** A JSON field (envelope, charsets, attachment-info), or its text when it is not JSON. */
function parseJson(value: string | undefined): unknown {
  if (!value) return null;
  try {
    return clean(JSON.parse(value));
  } catch {
    return value.slice(0, 2000);
  }
}

/** The unfolded value of a header in a raw header block (first occurrence), or null. */
export function headerOf(headers: string, name: string): string | null {
  const unfolded = headers.replace(/\r?\n[ \t]+/g, ' ');
  const line = unfolded.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

/** The <message ids> in a header value, without brackets (at most 50, each ≤ 998 characters). */
export function messageIds(value: string | null): string[] {
  if (!value) return [];
  return [...value.matchAll(/<([^<>\s]{1,998})>/g)].map((m) => m[1]).slice(-50);
}

/** A file name that cannot leave its folder: no separators, dot segments or control characters. */
export function safeFileName(name: string | null, index: number): string {
  // The last segment of whatever path the sender wrote; then only letters, digits, . _ - and space.
  const last =
    storable(name ?? '')
      .split(/[\\/]+/)
      .filter(Boolean)
      .pop() ?? '';
  const base = last
    .replace(/\.{2,}/g, '.')
    .replace(/[^\p{L}\p{N}._ -]+/gu, '_')
    .replace(/^\.+/, '')
    .trim()
    .slice(-120);
  return base && base !== '.' && base !== '..' ? base : `attachment-${index}`;
}

export function digestOf(...values: Array<string | Uint8Array>): string {
  const hash = createHash('sha256');
  for (const value of values) {
    hash.update(value);
    hash.update('\u0000');
  }
  return hash.digest('hex');
}

/** The mail and its files from the posted parts. */
export function inboundMailFrom(parts: Part[]): {
  mail: InboundMail;
  files: InboundFile[];
  refused: Array<Record<string, unknown>>;
} {
  const byName = new Map<string, Part>();
  for (const part of parts) if (!byName.has(part.name)) byName.set(part.name, part);
  const notes: string[] = [];
  const charsetsRaw = byName.get('charsets');
  const charsets = (parseJson(charsetsRaw ? new TextDecoder().decode(charsetsRaw.bytes) : undefined) ?? {}) as Record<
    string,
    string
  >;
  const field: Record<string, string | undefined> = {};
  for (const name of TEXT_FIELDS) {
    const part = byName.get(name);
    if (part && part.filename === null) {
      const charset = typeof charsets === 'object' && charsets ? charsets[name] : undefined;
      field[name] = decode(part.bytes, typeof charset === 'string' ? charset : undefined, notes, name);
    }
  }
  const headers = field.headers ?? '';
  const messageId = messageIds(headerOf(headers, 'Message-ID'))[0] ?? null;
  const inReplyTo = messageIds(headerOf(headers, 'In-Reply-To'));
  const references = messageIds(headerOf(headers, 'References'));

  const info = (parseJson(field['attachment-info']) ?? {}) as Record<string, { filename?: string; type?: string }>;
  const files: InboundFile[] = [];
  const refused: Array<Record<string, unknown>> = [];
  const fileParts = parts.filter((p) => p.filename !== null || /^attachment\d+$/.test(p.name));
  fileParts.forEach((part, i) => {
    const index = i + 1;
    const described = typeof info === 'object' && info ? info[part.name] : undefined;
    const name = safeFileName(part.filename ?? described?.filename ?? null, index);
    const declared = (described?.type ?? part.contentType ?? 'application/octet-stream')
      .split(';')[0]
      .trim()
      .toLowerCase();
    const mime = /^[a-z0-9.+-]+\/[a-zA-Z0-9.+-]+$/.test(declared) ? declared : 'application/octet-stream';
    if (files.length >= MAX_ATTACHMENTS) {
      refused.push({ name, size: part.bytes.length, mime, refused: `more than ${MAX_ATTACHMENTS} files` });
    } else if (part.bytes.length > MAX_ATTACHMENT_BYTES) {
      refused.push({
        name,
        size: part.bytes.length,
        mime,
        refused: `larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
      });
    } else {
      files.push({ index, name, mime, bytes: part.bytes });
    }
  });

  const mail: InboundMail = {
    dedupe_key: digestOf(
      headers,
      field.from ?? '',
      field.to ?? '',
      field.subject ?? '',
      field.text ?? '',
      field.html ?? '',
      ...fileParts.map((p) => p.bytes),
    ),
    from: field.from ?? '',
    to: field.to ?? '',
    cc: field.cc ?? '',
    subject: field.subject ?? '',
    text: field.text ?? null,
    html: field.html ?? null,
    headers,
    message_id: messageId,
    references: [...references, ...inReplyTo],
    details: {
      envelope: parseJson(field.envelope),
      charsets,
      spf: field.SPF ?? null,
      dkim: field.dkim ?? null,
      sender_ip: field.sender_ip ?? null,
      cc: field.cc ?? null,
      message_id: messageId,
      in_reply_to: inReplyTo,
      references,
      ...(notes.length ? { notes } : {}),
    },
  };
  return { mail, files, refused };
}

/** A post Cairn could not read as a form: kept with what can be said about it. */
export function malformedMail(body: Uint8Array, contentType: string | null, reason: string): InboundMail {
  const text = storable(new TextDecoder('utf-8').decode(body.subarray(0, 100_000)));
  return {
    dedupe_key: digestOf(contentType ?? '', body),
    from: '',
    to: '',
    cc: '',
    subject: '',
    text,
    html: null,
    headers: `Content-Type: ${storable(contentType ?? '(none)')}`,
    message_id: null,
    references: [],
    details: { size: body.length },
    malformed: reason,
  };
}
