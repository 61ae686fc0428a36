/**
 * send-email's database ports (./send.ts's SendEmailPorts, without the mail API): everything the
 * caller reads or writes goes through THEIR client, so RLS decides which customers, templates
 * and threads they may use; only the delivery status is written with the service role.
 */
import { type Database, type Db, likeLiteral } from '../_shared/supabase-clients.ts';
import type { AutomationPorts, FlowEmail, InDoubtFlowEmail } from './automation.ts';
import type { Customer, SendEmailPorts, TeamMember } from './send.ts';

const CUSTOMER_COLUMNS = 'id, email, first_name, last_name, full_name, company, language';

/** Postgres' insufficient_privilege: RLS (or a column grant) refused the write. */
const REFUSED = '42501';

export type SendEmailDatabase = Omit<SendEmailPorts, 'send' | 'from'>;

/** `caller`: the caller's client (user `userId`); `system`: the service-role client, made on first use. */
export function sendEmailDatabase(caller: Db, userId: string, system: () => Db): SendEmailDatabase {
  return {
    async member(): Promise<TeamMember | null> {
      const { data, error } = await caller
        .from('team_members')
        .select('user_id, email, full_name, active')
        .eq('user_id', userId)
        .maybeSingle();
      if (error) throw error;
      return data;
    },
    async customerById(id): Promise<Customer | null> {
      const { data, error } = await caller.from('customers').select(CUSTOMER_COLUMNS).eq('id', id).maybeSingle();
      if (error) throw error;
      return data;
    },
    async customerByEmail(email): Promise<Customer | null> {
      // Case-insensitive, the address matched literally.
      const { data, error } = await caller
        .from('customers')
        .select(CUSTOMER_COLUMNS)
        .ilike('email', likeLiteral(email))
        .limit(1);
      if (error) throw error;
      return data[0] ?? null;
    },
    async isSuppressed(email) {
      const { data, error } = await caller.from('email_suppressions').select('email').eq('email', email.toLowerCase());
      if (error) throw error;
      return data.length > 0;
    },
    async permission(customerId, purpose) {
      const { data, error } = await caller.rpc('email_permission', { customer_id: customerId, purpose });
      if (error) throw error;
      const [answer] = data;
      return { allowed: answer?.allowed ?? false, reason: answer?.reason ?? 'not_found' };
    },
    async render(key, language, variables) {
      const template = await caller.from('email_templates').select('id, purpose').eq('key', key).maybeSingle();
      if (template.error) throw template.error;
      if (!template.data) return null;
      const { data, error } = await caller.rpc('preview_template', {
        template_id: template.data.id,
        // null: the customer's language is unknown; the SQL function falls back to the default.
        language: language as string,
        variables: variables as Database['public']['Functions']['preview_template']['Args']['variables'],
      });
      if (error?.code === 'P0002') return null;
      if (error) throw error;
      const [rendered] = data;
      if (!rendered) return null;
      return {
        subject: rendered.subject,
        body_html: rendered.body_html,
        body_text: rendered.body_text,
        version_id: rendered.version_id,
        purpose: template.data.purpose,
      };
    },
    async threadCustomer(threadId) {
      const { data, error } = await caller
        .from('message_threads')
        .select('customer_id')
        .eq('id', threadId)
        .maybeSingle();
      if (error) throw error;
      return data?.customer_id ?? null;
    },
    async recordOutbound(customerId, threadId, message) {
      let thread = threadId;
      if (!thread) {
        thread = crypto.randomUUID();
        const opened = await caller
          .from('message_threads')
          .insert({ id: thread, customer_id: customerId, subject: message.subject });
        if (opened.error) return opened.error.code === REFUSED ? null : Promise.reject(opened.error);
      }
      const id = crypto.randomUUID();
      // customer_id is copied from the thread by the database (the caller may not write it).
      const row = {
        id,
        thread_id: thread,
        direction: 'outbound',
        from_address: message.from,
        to_address: message.to,
        subject: message.subject,
        body_text: message.text,
        body_html: message.html,
        status: 'queued',
        template_version_id: message.templateVersionId ?? null,
        attachments: (message.attachments ?? []) as Database['public']['Tables']['messages']['Insert']['attachments'],
      } as Database['public']['Tables']['messages']['Insert'];
      const written = await caller.from('messages').insert(row);
      if (written.error) {
        // 23514: an attachment outside the customer's folder (messages_attachments_are_valid).
        if (written.error.code === '23514') throw new RangeError(written.error.message);
        return written.error.code === REFUSED ? null : Promise.reject(written.error);
      }
      const token = await caller.from('message_threads').select('reply_token').eq('id', thread).single();
      if (token.error) throw token.error;
      return { id, threadId: thread, replyToken: token.data.reply_token };
    },
    async readAttachment(path) {
      // The caller's client: Storage's policies decide whether they may read the file.
      const { data, error } = await caller.storage.from('attachments').download(path);
      if (error) return null;
      return new Uint8Array(await data.arrayBuffer());
    },
    async markDelivery(messageId, result, internetMessageId) {
      // Service role: delivery status is the system's record; team members may not set it.
      const { error } = await system()
        .from('messages')
        .update(
          result.ok
            ? {
                status: 'sent',
                provider_message_id: result.messageId,
                sent_at: new Date().toISOString(),
                ...(internetMessageId ? { internet_message_id: internetMessageId } : {}),
              }
            : { status: 'failed', error: result.errors.join('; ').slice(0, 2000) },
        )
        .eq('id', messageId);
      if (error) throw error;
    },
  };
}

/**
 * The scheduled mode's ports (./automation.ts) over the service-role client: the engine's emails
 * belong to no team member, so the system leases and records them (security-definer functions
 * granted to the service role only).
 */
export function automationDatabase(system: Db): Pick<AutomationPorts, 'claim' | 'record' | 'inDoubt' | 'resolve'> {
  return {
    async claim(batchSize) {
      const { data, error } = await system.rpc('claim_flow_emails', { batch_size: batchSize, lease_seconds: 300 });
      if (error) throw error;
      return data as FlowEmail[];
    },
    async record(stepRunId, result, fromAddress) {
      const { error } = await system.rpc('record_flow_email', {
        step_run_id: stepRunId,
        sent: result.ok,
        provider_message_id: result.ok ? (result.messageId ?? undefined) : undefined,
        error: result.ok ? undefined : result.errors.join('; ').slice(0, 2000),
        from_address: fromAddress,
      });
      if (error) throw error;
    },
    async inDoubt(settleSeconds) {
      const { data, error } = await system.rpc('in_doubt_flow_emails', {
        batch_size: 100,
        settle_seconds: settleSeconds,
      });
      if (error) throw error;
      return data as InDoubtFlowEmail[];
    },
    async resolve(results, fromAddress) {
      const { error } = await system.rpc('resolve_flow_emails', { results, from_address: fromAddress });
      if (error) throw error;
    },
  };
}
