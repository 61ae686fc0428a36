/**
 * send-email's scheduled mode: the automation engine's emails (issue 16). The engine
 * (public.run_flows) writes each send_template step's message, queued, in the same transaction as
 * the step's row on the customer's path; this sends them. Emails are leased
 * (public.claim_flow_emails, skip locked) so two runs never send the same one, and each outcome is
 * recorded (public.record_flow_email) on the message and on the path. Marketing mail carries a
 * signed one-click unsubscribe (RFC 8058) for the customer's marketing consent. Free of HTTP and
 * Supabase so `deno test` drives it with fakes.
 */
import { z } from 'zod';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';

export const automationRequestSchema = z
  .object({
    source: z.literal('automation'),
    /** How many emails this run leases (default 100). */
    batch_size: z.number().int().min(1).max(500).optional(),
  })
  .strict();

export type AutomationRequest = z.infer<typeof automationRequestSchema>;

/** One leased email, as public.claim_flow_emails returns it. */
export interface FlowEmail {
  message_id: string;
  step_run_id: number;
  customer_id: string;
  to_address: string;
  subject: string;
  body_text: string | null;
  body_html: string | null;
  first_name: string | null;
  last_name: string | null;
  template_key: string | null;
  purpose: 'transactional' | 'marketing' | 'alert';
}

export interface AutomationPorts {
  claim(batchSize: number): Promise<FlowEmail[]>;
  record(stepRunId: number, result: SendResult): Promise<void>;
  send(email: OutgoingEmail): Promise<SendResult>;
  /** The signed one-click unsubscribe URL for a customer and purpose (`email:marketing`). */
  unsubscribeUrl(customerId: string, purpose: string): Promise<string>;
  from: { email: string; name: string };
}

export interface AutomationRun {
  claimed: number;
  sent: number;
  failed: number;
}

export async function sendFlowEmails(request: AutomationRequest, ports: AutomationPorts): Promise<AutomationRun> {
  const emails = await ports.claim(request.batch_size ?? 100);
  const run: AutomationRun = { claimed: emails.length, sent: 0, failed: 0 };
  for (const email of emails) {
    const name = [email.first_name, email.last_name].filter(Boolean).join(' ');
    const unsubscribe =
      email.purpose === 'transactional'
        ? undefined
        : {
            url: await ports.unsubscribeUrl(
              email.customer_id,
              email.purpose === 'alert' ? 'email:alerts' : 'email:marketing',
            ),
          };
    const result = await ports.send({
      to: name ? { email: email.to_address, name } : { email: email.to_address },
      from: ports.from,
      subject: email.subject.replace(/[\r\n]+/g, ' '),
      text: email.body_text ?? '',
      html: email.body_html ?? '',
      customArgs: { message_id: email.message_id },
      categories: ['automation', email.template_key ?? 'flow'],
      ...(unsubscribe ? { unsubscribe } : {}),
    });
    await ports.record(email.step_run_id, result);
    if (result.ok) run.sent += 1;
    else run.failed += 1;
  }
  return run;
}
