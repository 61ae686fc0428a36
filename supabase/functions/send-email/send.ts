/**
 * send-email's logic: a team member sends a template to a customer (or tests it on
 * themselves). Everything the caller reads or writes goes through ports bound to THEIR client
 * (RLS decides which customers and templates they may use, and whether they may write to the
 * customer's thread); only the delivery status is written by the system. Free of HTTP and of
 * Supabase so `deno test` drives it with fakes.
 */
import { z } from 'zod';
import type { ErrorCode } from '../_shared/errors.ts';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';
import { isHttpUrl, isUrlVariable } from '../_shared/html.ts';

const variableValue = z.union([z.string().max(5000), z.number(), z.boolean(), z.null()]);

export const sendEmailRequestSchema = z
  .object({
    template_key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a template key such as price_drop'),
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
  })
  .strict();

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
}

export interface SendEmailPorts {
  /** The caller's own team_members row, or null when they are not staff. */
  member(): Promise<TeamMember | null>;
  customerById(id: string): Promise<Customer | null>;
  customerByEmail(email: string): Promise<Customer | null>;
  isSuppressed(email: string): Promise<boolean>;
  /** public.render_template as the caller; null when the template does not exist. */
  render(key: string, language: string | null, variables: Record<string, unknown>): Promise<Rendered | null>;
  /** The customer a message thread belongs to, as the caller sees it; null when they see no such thread. */
  threadCustomer(threadId: string): Promise<string | null>;
  /** Writes the outbound message (queued) as the caller; null when RLS refuses. */
  recordOutbound(
    customerId: string,
    threadId: string | undefined,
    message: { from: string; to: string; subject: string; text: string; html: string },
  ): Promise<string | null>;
  /** Delivery status, written by the system. */
  markDelivery(messageId: string, result: SendResult): Promise<void>;
  send(email: OutgoingEmail): Promise<SendResult>;
  from: { email: string; name: string };
}

export type SendEmailOutcome =
  | { ok: true; message_id: string | null; provider_message_id: string | null; to: string }
  | { ok: false; code: ErrorCode; message: string };

const failure = (code: ErrorCode, message: string): SendEmailOutcome => ({ ok: false, code, message });

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
  if (await ports.isSuppressed(to)) {
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

  const language = request.language ?? customer?.language ?? null;
  const rendered = await ports.render(
    request.template_key,
    language,
    templateVariables(customer, to, sender, request.variables),
  );
  if (!rendered) return failure('not_found', `template_key: no template "${request.template_key}"`);

  let messageId: string | null = null;
  if (customer) {
    messageId = await ports.recordOutbound(customer.id, request.thread_id, {
      from: ports.from.email,
      to,
      subject: rendered.subject,
      text: rendered.body_text,
      html: rendered.body_html,
    });
    if (!messageId) return failure('forbidden', 'You may not write to this customer');
  }

  const result = await ports.send({
    to: customer?.full_name ? { email: to, name: customer.full_name } : { email: to },
    from: { email: ports.from.email, name: sender.full_name },
    replyTo: { email: sender.email, name: sender.full_name },
    subject: rendered.subject.replace(/[\r\n]+/g, ' '),
    text: rendered.body_text,
    html: rendered.body_html,
    customArgs: messageId ? { message_id: messageId } : { test_send: 'true' },
    categories: ['team', request.template_key],
  });
  if (messageId) await ports.markDelivery(messageId, result);
  if (!result.ok) return failure('upstream_error', `The mail API refused the email: ${result.errors.join('; ')}`);
  return { ok: true, message_id: messageId, provider_message_id: result.messageId, to };
}
