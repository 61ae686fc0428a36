/**
 * send-email's logic: a team member sends a template or a message of their own to a customer (or
 * tests a template on themselves). Everything the caller reads or writes goes through ports bound to THEIR client
 * (RLS decides which customers and templates they may use, and whether they may write to the
 * customer's thread); only the delivery status is written by the system. Free of HTTP and of
 * Supabase so `deno test` drives it with fakes.
 */
import { z } from 'zod';
import type { ErrorCode } from '../_shared/errors.ts';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';
import { toBase64 } from '../_shared/bytes.ts';
import { escapeHtml, isHttpUrl, isUrlVariable } from '../_shared/html.ts';

const variableValue = z.union([z.string().max(5000), z.number(), z.boolean(), z.null()]);

export const sendEmailRequestSchema = z
  .object({
    /** A template (its purpose decides the consent the send needs)… */
    template_key: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a template key such as price_drop')
      .optional(),
    /** …or a message written by hand: always transactional (a reply, an answer). */
    message: z
      .object({
        subject: z.string().trim().min(1).max(300),
        body: z.string().trim().min(1).max(50_000),
      })
      .strict()
      .optional(),
    to: z.union([z.object({ customer_id: z.uuid() }).strict(), z.object({ email: z.email().max(320) }).strict()]),
    variables: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,59}$/), variableValue)
      .superRefine((variables, context) => {
        // Links (`*_url`) must be http(s): a `javascript:` href survives HTML escaping (L-13).
        for (const [name, value] of Object.entries(variables)) {
          if (!isUrlVariable(name) || value === null || value === '') continue;
          if (typeof value !== 'string' || !isHttpUrl(value)) {
            context.addIssue({ code: 'custom', path: [name], message: 'only http:// or https:// URLs are accepted' });
          }
        }
      })
      .optional(),
    /** ISO 639-1; defaults to the customer's language, then the workspace default. */
    language: z
      .string()
      .regex(/^[a-z]{2}$/)
      .optional(),
    /** Continue this thread instead of opening a new one. */
    thread_id: z.uuid().optional(),
    /** Files already uploaded to the attachments bucket, under the customer's folder. */
    attachments: z
      .array(
        z
          .object({
            path: z.string().min(1).max(1024),
            name: z.string().min(1).max(255),
            size: z.number().int().min(0),
            mime: z.string().regex(/^[a-z0-9.+-]+\/[a-zA-Z0-9.+-]+$/),
          })
          .strict(),
      )
      .max(20)
      .optional(),
  })
  .strict()
  .refine((body) => (body.template_key === undefined) !== (body.message === undefined), {
    message: 'give either template_key or message (subject and body), not both',
    path: ['template_key'],
  });

export type SendEmailRequest = z.infer<typeof sendEmailRequestSchema>;

export interface TeamMember {
  user_id: string;
  email: string;
  full_name: string;
  active: boolean;
}

export interface Customer {
  id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  full_name: string | null;
  company: string | null;
  language: string | null;
}

export interface Rendered {
  subject: string;
  body_html: string;
  body_text: string;
  /** The template version rendered (null for a message written by hand). */
  version_id?: string | null;
  purpose?: EmailPurpose;
}

export type EmailPurpose = 'transactional' | 'marketing' | 'alert';

/** public.email_permission: whether the customer may be emailed for a purpose, and why not. */
export interface Permission {
  allowed: boolean;
  reason: string | null;
}

export interface Recorded {
  id: string;
  threadId: string;
  /** The thread's secret reply token (reply+<token>@<inbound domain>). */
  replyToken: string;
}

/** Why a send was refused, in words a team member understands (the message keeps it). */
export const REFUSAL: Record<string, string> = {
  no_email: 'the customer has no email address',
  suppressed: 'this address bounced or reported spam before; it is on the suppression list',
  no_marketing_consent: 'the customer has not agreed to marketing email (or withdrew it)',
  no_alert_consent: 'the customer has not agreed to alert emails (or withdrew it)',
  not_found: 'no such customer that you may see',
};

