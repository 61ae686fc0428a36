-- Webhook content Postgres cannot store as sent (security review M-5, L-9).
--
-- JSON allows `\u0000` and unpaired surrogates (`\ud800`) in strings, and nesting of any depth;
-- jsonb refuses all three. A correctly signed Shopify delivery carrying one (a buyer can type
-- anything into an order note) used to be answered 500 and never stored, so Shopify retried it
-- until it dropped the subscription. Now the shopify-webhook function stores it anyway:
--   - with those characters replaced by U+FFFD in `payload`, applied as usual, and the body as
--     Shopify sent it (lossless: the escapes are plain text) in the new `original_body`;
--   - or, when even that cannot be stored (nesting deeper than jsonb takes), as a placeholder:
--     `payload` holds only {"not_stored": true} and the ids privacy requests match deliveries
--     by (id, order_id, customer.id), the status is `failed` with the error in `last_error`,
--     never retried, and the body is in `original_body`.
--
-- Owns: the column `webhook_deliveries.original_body`, the trigger that drops it whenever the
-- payload is redacted (customers/redact, shop/redact rewrite `payload`; the copy holds the same
-- personal data), and public.ingest_shopify_webhook, restated from
-- 20261121090200_store_each_delivery_once.sql with one more argument, `original_body` (the
-- function is dropped and created again: a new argument is a new signature). Nothing else in
-- it changed; the hot path writes one more null column.

alter table public.webhook_deliveries add column original_body text;
comment on column public.webhook_deliveries.original_body is 'The body exactly as Shopify sent it, kept only when payload could not hold it: NUL characters or unpaired surrogates (replaced by U+FFFD in payload), or nesting too deep for jsonb (payload is then a placeholder with the ids only, and the delivery failed). Null otherwise, and dropped when the payload is redacted.';

create function private.drop_original_body_with_payload() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  -- Redaction rewrites payload; the verbatim copy carries the same personal data.
  if new.payload is distinct from old.payload and new.original_body is not distinct from old.original_body then
    new.original_body := null;
  end if;
  return new;
end;
$$;
comment on function private.drop_original_body_with_payload() is 'Trigger on webhook_deliveries: when the payload is rewritten (redaction), the verbatim original_body goes too.';
revoke execute on function private.drop_original_body_with_payload() from public, anon, authenticated;

-- Fires only for the rare rows that keep an original body, so ordinary updates pay nothing.
create trigger drop_original_body_with_payload before update of payload on public.webhook_deliveries
  for each row when (old.original_body is not null) execute function private.drop_original_body_with_payload();

drop function public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text);

create function public.ingest_shopify_webhook(
  shop_domain text,
  topic text,
  event_id text,
  webhook_id text,
  triggered_at timestamptz,
  api_version text,
  payload jsonb,
  mapped jsonb default null,
  parse_error text default null,
  original_body text default null
) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  target_shop uuid;
  delivery_id bigint;
  result text;
  supported boolean := ingest_shopify_webhook.topic = any (array[
    'orders/create', 'orders/updated', 'orders/paid', 'orders/cancelled', 'refunds/create', 'customers/create',
    'customers/update', 'products/create', 'products/update', 'products/delete', 'inventory_levels/update',
    'customers/data_request', 'customers/redact', 'shop/redact']);
