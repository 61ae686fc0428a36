-- Automation flows (issue 16): the welcome series starts "after sign-up or first order" — when a
-- customer is created (a Shopify order, an import, staff) AND when someone signs up in the portal
-- — and the shipped flows' emails exist in every language the app speaks.
--
-- Owns:
--   * flows.also_on: further trigger types that start the flow besides trigger.type. Only the two
--     "a customer joined" triggers combine (customer_created, portal_signup): a flow with also_on
--     enrols a customer once for either (entry key "joined"), so a shopper created by their first
--     order who later signs up in the portal is not welcomed twice. Checked by
--     private.check_flow_also_on (22023, as check_flow);
--   * private.enrol_in_flows, private.flows_listen and private.flow_existing_customers, restated
--     whole from 20261208110100 / 20261208110300 to read also_on;
--   * the shipped welcome series (preset welcome) starting on both, where it is still as shipped;
--   * German, French, Spanish and Chinese versions of the shipped flows' eight templates (English
--     came with 20261208110300), added where the language has none yet.

alter table public.flows add column also_on text[] not null default '{}';
comment on column public.flows.also_on is 'Further triggers that start this flow besides trigger.type: only customer_created / portal_signup, on a flow whose trigger is the other one. A flow with also_on enrols a customer once for either (entry key "joined").';
grant insert (also_on), update (also_on) on public.flows to authenticated;

create function private.check_flow_also_on() returns trigger
language plpgsql set search_path = '' as $$
declare
  joined constant text[] := array['customer_created', 'portal_signup'];
begin
  if new.also_on is null then
    new.also_on := '{}';
  end if;
  if cardinality(new.also_on) = 0 then
    return new;
  end if;
  if not (new.trigger ->> 'type' = any (joined)) then
    perform private.flow_refuse('trigger', 'only a flow that starts when a customer is created or signs up in the portal can also start on the other');
  end if;
  if not (new.also_on <@ joined) or new.trigger ->> 'type' = any (new.also_on) or cardinality(new.also_on) > 1 then
    perform private.flow_refuse('trigger', format('also_on may only add %s', (select j from unnest(joined) j where j <> new.trigger ->> 'type')));
  end if;
  return new;
end;
$$;
comment on function private.check_flow_also_on() is 'Checks flows.also_on (22023): only customer_created and portal_signup combine, each with the other.';
create trigger check_flow_also_on before insert or update of trigger, also_on on public.flows
  for each row execute function private.check_flow_also_on();

-- Restated whole from 20261208110100: also_on starts a flow too; a flow listening to both sign-up
-- triggers enrols once per customer (entry key "joined").
create or replace function private.enrol_in_flows(trigger_type text, customer uuid, entry_key text, event jsonb default '{}')
returns integer
language plpgsql volatile security definer set search_path = '' as $$
declare
  enrolled integer;
begin
  if customer is null then
    return 0;
  end if;
  with candidates as (
    select f.id, f.first_step, case when cardinality(f.also_on) > 0 then 'joined' else enrol_in_flows.entry_key end as entry_key
    from public.flows f
    where f.status = 'active' and (f.trigger ->> 'type' = trigger_type or trigger_type = any (f.also_on))
      and (not f.trigger ? 'to' or f.trigger ->> 'to' = event ->> 'to')
      and (not f.trigger ? 'segment_id' or f.trigger ->> 'segment_id' = event ->> 'segment_id')
      and (not f.trigger ? 'tag_id' or f.trigger ->> 'tag_id' = event ->> 'tag_id')
  ), entered as (
    insert into public.flow_enrolments (flow_id, customer_id, entry_key, trigger_event, current_step)
    select c.id, customer, c.entry_key, jsonb_build_object('type', trigger_type) || coalesce(event, '{}'), c.first_step
    from candidates c
    on conflict do nothing
    returning id, flow_id, customer_id, trigger_event
  ), logged as (
    insert into public.flow_step_runs (enrolment_id, flow_id, customer_id, step_key, step_kind, outcome, data)
    select e.id, e.flow_id, e.customer_id, 'entered', 'trigger', 'entered', e.trigger_event from entered e
    returning 1
  )
  select count(*)::integer into enrolled from logged;
  return enrolled;
end;
$$;
comment on function private.enrol_in_flows(text, uuid, text, jsonb) is 'Enrols a customer in every active flow of the trigger (its type or one of its also_on) whose parameters (to, segment_id, tag_id) match the event, once per entry_key ("joined" for a flow with also_on: once for either sign-up trigger) and never twice at the same time; logs "entered" on the path. Returns how many enrolments were made.';
revoke execute on function private.enrol_in_flows(text, uuid, text, jsonb) from public, anon, authenticated;
grant execute on function private.enrol_in_flows(text, uuid, text, jsonb) to service_role;

