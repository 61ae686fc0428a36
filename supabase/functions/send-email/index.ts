// send-email: a team member sends a template to a customer (or a test send to themselves).
// Wiring only: CORS → method → caller's JWT → body → handler. Alerts do not come through here:
// check-alerts builds them with the same shared modules (_shared/alert-email.ts, sendgrid.ts).
import { preflight } from '../_shared/cors.ts';
import { fail, readJsonBody } from '../_shared/errors.ts';
import { jsonResponse } from '../_shared/http.ts';
import { sendEmail, sendGridOptionsFromEnv } from '../_shared/sendgrid.ts';
import { callerClient, jwtRole, serviceClient } from '../_shared/supabase-clients.ts';
import { type Customer, sendEmailRequestSchema, sendTemplatedEmail, type TeamMember } from './send.ts';

const CUSTOMER_COLUMNS = 'id, email, first_name, last_name, full_name, company, language';

function subjectOf(authorization: string): string | null {
  const payload = authorization.split('.')[1];
  try {
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : null;
  } catch {
    return null;
  }
}

Deno.serve(async (req) => {
  const cors = preflight(req);
  if (cors) return cors;
  if (req.method !== 'POST') return fail('method_not_allowed', 'Use POST');
  const authorization = req.headers.get('Authorization') ?? '';
  const userId = jwtRole(authorization) === 'authenticated' ? subjectOf(authorization) : null;
  if (!userId) return fail('forbidden', 'Sign in as a team member to send emails');

  const body = await readJsonBody(req, sendEmailRequestSchema, 64 * 1024);
  if (!body.ok) return body.response;

  // The caller's client: RLS decides which customers, templates and threads they may use.
  const db = callerClient(authorization);
  try {
    const outcome = await sendTemplatedEmail(body.value, {
      from: { email: Deno.env.get('TEAM_FROM_EMAIL') || 'team@cairn.example', name: 'Cairn' },
      async member() {
        const { data, error } = await db
          .from('team_members')
          .select('user_id, email, full_name, active')
          .eq('user_id', userId)
          .maybeSingle();
        if (error) throw error;
        return data as TeamMember | null;
      },
      async customerById(id) {
        const { data, error } = await db.from('customers').select(CUSTOMER_COLUMNS).eq('id', id).maybeSingle();
        if (error) throw error;
        return data as Customer | null;
      },
      async customerByEmail(email) {
        const pattern = email.replace(/[\\%_]/g, '\\$&');
        const { data, error } = await db.from('customers').select(CUSTOMER_COLUMNS).ilike('email', pattern).limit(1);
        if (error) throw error;
        return ((data as Customer[])[0] ?? null) as Customer | null;
      },
      async isSuppressed(email) {
        const { data, error } = await db.from('email_suppressions').select('email').eq('email', email.toLowerCase());
        if (error) throw error;
        return (data as unknown[]).length > 0;
      },
      async render(key, language, variables) {
        const { data, error } = await db.rpc('render_template', { template_key: key, language, variables });
        if (error?.code === 'P0002') return null;
        if (error) throw error;
        return (data as Array<{ subject: string; body_html: string; body_text: string }>)[0] ?? null;
      },
      async threadCustomer(threadId) {
        const { data, error } = await db.from('message_threads').select('customer_id').eq('id', threadId).maybeSingle();
        if (error) throw error;
        return (data as { customer_id: string } | null)?.customer_id ?? null;
      },
      async recordOutbound(customerId, threadId, message) {
        let thread = threadId;
        if (!thread) {
          thread = crypto.randomUUID();
          const opened = await db
            .from('message_threads')
            .insert({ id: thread, customer_id: customerId, subject: message.subject });
          if (opened.error) return opened.error.code === '42501' ? null : Promise.reject(opened.error);
        }
        const id = crypto.randomUUID();
        const written = await db.from('messages').insert({
          id,
          thread_id: thread,
          direction: 'outbound',
          from_address: message.from,
          to_address: message.to,
          subject: message.subject,
          body_text: message.text,
          body_html: message.html,
          status: 'queued',
        });
        if (written.error) return written.error.code === '42501' ? null : Promise.reject(written.error);
        return id;
      },
      async markDelivery(messageId, result) {
        // Service role: delivery status is the system's record; team members may not set it.
        const { error } = await serviceClient()
          .from('messages')
          .update(
            result.ok
              ? { status: 'sent', provider_message_id: result.messageId, sent_at: new Date().toISOString() }
              : { status: 'failed', error: result.errors.join('; ').slice(0, 2000) },
          )
          .eq('id', messageId);
        if (error) throw error;
      },
      send: (email) => sendEmail(email, sendGridOptionsFromEnv()),
    });
    return outcome.ok ? jsonResponse(outcome) : fail(outcome.code, outcome.message);
  } catch (error) {
    console.error('send-email failed', error);
    return fail('internal_error', 'Could not send the email');
  }
});
