-- Settings → Integrations follows imports and connections live (issue 11).
--
-- Owns: the policy that admits admins — and only admins — to the private Realtime channel
-- `shopify-integrations`, on which the screen receives the changes of public.shop_imports and
-- public.shop_connections (both already admin-only under RLS, and in the publication since
-- 20261207191000). A private channel, so nobody else can join it or broadcast on it.
create policy "admins join the shopify-integrations channel" on realtime.messages
  for select to authenticated
  using (realtime.topic() = 'shopify-integrations' and (select private.is_admin()));
comment on policy "admins join the shopify-integrations channel" on realtime.messages is 'The Integrations screen''s private channel: admins only (issue 11).';
