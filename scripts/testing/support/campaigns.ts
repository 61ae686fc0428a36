/**
 * Campaign fixtures for database and function tests (issue 16): readers who may get marketing
 * mail, a marketing template, and a campaign to a segment of exactly those readers, frozen by a
 * manager. Readers are made as the superuser; the segment and the campaign by the manager, as the
 * app makes them. Every name carries the caller's label, so test files never see each other's.
 */
import { adminSql } from '@cairn/local-stack/testing.ts';
import type { Cast } from './team.ts';

/**
 * `count` customers tagged with the style `label` (what the segment selects), each with marketing
 * consent and no quiet hours of their own (so the wall clock never matters); their ids and
 * addresses, by address. `zones` gives each reader's time zone in turn (UTC otherwise).
 */
export async function consentingReaders(
  label: string,
  count: number,
  options: { owner?: string; zones?: string[] } = {},
): Promise<Array<{ id: string; email: string; zone: string }>> {
  return adminSql<{ id: string; email: string; zone: string }>(
    `with added as (
       insert into public.customers (first_name, last_name, email, timezone, owner_id, style_interests)
       select 'Reader' || n, $1, lower($1) || '-' || n || '@example.test', coalesce(($3::text[])[n + 1], 'UTC'), $4, array[$1]
       from generate_series(0, $2 - 1) n returning id, email, timezone
     ),
     consent as (
       insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
       select id, 'email', 'marketing', 'granted', 'signup_form', now() - interval '1 day' from added
     ),
     quiet as (
       insert into public.alert_preferences (customer_id, quiet_hours_start, quiet_hours_end)
       select id, '00:00', '00:00' from added
     )
     select id, email, timezone as zone from added order by email`,
    [label, count, options.zones ?? [], options.owner ?? null],
  );
}

/** The template and segment of each label, made once. */
const audiences = new Map<string, { templateId: string; segmentId: string }>();

async function audience(cast: Cast, label: string, content: { subject: string; body: string }) {
  const known = audiences.get(label);
  if (known) return known;
  await adminSql(`update public.workspace_settings set postal_address = coalesce(postal_address, $1)`, [
    'Cairn Outdoor, 1 Harbour Road, Leith',
  ]);
  const [template] = await adminSql<{ id: string }>(
    `insert into public.email_templates (key, name, purpose) values ($1, $1, 'marketing') returning id`,
    [`campaign-${label}`],
  );
  await adminSql(
    `insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
     values ($1, 'en', $2, '<p>' || $3 || '</p>', $3)`,
    [template.id, content.subject, content.body],
  );
  const segment = await cast
    .client('manager')
    .from('segments')
    .insert({
      name: `Readers ${label}`,
      rules: { match: 'all', conditions: [{ field: 'style_interests', op: 'contains_any', value: [label] }] },
      shared: true,
    })
    .select('id')
    .single();
  if (segment.error) throw segment.error;
  const made = { templateId: template.id, segmentId: (segment.data as { id: string }).id };
  audiences.set(label, made);
  return made;
}

/**
 * A campaign to the readers of `label` with the given schedule, made by the manager, then sent
 * (frozen); its id. The first campaign of a label makes its marketing template (English, `content`
 * — placeholders allowed) and its segment; the shop's postal address is set if it has none
 * (campaigns refuse to send without one).
 */
export async function frozenCampaign(
  cast: Cast,
  label: string,
  schedule: { schedule: 'at'; send_at: string } | { schedule: 'local_time'; local_date: string; local_time: string },
  content: { subject: string; body: string } = { subject: 'Hello {{first_name}}', body: 'Hello {{first_name}}' },
): Promise<string> {
  const { templateId, segmentId } = await audience(cast, label, content);
  const created = await cast
    .client('manager')
    .from('campaigns')
    .insert({
      name: `Campaign ${label} ${JSON.stringify(schedule)}`,
      segment_id: segmentId,
      template_id: templateId,
      ...schedule,
    })
    .select('id')
    .single();
  if (created.error) throw created.error;
  const id = (created.data as { id: string }).id;
  const sent = await cast.client('manager').rpc('send_campaign', { campaign_id: id });
  if (sent.error) throw sent.error;
  return id;
}
