-- Campaigns (issue 16): the campaign page plans its recipients once.
--
-- Why: a draft's page asked for the pre-send summary (public.campaign_summary →
-- private.summarise_plan) and for the recipients whose variables would be empty
-- (public.campaign_empty_variable_recipients → private.empty_variable_recipients); each ran
-- private.plan_campaign over the whole audience — consent, suppressions, quiet hours and the cap
-- for every recipient, twice per page load.
--
-- Owns private.summarise_plan (restated whole from 20261208100000; same signature, grants and
-- callers — public.campaign_summary). Changed: the summary also carries `empty_recipients`, the
-- list campaign_empty_variable_recipients returns with its default of 50 rows ({total,
-- recipients: [{customer_id, name, email, empty_variables, excluded}]}, by name), from the same
-- plan (a materialized CTE: computed once). Nothing else changed.
-- public.campaign_empty_variable_recipients stays for callers that want more rows.

create or replace function private.summarise_plan(campaign_id uuid, members uuid[], at timestamptz) returns jsonb
language sql stable security definer set search_path = '' as $$
  with visible as (
    -- Only customers the caller may see count, however the list was made.
    select array_agg(m) as ids from unnest(members) m
    where (select private.sees_all_customers()) or m in (select private.owned_customer_ids())
  ),
  plan as materialized (select p.* from visible, private.plan_campaign(campaign_id, coalesce(visible.ids, '{}'), at) p),
  c as (select * from public.campaigns k where k.id = summarise_plan.campaign_id),
  wanted as (
    select coalesce(cu.language, (select s.default_language from public.workspace_settings s)) as asked, p.language as used
    from plan p join public.customers cu on cu.id = p.customer_id
  ),
  -- As private.empty_variable_recipients lists them: who would get it (or is excluded for that
  -- alone) with a variable still empty after the fallbacks.
  emptied as (
    select p.* from plan p
    where cardinality(p.empty_variables) > 0 and (p.verdict <> 'exclude' or p.reason = 'empty_variables')
  ),
  listed as (
    select e.customer_id, e.email, e.empty_variables, e.verdict,
           coalesce(nullif(btrim(cu.full_name), ''), e.email, cu.id::text) as name
    from emptied e join public.customers cu on cu.id = e.customer_id
    order by 5, e.customer_id
    limit 50
  )
  select jsonb_build_object(
    'recipients', (select count(*) from plan),
    'sendable', (select count(*) from plan where verdict = 'send'),
    'deferred', (select count(*) from plan where verdict = 'defer'),
    'excluded', (select count(*) from plan where verdict = 'exclude'),
    'reasons', coalesce((select jsonb_object_agg(reason, n) from (
        select reason, count(*) as n from plan where reason is not null group by reason) r), '{}'),
    'languages', coalesce((select jsonb_agg(jsonb_build_object('language', asked, 'recipients', n, 'variant', used,
                                                               'missing', used is distinct from asked) order by n desc, asked)
        from (select asked, used, count(*) as n from wanted group by asked, used) l), '[]'),
    'missing_variants', coalesce((select jsonb_agg(distinct asked order by asked) from wanted where used is distinct from asked), '[]'),
    'empty_variables', coalesce((select jsonb_object_agg(name, n) from (
        select e as name, count(*) as n from plan, unnest(empty_variables) e group by e) v), '{}'),
    'empty_recipients', jsonb_build_object(
      'total', (select count(*) from emptied),
      'recipients', coalesce((select jsonb_agg(jsonb_build_object(
          'customer_id', l.customer_id, 'name', l.name, 'email', l.email,
          'empty_variables', to_jsonb(l.empty_variables), 'excluded', l.verdict = 'exclude') order by l.name, l.customer_id)
        from listed l), '[]')),
    'first_send_at', (select min(not_before) from plan where verdict <> 'exclude'),
    'last_send_at', (select max(not_before) from plan where verdict <> 'exclude'),
    'postal_address_set', (select s.postal_address is not null from public.workspace_settings s),
    'status', (select status from c)
  )
$$;
comment on function private.summarise_plan(uuid, uuid[], timestamptz) is 'The pre-send summary of plan_campaign over the members the caller may see: counts, reasons, languages and missing variants, empty variables and the first 50 recipients with one (empty_recipients, as campaign_empty_variable_recipients lists them), the send window. One plan for all of it.';
revoke execute on function private.summarise_plan(uuid, uuid[], timestamptz) from public, anon;
grant execute on function private.summarise_plan(uuid, uuid[], timestamptz) to authenticated, service_role;

comment on function public.campaign_summary(uuid, timestamptz) is 'Before sending: how many the campaign would reach, who is excluded and why (no_email, blocked, bounced, complained, unsubscribed, no_marketing_consent, missing_variant, empty_variables), who is deferred (quiet_hours, daily_cap), languages and missing variants, variables that would render empty and the first 50 recipients with one (empty_recipients: {total, recipients}). The audience as the caller sees it, planned once. Team members.';
