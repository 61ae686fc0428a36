-- Demo data for local development: applied on a fresh `npm run dev` / `npm run supabase:start`
-- and by `npm run db:reset` (never pushed to production unless asked with --include-seed).
-- Deterministic, so every developer and every test sees the same rows.
--
-- The demo team signs in with password `cairn-demo-2026` (printed by `npm run dev`).
-- The CRM data model and the rest of the demo data arrive with the core data model.

-- Auth users are created the way GoTrue stores them: bcrypt password, confirmed email, an
-- `email` identity, and empty strings (not nulls) in the token columns GoTrue scans.
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
  confirmation_token, recovery_token, email_change_token_new, email_change
)
select
  '00000000-0000-0000-0000-000000000000', demo.id, 'authenticated', 'authenticated', demo.email,
  extensions.crypt('cairn-demo-2026', extensions.gen_salt('bf', 10)), now(),
  '{"provider": "email", "providers": ["email"]}',
  jsonb_build_object('sub', demo.id, 'email', demo.email, 'email_verified', true, 'phone_verified', false, 'full_name', demo.full_name),
  now(), now(), '', '', '', ''
from (values
  ('a0000000-0000-4000-8000-000000000001'::uuid, 'admin@cairn.test', 'Ada Admin')
) as demo (id, email, full_name);

insert into auth.identities (id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select gen_random_uuid(), u.id::text, u.id,
  jsonb_build_object('sub', u.id, 'email', u.email, 'email_verified', true, 'phone_verified', false),
  'email', now(), now(), now()
from auth.users u
where u.email like '%@cairn.test';
