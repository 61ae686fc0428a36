-- Cairn's stand-in for supabase_vault (preinstalled on hosted Supabase): the same table
-- vault.secrets, view vault.decrypted_secrets and functions create_secret / update_secret.
-- Secrets are stored encrypted (pgcrypto, pgp_sym_encrypt) under a random per-instance key
-- that only the superuser can read, so dumps of vault.secrets do not reveal them.
-- Written for Cairn from Supabase Vault's documented API; no upstream code.

\echo Use "CREATE EXTENSION supabase_vault" to load this file. \quit

create table vault._root_key (
  singleton boolean primary key default true check (singleton),
  key text not null
);
insert into vault._root_key (key) values (encode(extensions.gen_random_bytes(32), 'base64'));
revoke all on vault._root_key from public;

create table vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default extensions.gen_random_bytes(24),
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp
);
create unique index secrets_name_idx on vault.secrets (name) where name is not null;
comment on table vault.secrets is 'Table with encrypted `secret` column for storing sensitive information on disk.';

create function vault._encrypt(plain text) returns text
language sql volatile
security definer
set search_path = ''
as $$
  select encode(extensions.pgp_sym_encrypt(plain, (select key from vault._root_key)), 'base64')
$$;

create function vault._decrypt(cipher text) returns text
language sql stable
security definer
set search_path = ''
as $$
  select extensions.pgp_sym_decrypt(decode(cipher, 'base64'), (select key from vault._root_key))
$$;

create view vault.decrypted_secrets as
select
  s.id,
  s.name,
  s.description,
  s.secret,
  vault._decrypt(s.secret) as decrypted_secret,
  s.key_id,
  s.nonce,
  s.created_at,
  s.updated_at
from vault.secrets s;

create function vault.create_secret(
  new_secret text,
  new_name text default null,
  new_description text default '',
  new_key_id uuid default null
) returns uuid
language plpgsql volatile
security definer
set search_path = ''
as $$
declare
  secret_id uuid;
begin
  insert into vault.secrets (secret, name, description, key_id)
  values (vault._encrypt(new_secret), new_name, coalesce(new_description, ''), new_key_id)
  returning id into secret_id;
  return secret_id;
end;
$$;

create function vault.update_secret(
  secret_id uuid,
  new_secret text default null,
  new_name text default null,
  new_description text default null,
  new_key_id uuid default null
) returns void
language plpgsql volatile
security definer
set search_path = ''
as $$
begin
  update vault.secrets s set
    secret = coalesce(vault._encrypt(new_secret), s.secret),
    name = coalesce(new_name, s.name),
    description = coalesce(new_description, s.description),
    key_id = coalesce(new_key_id, s.key_id),
    updated_at = now()
  where s.id = secret_id;
end;
$$;

-- Grants as on hosted: postgres (with grant option) and service_role, nobody else.
revoke all on all tables in schema vault from public;
revoke all on all functions in schema vault from public;
grant usage on schema vault to postgres, service_role;
grant usage on schema vault to postgres with grant option;
grant select, delete on vault.secrets to postgres, service_role;
grant select, delete on vault.secrets to postgres with grant option;
grant select on vault.decrypted_secrets to postgres, service_role;
grant select on vault.decrypted_secrets to postgres with grant option;
grant execute on function vault.create_secret(text, text, text, uuid) to postgres, service_role;
grant execute on function vault.update_secret(uuid, text, text, text, uuid) to postgres, service_role;
grant execute on function vault.create_secret(text, text, text, uuid) to postgres with grant option;
grant execute on function vault.update_secret(uuid, text, text, text, uuid) to postgres with grant option;
grant execute on function vault._decrypt(text) to postgres, service_role;