export interface SendEmailPorts {
  /** The caller's own team_members row, or null when they are not staff. */
  member(): Promise<TeamMember | null>;
  customerById(id: string): Promise<Customer | null>;
  customerByEmail(email: string): Promise<Customer | null>;
  isSuppressed(email: string): Promise<boolean>;
  /** public.email_permission as the caller. */
  permission(customerId: string, purpose: EmailPurpose): Promise<Permission>;
  /** The template rendered as the caller (public.preview_template); null when it does not exist. */
  render(key: string, language: string | null, variables: Record<string, unknown>): Promise<Rendered | null>;
  /** The customer a message thread belongs to, as the caller sees it; null when they see no such thread. */
  threadCustomer(threadId: string): Promise<string | null>;
  /** Writes the outbound message (queued) as the caller; null when RLS refuses. */
  recordOutbound(
    customerId: string,
    threadId: string | undefined,
    message: {
      from: string;
      to: string;
      subject: string;
      text: string;
      html: string;
      templateVersionId?: string | null;
      attachments?: SendEmailRequest['attachments'];
    },
  ): Promise<Recorded | null>;
  /** A file of the customer's folder as the caller may read it (Storage RLS); null when they may not. */
  readAttachment(path: string): Promise<Uint8Array | null>;
  /** Delivery status (and our Message-ID once sent), written by the system. */
  markDelivery(messageId: string, result: SendResult, internetMessageId?: string): Promise<void>;
  send(email: OutgoingEmail): Promise<SendResult>;
  from: { email: string; name: string };
  /**
   * The domain SendGrid Inbound Parse receives (INBOUND_EMAIL_DOMAIN): replies go to
   * reply+<thread token>@ it. Unset: replies go to the sender's own address.
   */
  replyDomain?: string;
}

export type SendEmailOutcome =
  | { ok: true; message_id: string | null; provider_message_id: string | null; to: string; thread_id: string | null }
  | { ok: false; code: ErrorCode; message: string };

const failure = (code: ErrorCode, message: string): SendEmailOutcome => ({ ok: false, code, message });

/** What the files of one email may weigh together (SendGrid takes 30 MB a message, encoded). */
export const MAX_ATTACHMENT_TOTAL = 20 * 1024 * 1024;

/** The variables every template gets from the customer and the sender; the request's own win. */
export function templateVariables(
  customer: Customer | null,
  email: string,
  sender: TeamMember,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    first_name: customer?.first_name ?? '',
    last_name: customer?.last_name ?? '',
    full_name: customer?.full_name ?? '',
    company: customer?.company ?? '',
    email,
    agent_name: sender.full_name,
    ...extra,
  };
}