-- Restated whole from 20261208110100: a flow listens to its also_on triggers too (few active
-- flows: the scan of the active ones stays small).
create or replace function private.flows_listen(trigger_type text) returns boolean
language sql stable security definer set search_path = '' as $$
  select exists (select 1 from public.flows f where f.status = 'active' and f.trigger ->> 'type' = trigger_type)
      or exists (select 1 from public.flows f where f.status = 'active' and trigger_type = any (f.also_on))
$$;
comment on function private.flows_listen(text) is 'Whether any active flow starts on this trigger (its type, or one of its also_on).';

-- Restated whole from 20261208110300: a customer who matches an also_on trigger matches the flow.
create or replace function private.flow_existing_customers(flow_id uuid) returns setof uuid
language plpgsql stable security definer set search_path = '' as $$
declare
  t jsonb;
  also text[];
begin
  select f.trigger, f.also_on into t, also from public.flows f where f.id = flow_id;
  return query
  select c.id from public.customers c
  where case t ->> 'type'
    when 'customer_created' then true
    when 'portal_signup' then c.auth_user_id is not null
    when 'stage_changed' then c.lifecycle_stage = coalesce(t ->> 'to', c.lifecycle_stage)
    when 'order_created' then exists (select 1 from public.orders o where o.customer_id = c.id)
    when 'order_paid' then exists (select 1 from public.orders o where o.customer_id = c.id and o.financial_status = 'paid')
    when 'order_fulfilled' then exists (select 1 from public.orders o where o.customer_id = c.id and o.fulfillment_status = 'fulfilled')
    when 'segment_entered' then exists (select 1 from public.segment_memberships m
                                        where m.segment_id = (t ->> 'segment_id')::uuid and m.customer_id = c.id)
    when 'segment_left' then false
    when 'tag_added' then exists (select 1 from public.customer_tags g where g.customer_id = c.id and g.tag_id = (t ->> 'tag_id')::uuid)
    when 'favourite_added' then exists (select 1 from public.favorites v where v.customer_id = c.id)
    when 'inactive_days' then coalesce(c.last_order_at, c.created_at) <= now() - make_interval(days => (t ->> 'days')::integer)
    when 'alert_clicked_no_order' then exists (
      select 1 from public.alert_log a where a.customer_id = c.id and a.clicked_at > now() - interval '30 days'
        and not exists (select 1 from public.orders o where o.customer_id = c.id and o.placed_at >= a.clicked_at))
    else false
  end
  or 'customer_created' = any (coalesce(also, '{}'))
  or ('portal_signup' = any (coalesce(also, '{}')) and c.auth_user_id is not null);
end;
$$;
comment on function private.flow_existing_customers(uuid) is 'The customers who already match a flow''s trigger or one of its also_on (in a segment, holding the tag, at the stage, inactive, signed up…): whom "enrol existing customers" would enrol. segment_left: nobody (leaving is an event, not a state).';
revoke execute on function private.flow_existing_customers(uuid) from public, anon, authenticated;

-- The shipped welcome series: after sign-up in the portal too (left alone if someone changed its trigger).
update public.flows set also_on = array['portal_signup'], description = 'Three emails over 7 days after they join (a new customer or a portal sign-up); stops when they order.'
where preset = 'welcome' and trigger = '{"type": "customer_created"}'::jsonb and also_on = '{}';

