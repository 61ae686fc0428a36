/**
 * send-email's scheduled mode: the automation engine's emails (issue 16). The engine
 * (public.run_flows) writes each send_template step's message, queued, in the same transaction as
 * the step's row on the customer's path; this sends them. Emails are leased
 * (public.claim_flow_emails, skip locked) so two runs never send the same one, and each outcome is
 * recorded (public.record_flow_email) on the message and on the path, with the address it was
 * sent from. Exactly once at SendGrid, as campaigns do it: each email carries its idempotency key
 * as the custom arg `cairn_send`; an email whose run died after SendGrid may have accepted it is
 * `in_doubt` in the database and is looked up in SendGrid's Email Activity first thing in every
 * run (../_shared/sendgrid-activity.ts) — found: sent; not found: queued again — never resent
 * blindly. Marketing mail carries a signed one-click unsubscribe (RFC 8058) for the customer's
 * marketing consent. Free of HTTP and Supabase so `deno test` drives it with fakes.
 */
import { z } from 'zod';
import type { OutgoingEmail, SendResult } from '../_shared/sendgrid.ts';
import { type Lookup, SEND_KEY_ARG } from '../_shared/sendgrid-activity.ts';

export const automationRequestSchema = z
  .object({
    source: z.literal('automation'),
    /** How many emails this run leases (default 100). */
    batch_size: z.number().int().min(1).max(500).optional(),
    /** Seconds after a lease ran out before an in-doubt email is looked up (service role only; default 120). */
    settle_seconds: z.number().int().min(0).max(3600).optional(),
    /** Test hook (service role only): stop after handing this many emails to SendGrid without recording them. */
    die_after: z.number().int().min(0).max(500).optional(),
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
  /** The idempotency key (flow:<message id>), sent as the custom arg cairn_send. */
  send_key: string;
}

export interface InDoubtFlowEmail {
  step_run_id: number;
  send_key: string;
}

export interface AutomationPorts {
  claim(batchSize: number): Promise<FlowEmail[]>;
  /** Records the outcome and the address the email went from. */
  record(stepRunId: number, result: SendResult, fromAddress: string): Promise<void>;
  /** Emails a dead run left in doubt, once their lease ended settleSeconds ago. */
  inDoubt(settleSeconds: number): Promise<InDoubtFlowEmail[]>;
  /** Settles looked-up emails; a settled message gets the sender's address. */
  resolve(
    results: Array<{ id: number; found: Lookup['found']; message_id: string | null }>,
    fromAddress: string,
  ): Promise<void>;
  /** SendGrid's Email Activity, searched by the custom arg cairn_send. */
  lookup(sendKey: string): Promise<Lookup>;
  send(email: OutgoingEmail): Promise<SendResult>;
  /** The signed one-click unsubscribe URL for a customer and purpose (`email:marketing`). */
  unsubscribeUrl(customerId: string, purpose: string): Promise<string>;
  from: { email: string; name: string };
}

export interface AutomationRun {
  resolved: number;
  claimed: number;
  sent: number;
  failed: number;
  died: boolean;
}

export async function sendFlowEmails(request: AutomationRequest, ports: AutomationPorts): Promise<AutomationRun> {
  const run: AutomationRun = { resolved: 0, claimed: 0, sent: 0, failed: 0, died: false };

  // 1. What a dead run left in doubt: looked up by its key, never resent blindly.
  const doubtful = await ports.inDoubt(request.settle_seconds ?? 120);
  if (doubtful.length) {
    const answers = [];
    for (const email of doubtful) {
      const found = await ports.lookup(email.send_key);
      answers.push({
        id: email.step_run_id,
        found: found.found,
        message_id: found.found === 'yes' ? found.messageId : null,
      });
    }
    await ports.resolve(answers, ports.from.email);
    run.resolved = answers.filter((answer) => answer.found !== 'unknown').length;
  }

  // 2. The queued emails.
  const emails = await ports.claim(request.batch_size ?? 100);
  run.claimed = emails.length;
  let handed = 0;
  for (const email of emails) {
    if (request.die_after !== undefined && handed >= request.die_after) {
      // The test hook: the runtime "dies" here — what it handed to SendGrid is never recorded.
      run.died = true;
      break;
    }
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
    handed += 1;
    const result = await ports.send({
      to: name ? { email: email.to_address, name } : { email: email.to_address },
      from: ports.from,
      subject: email.subject.replace(/[\r\n]+/g, ' '),
      text: email.body_text ?? '',
      html: email.body_html ?? '',
      // cairn_send: SendGrid echoes it on every event and finds the email in Email Activity.
      customArgs: { [SEND_KEY_ARG]: email.send_key, message_id: email.message_id },
      categories: ['automation', email.template_key ?? 'flow'],
      ...(unsubscribe ? { unsubscribe } : {}),
    });
    if (request.die_after !== undefined && handed >= request.die_after) {
      run.died = true;
      break;
    }
    await ports.record(email.step_run_id, result, ports.from.email);
    if (result.ok) run.sent += 1;
    else run.failed += 1;
  }
  return run;
}