/** A message written by hand as text and as simple HTML (paragraphs and line breaks, escaped). */
export function freeTextMessage(subject: string, body: string): Rendered {
  const paragraphs = body
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`);
  return { subject, body_text: body, body_html: paragraphs.join('\n'), version_id: null, purpose: 'transactional' };
}

export async function sendTemplatedEmail(request: SendEmailRequest, ports: SendEmailPorts): Promise<SendEmailOutcome> {
  const sender = await ports.member();
  if (!sender || !sender.active) return failure('forbidden', 'Only active team members may send emails');

  let customer: Customer | null;
  if ('customer_id' in request.to) {
    customer = await ports.customerById(request.to.customer_id);
    if (!customer) return failure('not_found', 'to.customer_id: no such customer that you may see');
  } else {
    customer = await ports.customerByEmail(request.to.email);
    // Without a customer record, only a test send to oneself: the function is no open relay.
    if (!customer && request.to.email.toLowerCase() !== sender.email.toLowerCase()) {
      return failure(
        'not_found',
        'to.email: no customer with this address that you may see (test sends go to your own address)',
      );
    }
  }
  const to = customer?.email ?? ('email' in request.to ? request.to.email : null);
  if (!to) return failure('invalid_request', 'to.customer_id: the customer has no email address');
  if (!customer && (await ports.isSuppressed(to))) {
    return failure('conflict', 'to: this address bounced or reported spam; it is on the suppression list');
  }

  // A message is filed in the thread it names, and the thread decides whose record it joins:
  // another customer's thread would show this recipient's address and mail to that customer's
  // owner (review L-3). RLS lets a manager write to both, so the match is checked here.
  if (customer && request.thread_id) {
    const threadCustomer = await ports.threadCustomer(request.thread_id);
    if (!threadCustomer) return failure('not_found', 'thread_id: no such thread that you may see');
    if (threadCustomer !== customer.id) {
      return failure(
        'invalid_request',
        "thread_id: the thread belongs to another customer; use one of the recipient's threads or leave thread_id out",
      );
    }
  }
  if (
    request.attachments?.length &&
    (!customer || request.attachments.some((f) => !f.path.startsWith(`${customer.id}/`)))
  ) {
    return failure('invalid_request', "attachments: files must be uploaded under the customer's folder");
  }

  const language = request.language ?? customer?.language ?? null;
  let rendered: Rendered | null;
  if (request.message) {
    rendered = freeTextMessage(request.message.subject, request.message.body);
  } else {
    rendered = await ports.render(
      request.template_key ?? '',
      language,
      templateVariables(customer, to, sender, request.variables),
    );
    if (!rendered) return failure('not_found', `template_key: no template "${request.template_key}"`);
  }

  // The files, read as the caller (Storage RLS): one they may not read is no attachment.
  const files: Array<{ content: string; filename: string; type: string }> = [];
  let total = 0;
  for (const file of request.attachments ?? []) {
    const bytes = await ports.readAttachment(file.path);
    if (!bytes) return failure('not_found', `attachments: no file ${file.name} that you may read`);
    total += bytes.length;
    if (total > MAX_ATTACHMENT_TOTAL) {
      return failure('payload_too_large', `attachments: together larger than ${MAX_ATTACHMENT_TOTAL / 1024 / 1024} MB`);
    }
    files.push({ content: toBase64(bytes), filename: file.name.replace(/[\r\n"\\/]+/g, '_'), type: file.mime });
  }

  let recorded: Recorded | null = null;
  if (customer) {
    recorded = await ports.recordOutbound(customer.id, request.thread_id, {
      from: ports.from.email,
      to,
      subject: rendered.subject,
      text: rendered.body_text,
      html: rendered.body_html,
      templateVersionId: rendered.version_id ?? null,
      attachments: request.attachments,
    });
    if (!recorded) return failure('forbidden', 'You may not write to this customer');

    // The rule (public.email_permission): transactional needs no consent, marketing and alerts
    // do, a suppressed address gets nothing. A refused message stays in the thread, failed with
    // the reason, so the writer can change it and send it again.
    const permission = await ports.permission(customer.id, rendered.purpose ?? 'transactional');
    if (!permission.allowed) {
      const reason = REFUSAL[permission.reason ?? ''] ?? permission.reason ?? 'not allowed';
      await ports.markDelivery(recorded.id, {
        ok: false,
        status: null,
        errors: [`Not sent: ${reason}`],
        attempts: 0,
        retryable: false,
      });
      return failure('conflict', `Not sent, kept as a draft: ${reason}`);
    }
  }

  const domain = ports.replyDomain || ports.from.email.split('@')[1];
  const internetMessageId = recorded ? `${recorded.id}@${domain}` : undefined;
  const result = await ports.send({
    to: customer?.full_name ? { email: to, name: customer.full_name } : { email: to },
    from: { email: ports.from.email, name: sender.full_name },
    replyTo:
      recorded && ports.replyDomain
        ? { email: `reply+${recorded.replyToken}@${ports.replyDomain}`, name: sender.full_name }
        : { email: sender.email, name: sender.full_name },
    subject: rendered.subject.replace(/[\r\n]+/g, ' '),
    text: rendered.body_text,
    html: rendered.body_html,
    customArgs: recorded ? { message_id: recorded.id } : { test_send: 'true' },
    categories: ['team', request.template_key ?? 'message'],
    ...(internetMessageId ? { headers: { 'Message-ID': `<${internetMessageId}>` } } : {}),
    ...(files.length ? { attachments: files } : {}),
  });
  if (recorded) await ports.markDelivery(recorded.id, result, internetMessageId);
  if (!result.ok) {
    return failure('upstream_error', `The mail API refused the email, kept as a draft: ${result.errors.join('; ')}`);
  }
  return {
    ok: true,
    message_id: recorded?.id ?? null,
    provider_message_id: result.messageId,
    to,
    thread_id: recorded?.threadId ?? null,
  };
}
