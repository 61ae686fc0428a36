/**
 * check-alerts' database calls, all with the service-role client: the engine acts for every
 * shopper and writes alert_log, which only the system may write; the SQL functions it calls
 * are granted to the service role alone.
 */
import type { Database, Db } from '../_shared/supabase-clients.ts';
import type { ClaimedAlert, TemplateVariantRow } from './alert-email.ts';
import type { AlertStore } from './check.ts';

/** Every alert template variant, and the workspace's default language. */
export async function alertTemplates(db: Db): Promise<{ rows: TemplateVariantRow[]; defaultLanguage: string }> {
  const [templates, settings] = await Promise.all([
    db.from('email_template_variants').select('language, subject, body_text, body_html, email_templates!inner(key)'),
    db.from('workspace_settings').select('default_language').single(),
  ]);
  if (templates.error) throw templates.error;
  if (settings.error) throw settings.error;
  const rows = templates.data.map(({ email_templates, ...variant }) => ({ ...variant, key: email_templates.key }));
  return { rows, defaultLanguage: settings.data.default_language };
}

export function alertStore(db: Db): AlertStore {
  return {
    async runCheck(now, maxEvents) {
      const { data, error } = await db.rpc('run_alert_check', { max_events: maxEvents, ...(now ? { now } : {}) });
      if (error) throw error;
      return data[0];
    },
    async claim(batchSize, now) {
      const { data, error } = await db.rpc('claim_due_alerts', { batch_size: batchSize, ...(now ? { now } : {}) });
      if (error) throw error;
      // The SQL function's row type; kind is one of the alert kinds its check constraint allows.
      return data as ClaimedAlert[];
    },
    async record(outcomes, now) {
      const results = outcomes as unknown as Database['public']['Functions']['record_alert_sends']['Args']['results'];
      const { error } = await db.rpc('record_alert_sends', { results, ...(now ? { now } : {}) });
      if (error) throw error;
    },
  };
}
