-- Each Shopify delivery is written once (issue 5: webhook ingestion, docs/benchmarks.md).
--
-- ingest_shopify_webhook stored a delivery as `received`, read it back, applied it and then
-- updated it to `applied`: two writes of a row that carries the payload twice (raw and mapped),
-- the second one to every index of the table, on every event Shopify sends. Now the usual case
-- applies first and stores the delivery with its outcome in the same subtransaction:
--
--   - a duplicate or a retry of an event already stored is found by its key before anything is
--     done, as before answered `duplicate` without a write;
--   - an identical delivery being applied at the same moment is caught by the unique key when
--     this one is stored: the subtransaction (the apply included) is rolled back and the
--     answer is `duplicate`, so an event is still applied exactly once;
--   - anything that fails on the way (a refund ahead of its order, a deadlock…) is rolled back
--     and the delivery takes the old path: stored as `received`, applied with retries, and left
--     `failed` for the retry job when it still does not apply;
--   - privacy topics keep the old path too: what they record points at the stored delivery.
--
-- Either way the answer goes back only after the transaction committed, so what Shopify is told
-- was accepted is stored.

create function private.apply_shopify_record(target_shop uuid, mapped jsonb, triggered timestamptz, delivery bigint)
returns text
language plpgsql volatile security definer set search_path = '' as $$
declare
  result text;
begin
  perform set_config('cairn.change_source', 'shopify', true);
  result := case mapped ->> 'kind'
    when 'order' then private.apply_shopify_order(target_shop, mapped -> 'record', triggered)
    when 'refund' then private.apply_shopify_refund(target_shop, mapped -> 'record', triggered)
    when 'customer' then private.apply_shopify_customer(target_shop, mapped -> 'record', triggered)
    when 'product' then private.apply_shopify_product(target_shop, mapped -> 'record', triggered)
    when 'product_deletion' then private.apply_shopify_product_deletion(target_shop, mapped -> 'record', triggered)
    when 'inventory_level' then private.apply_shopify_inventory_level(target_shop, mapped -> 'record', triggered)
    when 'privacy_request' then private.apply_shopify_privacy_request(target_shop, mapped -> 'record', triggered, delivery)
  end;
  if result is null then
    raise exception 'unknown record kind %', mapped ->> 'kind' using errcode = '22023';
  end if;
  return result;
end;
$$;
comment on function private.apply_shopify_record(uuid, jsonb, timestamptz, bigint) is 'Applies one mapped Shopify record ({kind, record}) and returns the outcome (created, updated, stale…). delivery is the stored delivery a privacy request refers to.';
revoke execute on function private.apply_shopify_record(uuid, jsonb, timestamptz, bigint) from public;

create or replace function private.apply_webhook_delivery(delivery_id bigint) returns jsonb
language plpgsql volatile security definer set search_path = '' as $$
declare
  d public.webhook_deliveries;
  result text;
  failure text;
begin
  select * into d from public.webhook_deliveries w where w.id = delivery_id for update;
  if not found then
    raise exception 'no webhook delivery %', delivery_id using errcode = 'P0002';
  end if;
  if d.status in ('applied', 'ignored') then
    return jsonb_build_object('status', d.status, 'delivery_id', d.id, 'outcome', d.outcome);
  end if;
  if d.record is null then
    -- Did not validate (or was redacted): nothing a retry could change.
    update public.webhook_deliveries w set status = 'failed', next_attempt_at = null, last_error = coalesce(w.last_error, 'no record to apply')
    where w.id = d.id;
    return jsonb_build_object('status', 'failed', 'delivery_id', d.id, 'error', coalesce(d.last_error, 'no record to apply'));
  end if;

  -- A deadlock or a race on a unique key between concurrent deliveries is worth one more try
  -- at once (the other transaction has finished by then); other errors wait for the retry job.
  for attempt in 1..3 loop
    begin
      result := private.apply_shopify_record(d.shop_id, d.record, d.triggered_at, d.id);
      update public.webhook_deliveries w
      set status = case when result = 'stale' then 'ignored' else 'applied' end::public.webhook_delivery_status,
          outcome = result, attempts = w.attempts + 1, last_error = null, next_attempt_at = null, applied_at = now()
      where w.id = d.id;
      if d.topic = 'customers/redact' then
        -- A redaction request keeps no more personal data than the customer id it names.
        update public.webhook_deliveries w
        set payload = w.payload #- '{customer,email}' #- '{customer,phone}',
            record = w.record #- '{record,customerEmail}' #- '{record,customerPhone}'
        where w.id = d.id;
      end if;
      return jsonb_build_object(
        'status', case when result = 'stale' then 'ignored' else 'applied' end, 'delivery_id', d.id, 'outcome', result
      );
    exception
      when deadlock_detected or serialization_failure or unique_violation then
        failure := sqlstate || ': ' || sqlerrm;
        if attempt = 3 then
          exit;
        end if;
      when others then
        failure := sqlstate || ': ' || sqlerrm;
        exit;
    end;
  end loop;

  update public.webhook_deliveries w
  set status = 'failed', attempts = w.attempts + 1, last_error = left(failure, 2000),
      -- 1, 2, 4 … minutes, at most an hour apart; after 20 attempts (about 13 hours) a person looks.
      next_attempt_at = case when w.attempts + 1 < 20
        then now() + least(interval '1 minute' * power(2, w.attempts), interval '1 hour') end
  where w.id = d.id;
  return jsonb_build_object('status', 'failed', 'delivery_id', d.id, 'error', failure);
end;
$$;

create or replace function public.ingest_shopify_webhook(
  shop_domain text,
  topic text,
  event_id text,
  webhook_id text,
  triggered_at timestamptz,
  api_version text,
  payload jsonb,
  mapped jsonb default null,
  parse_error text default null
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
        status, outcome, attempts, applied_at
      ) values (
        target_shop, ingest_shopify_webhook.topic, ingest_shopify_webhook.event_id, ingest_shopify_webhook.webhook_id,
        ingest_shopify_webhook.triggered_at, ingest_shopify_webhook.api_version, ingest_shopify_webhook.payload, mapped,
        case when result = 'stale' then 'ignored' else 'applied' end::public.webhook_delivery_status, result, 1, now()
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
    shop_id, topic, event_id, webhook_id, triggered_at, api_version, payload, record, status, outcome, last_error, next_attempt_at
  ) values (
    target_shop, ingest_shopify_webhook.topic, ingest_shopify_webhook.event_id, ingest_shopify_webhook.webhook_id,
    ingest_shopify_webhook.triggered_at, ingest_shopify_webhook.api_version, ingest_shopify_webhook.payload,
    case when supported then ingest_shopify_webhook.mapped end,
    case when not supported then 'ignored' when parse_error is not null then 'failed' else 'received' end::public.webhook_delivery_status,
    case when not supported then 'unknown_topic' end,
    case when supported then left(parse_error, 2000) end,
    -- Due at once for the retry job, in case the apply below never finishes.
    case when supported and parse_error is null then now() end
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