begin
  select s.id into target_shop from public.shops s where s.domain = lower(ingest_shopify_webhook.shop_domain) and s.active;
  if target_shop is null then
    -- Deactivated (or gone) since the function looked its secret up: refused, nothing stored.
    return jsonb_build_object('status', 'unknown_shop');
  end if;

  -- A duplicate or a retry of an event already stored: answered without a write.
  select w.id into delivery_id from public.webhook_deliveries w
  where w.shop_id = target_shop and w.topic = ingest_shopify_webhook.topic and w.event_id = ingest_shopify_webhook.event_id;
  if found then
    return jsonb_build_object('status', 'duplicate', 'delivery_id', delivery_id);
  end if;

  if supported and parse_error is null and mapped ->> 'kind' is distinct from 'privacy_request' then
    begin
      result := private.apply_shopify_record(target_shop, mapped, ingest_shopify_webhook.triggered_at, null);
      insert into public.webhook_deliveries as w (
        shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, record,
        status, outcome, attempts, applied_at, original_body
      ) values (
        target_shop, ingest_shopify_webhook.topic, ingest_shopify_webhook.event_id, ingest_shopify_webhook.webhook_id,
        ingest_shopify_webhook.triggered_at, ingest_shopify_webhook.api_version, ingest_shopify_webhook.payload, mapped,
        case when result = 'stale' then 'ignored' else 'applied' end::public.webhook_delivery_status, result, 1, now(),
        ingest_shopify_webhook.original_body
      )
      on conflict on constraint webhook_deliveries_event_key do nothing
      returning w.id into delivery_id;
      if delivery_id is null then
        -- The same event, applied and stored by another delivery since the look-up above: undo
        -- this apply (the whole block rolls back) and answer as for any duplicate.
        raise exception 'duplicate delivery' using errcode = 'CWDUP';
      end if;
      return jsonb_build_object(
        'status', case when result = 'stale' then 'ignored' else 'applied' end, 'delivery_id', delivery_id, 'outcome', result
      );
    exception
      when sqlstate 'CWDUP' then
        select w.id into delivery_id from public.webhook_deliveries w
        where w.shop_id = target_shop and w.topic = ingest_shopify_webhook.topic and w.event_id = ingest_shopify_webhook.event_id;
        return jsonb_build_object('status', 'duplicate', 'delivery_id', delivery_id);
      when others then
        -- Rolled back; stored and applied below, where failures are retried and recorded.
        null;
    end;
  end if;

  -- Stored first. The unique key makes a duplicate or a retry of the same event a no-op, even
  -- when both arrive at once (the second waits for the first to commit, then does nothing).
  insert into public.webhook_deliveries as w (
    shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, record, status, outcome, last_error, next_attempt_at,
    original_body
  ) values (
    target_shop, ingest_shopify_webhook.topic, ingest_shopify_webhook.event_id, ingest_shopify_webhook.webhook_id,
    ingest_shopify_webhook.triggered_at, ingest_shopify_webhook.api_version, ingest_shopify_webhook.payload,
    case when supported then ingest_shopify_webhook.mapped end,
    case when not supported then 'ignored' when parse_error is not null then 'failed' else 'received' end::public.webhook_delivery_status,
    case when not supported then 'unknown_topic' end,
    case when supported then left(parse_error, 2000) end,
    -- Due at once for the retry job, in case the apply below never finishes.
    case when supported and parse_error is null then now() end,
    ingest_shopify_webhook.original_body
  )
  on conflict on constraint webhook_deliveries_event_key do nothing
  returning w.id into delivery_id;

  if delivery_id is null then
    select w.id into delivery_id from public.webhook_deliveries w
    where w.shop_id = target_shop and w.topic = ingest_shopify_webhook.topic and w.event_id = ingest_shopify_webhook.event_id;
    return jsonb_build_object('status', 'duplicate', 'delivery_id', delivery_id);
  end if;
  if not supported then
    return jsonb_build_object('status', 'ignored', 'delivery_id', delivery_id, 'outcome', 'unknown_topic');
  end if;
  if parse_error is not null then
    return jsonb_build_object('status', 'failed', 'delivery_id', delivery_id, 'error', parse_error);
  end if;
  return private.apply_webhook_delivery(delivery_id);
end;
$$;
comment on function public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text, text) is 'For the shopify-webhook function (service role only), after it verified the signature: stores the delivery (de-duplicated by shop × topic × event id) and applies it. original_body: the body as sent, when payload had to be sanitised or replaced by a placeholder. Returns {status: applied | ignored | failed | duplicate, delivery_id, outcome?, error?}, or {status: unknown_shop} (nothing stored) when the shop is not active. A failed apply stays stored and is retried.';
revoke execute on function public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text, text)
  from public, anon, authenticated;
grant execute on function public.ingest_shopify_webhook(text, text, text, text, timestamptz, text, jsonb, jsonb, text, text)
  to service_role;
