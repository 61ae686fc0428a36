-- Platform bootstrap, part 5: Supabase Vault, which hosted projects have preinstalled (the
-- scheduling docs store the project URL and keys there). The extension is Cairn's SQL
-- stand-in (bootstrap/extensions/supabase_vault*); pg_cron and pg_net are not installed here,
-- because on hosted a migration enables them with `create extension`.
create schema if not exists vault;
create extension if not exists supabase_vault with schema vault;