-- The shipped flows' emails in German, French, Spanish and Chinese.
insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
select t.id, v.language, v.subject, v.html, v.text
from (values
  ('flow_welcome_1', 'de', 'Willkommen bei {{shop_name}}, {{first_name}}', '<p>Hallo {{first_name}},</p><p>willkommen! Schön, dass du da bist.</p>', 'Hallo {{first_name}}, willkommen! Schön, dass du da bist.'),
  ('flow_welcome_2', 'de', 'Ein paar Lieblingsstücke für den Anfang', '<p>Hallo {{first_name}},</p><p>das lieben andere Kundinnen und Kunden am meisten.</p>', 'Hallo {{first_name}}, das lieben andere Kundinnen und Kunden am meisten.'),
  ('flow_welcome_3', 'de', 'Können wir dir helfen?', '<p>Hallo {{first_name}},</p><p>Fragen zu Größen oder Versand? Antworte einfach auf diese E-Mail.</p>', 'Hallo {{first_name}}, Fragen zu Größen oder Versand? Antworte einfach auf diese E-Mail.'),
  ('flow_winback_1', 'de', 'Wir vermissen dich, {{first_name}}', '<p>Hallo {{first_name}},</p><p>es ist eine Weile her. Das ist neu bei uns.</p>', 'Hallo {{first_name}}, es ist eine Weile her. Das ist neu bei uns.'),
  ('flow_winback_2', 'de', 'Eine Kleinigkeit für deine Rückkehr: {{offer_code}}', '<p>Hallo {{first_name}},</p><p>nutze <strong>{{offer_code}}</strong> bei deiner nächsten Bestellung.</p>', 'Hallo {{first_name}}, nutze {{offer_code}} bei deiner nächsten Bestellung.'),
  ('flow_thank_you', 'de', 'Danke für deine Bestellung, {{first_name}}', '<p>Hallo {{first_name}},</p><p>danke für deine Bestellung. Wir melden uns, sobald sie unterwegs ist.</p>', 'Hallo {{first_name}}, danke für deine Bestellung. Wir melden uns, sobald sie unterwegs ist.'),
  ('flow_review_request', 'de', 'Wie gefällt es dir?', '<p>Hallo {{first_name}},</p><p>deine Bestellung ist angekommen: Sag uns, wie du sie findest.</p>', 'Hallo {{first_name}}, deine Bestellung ist angekommen: Sag uns, wie du sie findest.'),
  ('flow_cross_sell', 'de', '{{product_name}} wartet noch auf dich', '<p>Hallo {{first_name}},</p><p>du hast {{product_name}} gemerkt. Es passt gut zu deiner letzten Bestellung.</p>', 'Hallo {{first_name}}, du hast {{product_name}} gemerkt. Es passt gut zu deiner letzten Bestellung.'),
  ('flow_welcome_1', 'fr', 'Bienvenue chez {{shop_name}}, {{first_name}}', '<p>Bonjour {{first_name}},</p><p>bienvenue ! Nous sommes ravis de vous compter parmi nous.</p>', 'Bonjour {{first_name}}, bienvenue ! Nous sommes ravis de vous compter parmi nous.'),
  ('flow_welcome_2', 'fr', 'Quelques coups de cœur pour commencer', '<p>Bonjour {{first_name}},</p><p>voici ce que nos clients préfèrent.</p>', 'Bonjour {{first_name}}, voici ce que nos clients préfèrent.'),
  ('flow_welcome_3', 'fr', 'Pouvons-nous vous aider ?', '<p>Bonjour {{first_name}},</p><p>une question sur les tailles ou la livraison ? Répondez simplement à cet e-mail.</p>', 'Bonjour {{first_name}}, une question sur les tailles ou la livraison ? Répondez simplement à cet e-mail.'),
  ('flow_winback_1', 'fr', 'Vous nous manquez, {{first_name}}', '<p>Bonjour {{first_name}},</p><p>cela fait un moment. Voici nos nouveautés.</p>', 'Bonjour {{first_name}}, cela fait un moment. Voici nos nouveautés.'),
  ('flow_winback_2', 'fr', 'Un petit geste pour votre retour : {{offer_code}}', '<p>Bonjour {{first_name}},</p><p>utilisez <strong>{{offer_code}}</strong> lors de votre prochaine commande.</p>', 'Bonjour {{first_name}}, utilisez {{offer_code}} lors de votre prochaine commande.'),
  ('flow_thank_you', 'fr', 'Merci pour votre commande, {{first_name}}', '<p>Bonjour {{first_name}},</p><p>merci pour votre commande. Nous vous préviendrons dès son expédition.</p>', 'Bonjour {{first_name}}, merci pour votre commande. Nous vous préviendrons dès son expédition.'),
  ('flow_review_request', 'fr', 'Qu’en pensez-vous ?', '<p>Bonjour {{first_name}},</p><p>votre commande est arrivée : dites-nous ce que vous en pensez.</p>', 'Bonjour {{first_name}}, votre commande est arrivée : dites-nous ce que vous en pensez.'),
  ('flow_cross_sell', 'fr', '{{product_name}} vous attend toujours', '<p>Bonjour {{first_name}},</p><p>vous avez enregistré {{product_name}}. Il va très bien avec votre dernière commande.</p>', 'Bonjour {{first_name}}, vous avez enregistré {{product_name}}. Il va très bien avec votre dernière commande.'),
  ('flow_welcome_1', 'es', 'Te damos la bienvenida a {{shop_name}}, {{first_name}}', '<p>Hola, {{first_name}}:</p><p>¡bienvenido! Nos alegra tenerte aquí.</p>', 'Hola, {{first_name}}: ¡bienvenido! Nos alegra tenerte aquí.'),
  ('flow_welcome_2', 'es', 'Algunos favoritos para empezar', '<p>Hola, {{first_name}}:</p><p>esto es lo que más les gusta a otros clientes.</p>', 'Hola, {{first_name}}: esto es lo que más les gusta a otros clientes.'),
  ('flow_welcome_3', 'es', '¿Podemos ayudarte?', '<p>Hola, {{first_name}}:</p><p>¿dudas sobre tallas o envíos? Solo tienes que responder a este correo.</p>', 'Hola, {{first_name}}: ¿dudas sobre tallas o envíos? Solo tienes que responder a este correo.'),
  ('flow_winback_1', 'es', 'Te echamos de menos, {{first_name}}', '<p>Hola, {{first_name}}:</p><p>ha pasado un tiempo. Esto es lo nuevo.</p>', 'Hola, {{first_name}}: ha pasado un tiempo. Esto es lo nuevo.'),
  ('flow_winback_2', 'es', 'Un detalle para que vuelvas: {{offer_code}}', '<p>Hola, {{first_name}}:</p><p>usa <strong>{{offer_code}}</strong> en tu próximo pedido.</p>', 'Hola, {{first_name}}: usa {{offer_code}} en tu próximo pedido.'),
  ('flow_thank_you', 'es', 'Gracias por tu pedido, {{first_name}}', '<p>Hola, {{first_name}}:</p><p>gracias por tu pedido. Te avisaremos cuando salga.</p>', 'Hola, {{first_name}}: gracias por tu pedido. Te avisaremos cuando salga.'),
  ('flow_review_request', 'es', '¿Qué te parece?', '<p>Hola, {{first_name}}:</p><p>tu pedido ha llegado: cuéntanos qué te parece.</p>', 'Hola, {{first_name}}: tu pedido ha llegado: cuéntanos qué te parece.'),
  ('flow_cross_sell', 'es', '{{product_name}} te sigue esperando', '<p>Hola, {{first_name}}:</p><p>guardaste {{product_name}}. Combina muy bien con tu último pedido.</p>', 'Hola, {{first_name}}: guardaste {{product_name}}. Combina muy bien con tu último pedido.'),
  ('flow_welcome_1', 'zh', '欢迎来到 {{shop_name}}，{{first_name}}', '<p>{{first_name}}，你好：</p><p>欢迎！很高兴你来到这里。</p>', '{{first_name}}，你好：欢迎！很高兴你来到这里。'),
  ('flow_welcome_2', 'zh', '先看看大家的最爱', '<p>{{first_name}}，你好：</p><p>这些是其他顾客最喜欢的商品。</p>', '{{first_name}}，你好：这些是其他顾客最喜欢的商品。'),
  ('flow_welcome_3', 'zh', '需要帮忙吗？', '<p>{{first_name}}，你好：</p><p>对尺码或配送有疑问？直接回复这封邮件即可。</p>', '{{first_name}}，你好：对尺码或配送有疑问？直接回复这封邮件即可。'),
  ('flow_winback_1', 'zh', '我们想念你，{{first_name}}', '<p>{{first_name}}，你好：</p><p>好久不见。看看我们的新品吧。</p>', '{{first_name}}，你好：好久不见。看看我们的新品吧。'),
  ('flow_winback_2', 'zh', '欢迎回来的小礼物：{{offer_code}}', '<p>{{first_name}}，你好：</p><p>下次下单时使用 <strong>{{offer_code}}</strong>。</p>', '{{first_name}}，你好：下次下单时使用 {{offer_code}}。'),
  ('flow_thank_you', 'zh', '感谢你的订单，{{first_name}}', '<p>{{first_name}}，你好：</p><p>感谢你的订单。发货后我们会通知你。</p>', '{{first_name}}，你好：感谢你的订单。发货后我们会通知你。'),
  ('flow_review_request', 'zh', '你觉得怎么样？', '<p>{{first_name}}，你好：</p><p>你的订单已送达：告诉我们你的感受吧。</p>', '{{first_name}}，你好：你的订单已送达：告诉我们你的感受吧。'),
  ('flow_cross_sell', 'zh', '{{product_name}} 还在等你', '<p>{{first_name}}，你好：</p><p>你收藏了 {{product_name}}，它和你上次的订单很搭。</p>', '{{first_name}}，你好：你收藏了 {{product_name}}，它和你上次的订单很搭。')
) as v (key, language, subject, html, text)
join public.email_templates t on t.key = v.key
on conflict do nothing;
