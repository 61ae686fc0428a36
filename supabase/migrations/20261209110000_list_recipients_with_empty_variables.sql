-- Campaigns (issue 16, "recipients whose template variables would be empty are listed before
-- sending"): the pre-send list of those recipients, so the sender can decide.
--
-- Owns:
--   * private.empty_variable_recipients(campaign, members, at, max_rows): of `members` the caller
--     may see, those who would get the campaign (or are excluded only because a variable would be
--     empty) with the variables that would still render empty after the campaign's fallbacks;
--   * public.campaign_empty_variable_recipients(campaign, at, max_rows): that list for a campaign —
--     the audience as the caller sees it for a draft, the frozen audience once sent.
-- The sender's choice is the campaign's existing `skip_empty_variables` (false: send anyway, with
-- the fallbacks in `variables`; true: exclude them, reason empty_variables), which
-- private.plan_campaign — and so send_campaign's freeze — already honours; nothing on the sending
-- path changes here.

create function private.empty_variable_recipients(campaign_id uuid, members uuid[], at timestamptz, max_rows integer)
returns jsonb
language sql stable security definer set search_path = '' as $$
  with visible as (
    -- Only customers the caller may see, however the list was made.
    select array_agg(m) as ids from unnest(members) m
    where (select private.sees_all_customers()) or m in (select private.owned_customer_ids())
  ),
  plan as (
    select p.* from visible, private.plan_campaign(campaign_id, coalesce(visible.ids, '{}'), at) p
    where cardinality(p.empty_variables) > 0 and (p.verdict <> 'exclude' or p.reason = 'empty_variables')
  ),
  listed as (
    select p.customer_id, p.email, p.empty_variables, p.verdict,
           coalesce(nullif(btrim(c.full_name), ''), p.email, c.id::text) as name
    from plan p join public.customers c on c.id = p.customer_id
    order by 5, p.customer_id
    limit max_rows
  )
  select jsonb_build_object(
    'total', (select count(*) from plan),
    'recipients', coalesce((select jsonb_agg(jsonb_build_object(
        'customer_id', l.customer_id, 'name', l.name, 'email', l.email,
        'empty_variables', to_jsonb(l.empty_variables), 'excluded', l.verdict = 'exclude') order by l.name, l.customer_id)
      from listed l), '[]'))
$$;
comment on function private.empty_variable_recipients(uuid, uuid[], timestamptz, integer) is 'Of `members` the caller may see: who would get the campaign with a template variable still empty after its fallbacks (or is excluded for that alone), with those variables; at most max_rows, by name, and the total.';
revoke execute on function private.empty_variable_recipients(uuid, uuid[], timestamptz, integer) from public, anon;
grant execute on function private.empty_variable_recipients(uuid, uuid[], timestamptz, integer) to authenticated, service_role;

create function public.campaign_empty_variable_recipients(campaign_id uuid, at timestamptz default now(), max_rows integer default 50)
returns jsonb
language plpgsql stable security invoker set search_path = '' as $$
declare
  campaign public.campaigns;
begin
  if not (select private.is_team_member()) then
    raise exception 'only team members read campaign recipients' using errcode = '42501';
  end if;
  if max_rows is null or max_rows not between 1 and 500 then
    raise exception 'max_rows must be between 1 and 500' using errcode = '22023';
  end if;
  select * into campaign from public.campaigns k where k.id = campaign_empty_variable_recipients.campaign_id;
  if not found then
    raise exception 'no such campaign' using errcode = 'P0002';
  end if;
  if campaign.status <> 'draft' then
    return private.empty_variable_recipients(campaign.id,
      array(select r.customer_id from public.campaign_recipients r where r.campaign_id = campaign.id), at, max_rows);
  end if;
  return private.empty_variable_recipients(campaign.id, array(select public.segment_member_ids(campaign.segment_id)), at, max_rows);
end;
$$;
comment on function public.campaign_empty_variable_recipients(uuid, timestamptz, integer) is 'Before sending: the recipients whose template variables would render empty even with the campaign''s fallbacks — {total, recipients: [{customer_id, name, email, empty_variables, excluded}]} (at most max_rows, 1–500, by name) — as the caller sees the audience. The sender then sends anyway (skip_empty_variables false, fallbacks in variables) or excludes them (true). Team members; 42501 / P0002 / 22023.';
revoke execute on function public.campaign_empty_variable_recipients(uuid, timestamptz, integer) from public, anon;
grant execute on function public.campaign_empty_variable_recipients(uuid, timestamptz, integer) to authenticated, service_role;
