-- Consent evidence names the address the platform's proxy saw, not one the client wrote
-- (security review L-1).
--
-- prepare_consent_event() stored the first X-Forwarded-For entry as a shopper's address. That
-- entry is whatever the client sent: proxies append the address they saw after it. The address
-- is now the one the trusted proxy set (private.client_address): Cloudflare's CF-Connecting-IP on
-- hosted Supabase, else the gateway's X-Real-IP (Kong sets it to its peer), else the last
-- X-Forwarded-For entry (the one the gateway appended). The full X-Forwarded-For header is kept as
-- `forwarded_for`, untrusted detail; the user agent is recorded as the browser declared it (no
-- proxy can vouch for it). This migration owns private.client_address and restates
-- private.prepare_consent_event (20261121060200) with only the evidence changed.

create function private.client_address(headers jsonb) returns text
language plpgsql immutable set search_path = '' as $$
declare
  candidate text := coalesce(
    nullif(btrim(headers ->> 'cf-connecting-ip'), ''),
    nullif(btrim(headers ->> 'x-real-ip'), ''),
    nullif(btrim(reverse(split_part(reverse(coalesce(headers ->> 'x-forwarded-for', '')), ',', 1))), '')
  );
begin
  return host(candidate::inet);
exception when invalid_text_representation then
  -- Not an address at all: record none rather than a made-up one.
  return null;
end;
$$;
comment on function private.client_address(jsonb) is 'The client''s address as the trusted proxy reported it, from request headers (PostgREST''s request.headers): CF-Connecting-IP (hosted, set by Cloudflare), else X-Real-IP (set by the gateway), else the last X-Forwarded-For entry (appended by the gateway). Never the first X-Forwarded-For entry, which the client controls. Null when none is a valid address.';
revoke execute on function private.client_address(jsonb) from public, anon;
grant execute on function private.client_address(jsonb) to authenticated, service_role;

create or replace function private.prepare_consent_event() returns trigger
language plpgsql set search_path = '' as $$
declare
  headers jsonb;
begin
  new.recorded_at := now();
  if (select auth.role()) = 'authenticated' then
    -- Whoever records through the API is the actor; it is not theirs to choose.
    new.actor_id := (select auth.uid());
    if (select private.is_team_member()) then
      new.source := coalesce(new.source, 'staff');
      if new.source not in ('staff', 'import') then
        raise exception 'team members record consent with source staff or import, not %', new.source
          using errcode = '23514', column = 'source', table = 'consent_events',
                hint = 'The other sources are recorded by the system, where the customer made the choice.';
      end if;
    else
      -- A shopper about themselves (the insert policy checks it is their own record). The
      -- address is the proxy's; what the client said about itself is kept as untrusted detail.
      new.source := 'portal';
      new.occurred_at := now();
      headers := coalesce(nullif(current_setting('request.headers', true), '')::jsonb, '{}');
      new.evidence := (coalesce(new.evidence, '{}') - 'ip' - 'user_agent' - 'forwarded_for') || jsonb_strip_nulls(jsonb_build_object(
        'ip', private.client_address(headers),
        'forwarded_for', left(headers ->> 'x-forwarded-for', 500),
        'user_agent', left(headers ->> 'user-agent', 300)
      ));
    end if;
  end if;
  new.occurred_at := coalesce(new.occurred_at, now());
  if new.occurred_at > now() + interval '5 minutes' then
    raise exception 'a consent event cannot happen in the future (occurred_at %)', new.occurred_at
      using errcode = '23514', column = 'occurred_at', table = 'consent_events';
  end if;
  return new;
end;
$$;
comment on function private.prepare_consent_event() is 'BEFORE INSERT on consent_events: sets the actor from the session, limits staff to sources staff/import, forces portal/now/request evidence for shoppers (ip: the address the trusted proxy reported; forwarded_for and user_agent: as the client sent them, untrusted), refuses future events.';
revoke execute on function private.prepare_consent_event() from public, anon;
