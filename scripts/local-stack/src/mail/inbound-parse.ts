/**
 * SendGrid Inbound Parse, locally: the mail catcher's "reply" posts a reply to the project's
 * parse URL exactly as SendGrid does (multipart/form-data: headers, dkim, to, from, cc, subject,
 * text, html, sender_ip, SPF, envelope, charsets, attachments, attachment-info, attachmentN
 * files), so the whole loop — an email out, an answer back — runs on one machine.
 *
 * The parse URL of a hosted project carries a secret (SendGrid signs nothing). Locally the secret
 * is well known, like the CLI's demo keys: functions get it as `INBOUND_PARSE_SECRET`, and the
 * domain replies are addressed to as `INBOUND_EMAIL_DOMAIN` (`supabase/functions/.env` overrides
 * both). The function the catcher posts to is `inbound-email` unless CAIRN_INBOUND_PARSE_URL
 * names another URL.
 */
import { randomBytes } from 'node:crypto';
import type { StoredMail } from './store.ts';

export const LOCAL_INBOUND_PARSE_SECRET = 'cairn-local-inbound-parse-secret-not-for-production-0001';
export const LOCAL_INBOUND_EMAIL_DOMAIN = 'inbound.cairn.localhost';

/** Where the catcher posts replies: the inbound-email function of this stack, with the secret. */
export function inboundParseUrl(apiUrl: string): string {
  const configured = process.env.CAIRN_INBOUND_PARSE_URL;
  if (configured) return configured;
  return `${apiUrl}/functions/v1/inbound-email?key=${encodeURIComponent(LOCAL_INBOUND_PARSE_SECRET)}`;
}

export interface ReplyRequest {
  /** The reply's plain text (required) and optional HTML. */
  text: string;
  html?: string;
  /** Who answers: the original recipient unless given. */
  from?: string;
  /** Files to attach: name, MIME type, base64 content. */
  attachments?: Array<{ name: string; type?: string; content: string }>;
}

const addressList = (list: Array<{ email: string; name?: string }>) =>
  list.map((a) => (a.name ? `"${a.name.replace(/["\\\r\n]/g, ' ')}" <${a.email}>` : a.email)).join(', ');

const headerValue = (value: string) => value.replace(/[\r\n]+/g, ' ');

/**
 * The multipart form SendGrid Inbound Parse would post for a reply to `original` (its default,
 * "parsed" mode; not the raw MIME). The reply goes to the original's Reply-To, else its sender.
 */
export function inboundParseForm(original: StoredMail, reply: ReplyRequest): FormData {
  const recipient = original.replyTo ?? original.from;
  const from = reply.from ?? original.to[0]?.email ?? 'customer@example.test';
  const subject = /^re:/i.test(original.subject) ? original.subject : `Re: ${original.subject}`;
  const originalId = original.headers?.['Message-ID'] ?? `<${original.messageId}@mail.cairn.localhost>`;
  const messageId = `<${randomBytes(12).toString('hex')}@mail.example.test>`;
  const headers = [
    `Received: from mail.example.test (mail.example.test [127.0.0.1]) by mx.sendgrid.net`,
    `From: ${headerValue(from)}`,
    `To: ${headerValue(addressList([recipient]))}`,
    `Subject: ${headerValue(subject)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${messageId}`,
    `In-Reply-To: ${headerValue(originalId)}`,
    `References: ${headerValue(originalId)}`,
    `MIME-Version: 1.0`,
  ].join('\n');
  const files = reply.attachments ?? [];
  const form = new FormData();
  form.set('headers', `${headers}\n`);
  form.set('dkim', '{@example.test : pass}');
  form.set('to', addressList([recipient]));
  form.set('from', from);
  form.set('subject', subject);
  form.set('text', reply.text);
  if (reply.html) form.set('html', reply.html);
  form.set('sender_ip', '127.0.0.1');
  form.set('SPF', 'pass');
  form.set('envelope', JSON.stringify({ to: [recipient.email], from: from.replace(/^.*<|>.*$/g, '') }));
  form.set(
    'charsets',
    JSON.stringify({
      to: 'UTF-8',
      from: 'UTF-8',
      subject: 'UTF-8',
      text: 'UTF-8',
      ...(reply.html ? { html: 'UTF-8' } : {}),
    }),
  );
  form.set('attachments', String(files.length));
  if (files.length) {
    const info: Record<string, { filename: string; name: string; type: string }> = {};
    files.forEach((file, i) => {
      const type = file.type ?? 'application/octet-stream';
      info[`attachment${i + 1}`] = { filename: file.name, name: file.name, type };
      form.set(`attachment${i + 1}`, new Blob([Buffer.from(file.content, 'base64')], { type }), file.name);
    });
    form.set('attachment-info', JSON.stringify(info));
  }
  return form;
}
