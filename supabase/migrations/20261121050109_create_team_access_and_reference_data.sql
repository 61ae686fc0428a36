-- Team access and reference data
--
-- Owns: the reference lists every address, price and profile is checked against (ISO 3166-1
-- countries, ISO 4217 currencies, ISO 639-1 languages, IANA time zones); the team and its roles;
-- the private authorisation helpers every row-level security policy in Cairn calls; the generic
-- audit trail and the export log; the `updated_at` trigger.
--
-- How a role reaches a policy: docs/adr/0002-roles-in-policies.md. In short, a policy asks
-- `(select private.team_role())`, a security-definer lookup of the caller's active team_members
-- row that Postgres evaluates once per statement, not once per row.

create schema if not exists private;
comment on schema private is 'Authorisation helpers and trigger functions. Not exposed through the API.';
revoke all on schema private from public;
grant usage on schema private to anon, authenticated, service_role;
-- Functions postgres creates are not callable by everyone by default: a per-schema rule cannot
-- take away Postgres' global default (EXECUTE to PUBLIC), so the default is changed for the
-- role. Functions in public stay callable by the API roles (Supabase's default privileges grant
-- them directly); a helper in private is callable only where a migration grants it.
alter default privileges for role postgres revoke execute on functions from public;

-- ─── Reference data ──────────────────────────────────────────────────────────────────────────

create table public.countries (
  code text primary key check (code ~ '^[A-Z]{2}$'),
  name text not null
);
comment on table public.countries is 'ISO 3166-1 alpha-2 countries. Reference data, read-only for clients.';

create table public.currencies (
  code text primary key check (code ~ '^[A-Z]{3}$'),
  name text not null,
  minor_units smallint not null check (minor_units between 0 and 4)
);
comment on table public.currencies is 'ISO 4217 currencies with their minor units. Reference data, read-only for clients.';

create table public.languages (
  code text primary key check (code ~ '^[a-z]{2}$'),
  name text not null
);
comment on table public.languages is 'ISO 639-1 languages. Reference data, read-only for clients.';

alter table public.countries enable row level security;
alter table public.currencies enable row level security;
alter table public.languages enable row level security;
-- Public ISO lists (no customer data): every form and the shopper sign-up pick from them.
create policy "anyone can read countries" on public.countries for select to anon, authenticated using (true);
create policy "anyone can read currencies" on public.currencies for select to anon, authenticated using (true);
create policy "anyone can read languages" on public.languages for select to anon, authenticated using (true);
revoke insert, update, delete, truncate on public.countries, public.currencies, public.languages from anon, authenticated;

-- pg_timezone_names reads the whole zone database from disk on every call (milliseconds), far
-- too slow for a check constraint; the names are copied into a table once instead.
create table private.time_zones (name text primary key);
comment on table private.time_zones is 'IANA time zone names Postgres knows, copied from pg_timezone_names (without posix/ duplicates).';
insert into private.time_zones (name)
select name from pg_catalog.pg_timezone_names where name not like 'posix/%' on conflict do nothing;
grant select on private.time_zones to anon, authenticated, service_role;

create function private.is_time_zone(zone text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  -- Immutable on purpose so a check constraint may call it: the IANA list only grows, and a zone
  -- that disappeared would still have been valid when stored.
  select exists (select 1 from private.time_zones where name = zone)
$$;
comment on function private.is_time_zone(text) is 'True for an IANA time zone name Postgres knows, such as Europe/Madrid.';

create function private.is_email(address text) returns boolean
language sql immutable strict parallel safe set search_path = '' as $$
  select address ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$' and length(address) <= 320
$$;
comment on function private.is_email(text) is 'A pragmatic email syntax check: something@domain.tld, at most 320 characters.';

-- ─── updated_at ──────────────────────────────────────────────────────────────────────────────

create function private.touch_updated_at() returns trigger
language plpgsql set search_path = '' as $$
begin
  -- The database carrying a customer's new owner onto its rows is not an edit of those rows.
  if current_setting('cairn.syncing_customer_owner', true) = 'on' then
    return new;
  end if;
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.touch_updated_at() is 'Keeps updated_at current on every update (except the database''s own owner sync).';

-- ─── Team ────────────────────────────────────────────────────────────────────────────────────

create type public.team_role as enum ('admin', 'manager', 'agent', 'readonly');
comment on type public.team_role is 'admin: everything; manager: all customer data, no team or settings; agent: own customers; readonly: view only.';

create table public.team_members (
  user_id uuid primary key references auth.users (id) on delete cascade,
  email text not null unique check (private.is_email(email)),
  full_name text not null check (length(btrim(full_name)) between 1 and 200),
  avatar_url text check (avatar_url ~ '^https?://'),
  role public.team_role not null default 'agent',
  timezone text not null default 'UTC' check (private.is_time_zone(timezone)),
  language text not null default 'en' check (language in ('en', 'es', 'fr', 'de', 'zh')),
  active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.team_members is 'People who sign in to the CRM, with their role. A shopper is never a team member.';
comment on column public.team_members.language is 'UI language: one of the five Cairn ships (en, es, fr, de, zh).';
create trigger touch_updated_at before update on public.team_members
  for each row execute function private.touch_updated_at();

create function private.team_role() returns public.team_role
language sql stable security definer set search_path = '' as $$
  select role from public.team_members where user_id = (select auth.uid()) and active
$$;
comment on function private.team_role() is 'The caller''s role if they are an active team member, else null. Call it as (select private.team_role()) so it runs once per statement.';

create function private.is_admin() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select private.team_role()) = 'admin', false)
$$;

create function private.sees_all_customers() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select private.team_role()) in ('admin', 'manager', 'readonly'), false)
$$;
comment on function private.sees_all_customers() is 'Admins, managers and readonly members read every customer; agents only their own.';

create function private.edits_all_customers() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select private.team_role()) in ('admin', 'manager'), false)
$$;

create function private.is_agent() returns boolean
language sql stable security definer set search_path = '' as $$
  select coalesce((select private.team_role()) = 'agent', false)
$$;

create function private.is_team_member() returns boolean
language sql stable security definer set search_path = '' as $$
  select (select private.team_role()) is not null
$$;

alter table public.team_members enable row level security;
create policy "team members see the team" on public.team_members for select to authenticated
  using ((select private.is_team_member()));
create policy "admins add team members" on public.team_members for insert to authenticated
  with check ((select private.is_admin()));
create policy "admins change team members" on public.team_members for update to authenticated
  using ((select private.is_admin())) with check ((select private.is_admin()));
create policy "members edit their own profile" on public.team_members for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
create policy "admins remove team members" on public.team_members for delete to authenticated
  using ((select private.is_admin()));

create function private.guard_team_member_self_edit() returns trigger
language plpgsql set search_path = '' as $$
begin
  -- A member may edit their own name, avatar, time zone and language, never their role,
  -- email or active flag; only an admin (or the service role) changes those.
  if (select auth.role()) = 'authenticated' and not (select private.is_admin())
     and (new.role, new.email, new.active, new.user_id) is distinct from (old.role, old.email, old.active, old.user_id) then
    raise exception 'only an admin can change a team member''s role, email or active status'
      using errcode = '42501';
  end if;
  return new;
end;
$$;
create trigger guard_self_edit before update on public.team_members
  for each row execute function private.guard_team_member_self_edit();

-- ─── Audit trail ─────────────────────────────────────────────────────────────────────────────

create table public.audit_log (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null default now(),
  actor_id uuid,
  actor_role text not null,
  action text not null check (action in ('INSERT', 'UPDATE', 'DELETE')),
  table_name text not null,
  row_id text not null,
  before jsonb,
  after jsonb
);
comment on table public.audit_log is 'Every write to a business table: who (auth user, or the database role for the system), what, before and after. Append-only.';
create index audit_log_row_idx on public.audit_log (table_name, row_id, occurred_at desc);
create index audit_log_actor_idx on public.audit_log (actor_id, occurred_at desc);
create index audit_log_occurred_at_idx on public.audit_log (occurred_at desc);

alter table public.audit_log enable row level security;
create policy "admins read the audit log" on public.audit_log for select to authenticated
  using ((select private.is_admin()));
revoke insert, update, delete, truncate on public.audit_log from anon, authenticated, service_role;

create function private.record_audit() returns trigger
language plpgsql security definer set search_path = '' as $$
declare
  -- Trigger arguments: the key column (default id), then columns never copied into the log (secrets).
  key_column text := coalesce(tg_argv[0], 'id');
  -- customer_owner_id is derived (kept equal to the customer's owner), so it is never logged.
  hidden text[] := coalesce(tg_argv[1:], '{}') || '{customer_owner_id}';
  old_row jsonb := case when tg_op in ('UPDATE', 'DELETE') then to_jsonb(old) - hidden end;
  new_row jsonb := case when tg_op in ('INSERT', 'UPDATE') then to_jsonb(new) - hidden end;
begin
  if tg_op = 'UPDATE' and old_row = new_row then
    return null;
  end if;
  insert into public.audit_log (actor_id, actor_role, action, table_name, row_id, before, after)
  values (
    (select auth.uid()),
    coalesce((select auth.role()), current_user),
    tg_op,
    tg_table_name,
    coalesce(new_row, old_row) ->> key_column,
    old_row,
    new_row
  );
  return null;
end;
$$;
comment on function private.record_audit() is 'Generic audit trigger: attach AFTER INSERT OR UPDATE OR DELETE FOR EACH ROW. Arguments: the key column (default id), then columns to leave out (secrets).';

create trigger record_audit after insert or update or delete on public.team_members
  for each row execute function private.record_audit('user_id');

create table public.export_log (
  id bigint generated always as identity primary key,
  exported_at timestamptz not null default now(),
  actor_id uuid not null default auth.uid() references public.team_members (user_id),
  kind text not null check (length(kind) between 1 and 100),
  filters jsonb not null default '{}',
  row_count integer not null check (row_count >= 0)
);
comment on table public.export_log is 'Every data export (CSV and the like): who, what, with which filters, how many rows.';
create index export_log_actor_idx on public.export_log (actor_id, exported_at desc);
alter table public.export_log enable row level security;
create policy "admins read the export log" on public.export_log for select to authenticated
  using ((select private.is_admin()));
create policy "team members log their own exports" on public.export_log for insert to authenticated
  with check (actor_id = (select auth.uid()) and (select private.is_team_member()));
revoke update, delete, truncate on public.export_log from anon, authenticated, service_role;

-- Helpers are callable by the API roles (policies run as them), nothing else in private is.
revoke execute on all functions in schema private from public;
grant execute on function private.team_role(), private.is_admin(), private.sees_all_customers(),
  private.edits_all_customers(), private.is_agent(), private.is_team_member(),
  private.is_time_zone(text), private.is_email(text)
  to anon, authenticated, service_role;

-- ─── Reference rows (generated by scripts/generate-reference-data.ts) ────────────────────────

insert into public.countries (code, name) values
  ('AD', 'Andorra'),
  ('AE', 'United Arab Emirates'),
  ('AF', 'Afghanistan'),
  ('AG', 'Antigua and Barbuda'),
  ('AI', 'Anguilla'),
  ('AL', 'Albania'),
  ('AM', 'Armenia'),
  ('AO', 'Angola'),
  ('AQ', 'Antarctica'),
  ('AR', 'Argentina'),
  ('AS', 'American Samoa'),
  ('AT', 'Austria'),
  ('AU', 'Australia'),
  ('AW', 'Aruba'),
  ('AX', 'Åland Islands'),
  ('AZ', 'Azerbaijan'),
  ('BA', 'Bosnia and Herzegovina'),
  ('BB', 'Barbados'),
  ('BD', 'Bangladesh'),
  ('BE', 'Belgium'),
  ('BF', 'Burkina Faso'),
  ('BG', 'Bulgaria'),
  ('BH', 'Bahrain'),
  ('BI', 'Burundi'),
  ('BJ', 'Benin'),
  ('BL', 'Saint Barthélemy'),
  ('BM', 'Bermuda'),
  ('BN', 'Brunei Darussalam'),
  ('BO', 'Bolivia'),
  ('BQ', 'Bonaire, Sint Eustatius and Saba'),
  ('BR', 'Brazil'),
  ('BS', 'Bahamas'),
  ('BT', 'Bhutan'),
  ('BV', 'Bouvet Island'),
  ('BW', 'Botswana'),
  ('BY', 'Belarus'),
  ('BZ', 'Belize'),
  ('CA', 'Canada'),
  ('CC', 'Cocos (Keeling) Islands'),
  ('CD', 'Democratic Republic of the Congo'),
  ('CF', 'Central African Republic'),
  ('CG', 'Republic of the Congo'),
  ('CH', 'Switzerland'),
  ('CI', 'Cote d''Ivoire'),
  ('CK', 'Cook Islands'),
  ('CL', 'Chile'),
  ('CM', 'Cameroon'),
  ('CN', 'People''s Republic of China'),
  ('CO', 'Colombia'),
  ('CR', 'Costa Rica'),
  ('CU', 'Cuba'),
  ('CV', 'Cape Verde'),
  ('CW', 'Curaçao'),
  ('CX', 'Christmas Island'),
  ('CY', 'Cyprus'),
  ('CZ', 'Czech Republic'),
  ('DE', 'Germany'),
  ('DJ', 'Djibouti'),
  ('DK', 'Denmark'),
  ('DM', 'Dominica'),
  ('DO', 'Dominican Republic'),
  ('DZ', 'Algeria'),
  ('EC', 'Ecuador'),
  ('EE', 'Estonia'),
  ('EG', 'Egypt'),
  ('EH', 'Western Sahara'),
  ('ER', 'Eritrea'),
  ('ES', 'Spain'),
  ('ET', 'Ethiopia'),
  ('FI', 'Finland'),
  ('FJ', 'Fiji'),
  ('FK', 'Falkland Islands (Malvinas)'),
  ('FM', 'Micronesia, Federated States of'),
  ('FO', 'Faroe Islands'),
  ('FR', 'France'),
  ('GA', 'Gabon'),
  ('GB', 'United Kingdom'),
  ('GD', 'Grenada'),
  ('GE', 'Georgia'),
  ('GF', 'French Guiana'),
  ('GG', 'Guernsey'),
  ('GH', 'Ghana'),
  ('GI', 'Gibraltar'),
  ('GL', 'Greenland'),
  ('GM', 'Republic of The Gambia'),
  ('GN', 'Guinea'),
  ('GP', 'Guadeloupe'),
  ('GQ', 'Equatorial Guinea'),
  ('GR', 'Greece'),
  ('GS', 'South Georgia and the South Sandwich Islands'),
  ('GT', 'Guatemala'),
  ('GU', 'Guam'),
  ('GW', 'Guinea-Bissau'),
  ('GY', 'Guyana'),
  ('HK', 'Hong Kong'),
  ('HM', 'Heard Island and McDonald Islands'),
  ('HN', 'Honduras'),
  ('HR', 'Croatia'),
  ('HT', 'Haiti'),
  ('HU', 'Hungary'),
  ('ID', 'Indonesia'),
  ('IE', 'Ireland'),
  ('IL', 'Israel'),
  ('IM', 'Isle of Man'),
  ('IN', 'India'),
  ('IO', 'British Indian Ocean Territory'),
  ('IQ', 'Iraq'),
  ('IR', 'Islamic Republic of Iran'),
  ('IS', 'Iceland'),
  ('IT', 'Italy'),
  ('JE', 'Jersey'),
  ('JM', 'Jamaica'),
  ('JO', 'Jordan'),
  ('JP', 'Japan'),
  ('KE', 'Kenya'),
  ('KG', 'Kyrgyzstan'),
  ('KH', 'Cambodia'),
  ('KI', 'Kiribati'),
  ('KM', 'Comoros'),
  ('KN', 'Saint Kitts and Nevis'),
  ('KP', 'North Korea'),
  ('KR', 'South Korea'),
  ('KW', 'Kuwait'),
  ('KY', 'Cayman Islands'),
  ('KZ', 'Kazakhstan'),
  ('LA', 'Lao People''s Democratic Republic'),
  ('LB', 'Lebanon'),
  ('LC', 'Saint Lucia'),
  ('LI', 'Liechtenstein'),
  ('LK', 'Sri Lanka'),
  ('LR', 'Liberia'),
  ('LS', 'Lesotho'),
  ('LT', 'Lithuania'),
  ('LU', 'Luxembourg'),
  ('LV', 'Latvia'),
  ('LY', 'Libya'),
  ('MA', 'Morocco'),
  ('MC', 'Monaco'),
  ('MD', 'Moldova, Republic of'),
  ('ME', 'Montenegro'),
  ('MF', 'Saint Martin (French part)'),
  ('MG', 'Madagascar'),
  ('MH', 'Marshall Islands'),
  ('MK', 'The Republic of North Macedonia'),
  ('ML', 'Mali'),
  ('MM', 'Myanmar'),
  ('MN', 'Mongolia'),
  ('MO', 'Macao'),
  ('MP', 'Northern Mariana Islands'),
  ('MQ', 'Martinique'),
  ('MR', 'Mauritania'),
  ('MS', 'Montserrat'),
  ('MT', 'Malta'),
  ('MU', 'Mauritius'),
  ('MV', 'Maldives'),
  ('MW', 'Malawi'),
  ('MX', 'Mexico'),
  ('MY', 'Malaysia'),
  ('MZ', 'Mozambique'),
  ('NA', 'Namibia'),
  ('NC', 'New Caledonia'),
  ('NE', 'Niger'),
  ('NF', 'Norfolk Island'),
  ('NG', 'Nigeria'),
  ('NI', 'Nicaragua'),
  ('NL', 'Netherlands'),
  ('NO', 'Norway'),
  ('NP', 'Nepal'),
  ('NR', 'Nauru'),
  ('NU', 'Niue'),
  ('NZ', 'New Zealand'),
  ('OM', 'Oman'),
  ('PA', 'Panama'),
  ('PE', 'Peru'),
  ('PF', 'French Polynesia'),
  ('PG', 'Papua New Guinea'),
  ('PH', 'Philippines'),
  ('PK', 'Pakistan'),
  ('PL', 'Poland'),
  ('PM', 'Saint Pierre and Miquelon'),
  ('PN', 'Pitcairn'),
  ('PR', 'Puerto Rico'),
  ('PS', 'State of Palestine'),
  ('PT', 'Portugal'),
  ('PW', 'Palau'),
  ('PY', 'Paraguay'),
  ('QA', 'Qatar'),
  ('RE', 'Reunion'),
  ('RO', 'Romania'),
  ('RS', 'Serbia'),
  ('RU', 'Russian Federation'),
  ('RW', 'Rwanda'),
  ('SA', 'Saudi Arabia'),
  ('SB', 'Solomon Islands'),
  ('SC', 'Seychelles'),
  ('SD', 'Sudan'),
  ('SE', 'Sweden'),
  ('SG', 'Singapore'),
  ('SH', 'Saint Helena'),
  ('SI', 'Slovenia'),
  ('SJ', 'Svalbard and Jan Mayen'),
  ('SK', 'Slovakia'),
  ('SL', 'Sierra Leone'),
  ('SM', 'San Marino'),
  ('SN', 'Senegal'),
  ('SO', 'Somalia'),
  ('SR', 'Suriname'),
  ('SS', 'South Sudan'),
  ('ST', 'Sao Tome and Principe'),
  ('SV', 'El Salvador'),
  ('SX', 'Sint Maarten (Dutch part)'),
  ('SY', 'Syrian Arab Republic'),
  ('SZ', 'Eswatini'),
  ('TC', 'Turks and Caicos Islands'),
  ('TD', 'Chad'),
  ('TF', 'French Southern Territories'),
  ('TG', 'Togo'),
  ('TH', 'Thailand'),
  ('TJ', 'Tajikistan'),
  ('TK', 'Tokelau'),
  ('TL', 'Timor-Leste'),
  ('TM', 'Turkmenistan'),
  ('TN', 'Tunisia'),
  ('TO', 'Tonga'),
  ('TR', 'Türkiye'),
  ('TT', 'Trinidad and Tobago'),
  ('TV', 'Tuvalu'),
  ('TW', 'Taiwan, Province of China'),
  ('TZ', 'United Republic of Tanzania'),
  ('UA', 'Ukraine'),
  ('UG', 'Uganda'),
  ('UM', 'United States Minor Outlying Islands'),
  ('US', 'United States of America'),
  ('UY', 'Uruguay'),
  ('UZ', 'Uzbekistan'),
  ('VA', 'Holy See (Vatican City State)'),
  ('VC', 'Saint Vincent and the Grenadines'),
  ('VE', 'Venezuela'),
  ('VG', 'Virgin Islands, British'),
  ('VI', 'Virgin Islands, U.S.'),
  ('VN', 'Vietnam'),
  ('VU', 'Vanuatu'),
  ('WF', 'Wallis and Futuna'),
  ('WS', 'Samoa'),
  ('XK', 'Kosovo'),
  ('YE', 'Yemen'),
  ('YT', 'Mayotte'),
  ('ZA', 'South Africa'),
  ('ZM', 'Zambia'),
  ('ZW', 'Zimbabwe');

insert into public.currencies (code, name, minor_units) values
  ('AED', 'UAE Dirham', 2),
  ('AFN', 'Afghani', 2),
  ('ALL', 'Lek', 2),
  ('AMD', 'Armenian Dram', 2),
  ('ANG', 'Netherlands Antillean Guilder', 2),
  ('AOA', 'Kwanza', 2),
  ('ARS', 'Argentine Peso', 2),
  ('AUD', 'Australian Dollar', 2),
  ('AWG', 'Aruban Florin', 2),
  ('AZN', 'Azerbaijan Manat', 2),
  ('BAM', 'Convertible Mark', 2),
  ('BBD', 'Barbados Dollar', 2),
  ('BDT', 'Taka', 2),
  ('BGN', 'Bulgarian Lev', 2),
  ('BHD', 'Bahraini Dinar', 3),
  ('BIF', 'Burundi Franc', 0),
  ('BMD', 'Bermudian Dollar', 2),
  ('BND', 'Brunei Dollar', 2),
  ('BOB', 'Boliviano', 2),
  ('BOV', 'Mvdol', 2),
  ('BRL', 'Brazilian Real', 2),
  ('BSD', 'Bahamian Dollar', 2),
  ('BTN', 'Ngultrum', 2),
  ('BWP', 'Pula', 2),
  ('BYN', 'Belarusian Ruble', 2),
  ('BZD', 'Belize Dollar', 2),
  ('CAD', 'Canadian Dollar', 2),
  ('CDF', 'Congolese Franc', 2),
  ('CHE', 'WIR Euro', 2),
  ('CHF', 'Swiss Franc', 2),
  ('CHW', 'WIR Franc', 2),
  ('CLF', 'Unidad de Fomento', 4),
  ('CLP', 'Chilean Peso', 0),
  ('CNY', 'Yuan Renminbi', 2),
  ('COP', 'Colombian Peso', 2),
  ('COU', 'Unidad de Valor Real', 2),
  ('CRC', 'Costa Rican Colon', 2),
  ('CUC', 'Peso Convertible', 2),
  ('CUP', 'Cuban Peso', 2),
  ('CVE', 'Cabo Verde Escudo', 2),
  ('CZK', 'Czech Koruna', 2),
  ('DJF', 'Djibouti Franc', 0),
  ('DKK', 'Danish Krone', 2),
  ('DOP', 'Dominican Peso', 2),
  ('DZD', 'Algerian Dinar', 2),
  ('EGP', 'Egyptian Pound', 2),
  ('ERN', 'Nakfa', 2),
  ('ETB', 'Ethiopian Birr', 2),
  ('EUR', 'Euro', 2),
  ('FJD', 'Fiji Dollar', 2),
  ('FKP', 'Falkland Islands Pound', 2),
  ('GBP', 'Pound Sterling', 2),
  ('GEL', 'Lari', 2),
  ('GHS', 'Ghana Cedi', 2),
  ('GIP', 'Gibraltar Pound', 2),
  ('GMD', 'Dalasi', 2),
  ('GNF', 'Guinean Franc', 0),
  ('GTQ', 'Quetzal', 2),
  ('GYD', 'Guyana Dollar', 2),
  ('HKD', 'Hong Kong Dollar', 2),
  ('HNL', 'Lempira', 2),
  ('HTG', 'Gourde', 2),
  ('HUF', 'Forint', 2),
  ('IDR', 'Rupiah', 2),
  ('ILS', 'New Israeli Sheqel', 2),
  ('INR', 'Indian Rupee', 2),
  ('IQD', 'Iraqi Dinar', 3),
  ('IRR', 'Iranian Rial', 2),
  ('ISK', 'Iceland Krona', 0),
  ('JMD', 'Jamaican Dollar', 2),
  ('JOD', 'Jordanian Dinar', 3),
  ('JPY', 'Yen', 0),
  ('KES', 'Kenyan Shilling', 2),
  ('KGS', 'Som', 2),
  ('KHR', 'Riel', 2),
  ('KMF', 'Comorian Franc ', 0),
  ('KPW', 'North Korean Won', 2),
  ('KRW', 'Won', 0),
  ('KWD', 'Kuwaiti Dinar', 3),
  ('KYD', 'Cayman Islands Dollar', 2),
  ('KZT', 'Tenge', 2),
  ('LAK', 'Lao Kip', 2),
  ('LBP', 'Lebanese Pound', 2),
  ('LKR', 'Sri Lanka Rupee', 2),
  ('LRD', 'Liberian Dollar', 2),
  ('LSL', 'Loti', 2),
  ('LYD', 'Libyan Dinar', 3),
  ('MAD', 'Moroccan Dirham', 2),
  ('MDL', 'Moldovan Leu', 2),
  ('MGA', 'Malagasy Ariary', 2),
  ('MKD', 'Denar', 2),
  ('MMK', 'Kyat', 2),
  ('MNT', 'Tugrik', 2),
  ('MOP', 'Pataca', 2),
  ('MRU', 'Ouguiya', 2),
  ('MUR', 'Mauritius Rupee', 2),
  ('MVR', 'Rufiyaa', 2),
  ('MWK', 'Malawi Kwacha', 2),
  ('MXN', 'Mexican Peso', 2),
  ('MXV', 'Mexican Unidad de Inversion (UDI)', 2),
  ('MYR', 'Malaysian Ringgit', 2),
  ('MZN', 'Mozambique Metical', 2),
  ('NAD', 'Namibia Dollar', 2),
  ('NGN', 'Naira', 2),
  ('NIO', 'Cordoba Oro', 2),
  ('NOK', 'Norwegian Krone', 2),
  ('NPR', 'Nepalese Rupee', 2),
  ('NZD', 'New Zealand Dollar', 2),
  ('OMR', 'Rial Omani', 3),
  ('PAB', 'Balboa', 2),
  ('PEN', 'Sol', 2),
  ('PGK', 'Kina', 2),
  ('PHP', 'Philippine Peso', 2),
  ('PKR', 'Pakistan Rupee', 2),
  ('PLN', 'Zloty', 2),
  ('PYG', 'Guarani', 0),
  ('QAR', 'Qatari Rial', 2),
  ('RON', 'Romanian Leu', 2),
  ('RSD', 'Serbian Dinar', 2),
  ('RUB', 'Russian Ruble', 2),
  ('RWF', 'Rwanda Franc', 0),
  ('SAR', 'Saudi Riyal', 2),
  ('SBD', 'Solomon Islands Dollar', 2),
  ('SCR', 'Seychelles Rupee', 2),
  ('SDG', 'Sudanese Pound', 2),
  ('SEK', 'Swedish Krona', 2),
  ('SGD', 'Singapore Dollar', 2),
  ('SHP', 'Saint Helena Pound', 2),
  ('SLE', 'Leone', 2),
  ('SOS', 'Somali Shilling', 2),
  ('SRD', 'Surinam Dollar', 2),
  ('SSP', 'South Sudanese Pound', 2),
  ('STN', 'Dobra', 2),
  ('SVC', 'El Salvador Colon', 2),
  ('SYP', 'Syrian Pound', 2),
  ('SZL', 'Lilangeni', 2),
  ('THB', 'Baht', 2),
  ('TJS', 'Somoni', 2),
  ('TMT', 'Turkmenistan New Manat', 2),
  ('TND', 'Tunisian Dinar', 3),
  ('TOP', 'Pa’anga', 2),
  ('TRY', 'Turkish Lira', 2),
  ('TTD', 'Trinidad and Tobago Dollar', 2),
  ('TWD', 'New Taiwan Dollar', 2),
  ('TZS', 'Tanzanian Shilling', 2),
  ('UAH', 'Hryvnia', 2),
  ('UGX', 'Uganda Shilling', 0),
  ('USD', 'US Dollar', 2),
  ('USN', 'US Dollar (Next day)', 2),
  ('UYI', 'Uruguay Peso en Unidades Indexadas (UI)', 0),
  ('UYU', 'Peso Uruguayo', 2),
  ('UYW', 'Unidad Previsional', 4),
  ('UZS', 'Uzbekistan Sum', 2),
  ('VED', 'Bolívar Soberano', 2),
  ('VES', 'Bolívar Soberano', 2),
  ('VND', 'Dong', 0),
  ('VUV', 'Vatu', 0),
  ('WST', 'Tala', 2),
  ('XAF', 'CFA Franc BEAC', 0),
  ('XCD', 'East Caribbean Dollar', 2),
  ('XOF', 'CFA Franc BCEAO', 0),
  ('XPF', 'CFP Franc', 0),
  ('YER', 'Yemeni Rial', 2),
  ('ZAR', 'Rand', 2),
  ('ZMW', 'Zambian Kwacha', 2),
  ('ZWG', 'Zimbabwe Gold', 2);

insert into public.languages (code, name) values
  ('aa', 'Afar'),
  ('ab', 'Abkhaz'),
  ('ae', 'Avestan'),
  ('af', 'Afrikaans'),
  ('ak', 'Akan'),
  ('am', 'Amharic'),
  ('an', 'Aragonese'),
  ('ar', 'Arabic'),
  ('as', 'Assamese'),
  ('av', 'Avaric'),
  ('ay', 'Aymara'),
  ('az', 'Azerbaijani'),
  ('ba', 'Bashkir'),
  ('be', 'Belarusian'),
  ('bg', 'Bulgarian'),
  ('bi', 'Bislama'),
  ('bm', 'Bambara'),
  ('bn', 'Bengali'),
  ('bo', 'Tibetan'),
  ('br', 'Breton'),
  ('bs', 'Bosnian'),
  ('ca', 'Catalan'),
  ('ce', 'Chechen'),
  ('ch', 'Chamorro'),
  ('co', 'Corsican'),
  ('cr', 'Cree'),
  ('cs', 'Czech'),
  ('cu', 'Old Church Slavonic'),
  ('cv', 'Chuvash'),
  ('cy', 'Welsh'),
  ('da', 'Danish'),
  ('de', 'German'),
  ('dv', 'Divehi'),
  ('dz', 'Dzongkha'),
  ('ee', 'Ewe'),
  ('el', 'Greek'),
  ('en', 'English'),
  ('eo', 'Esperanto'),
  ('es', 'Spanish'),
  ('et', 'Estonian'),
  ('eu', 'Basque'),
  ('fa', 'Persian'),
  ('ff', 'Fula'),
  ('fi', 'Finnish'),
  ('fj', 'Fijian'),
  ('fo', 'Faroese'),
  ('fr', 'French'),
  ('fy', 'Western Frisian'),
  ('ga', 'Irish'),
  ('gd', 'Scottish Gaelic'),
  ('gl', 'Galician'),
  ('gn', 'Guaraní'),
  ('gu', 'Gujarati'),
  ('gv', 'Manx'),
  ('ha', 'Hausa'),
  ('he', 'Hebrew'),
  ('hi', 'Hindi'),
  ('ho', 'Hiri Motu'),
  ('hr', 'Croatian'),
  ('ht', 'Haitian'),
  ('hu', 'Hungarian'),
  ('hy', 'Armenian'),
  ('hz', 'Herero'),
  ('ia', 'Interlingua'),
  ('id', 'Indonesian'),
  ('ie', 'Interlingue'),
  ('ig', 'Igbo'),
  ('ii', 'Nuosu'),
  ('ik', 'Inupiaq'),
  ('io', 'Ido'),
  ('is', 'Icelandic'),
  ('it', 'Italian'),
  ('iu', 'Inuktitut'),
  ('ja', 'Japanese'),
  ('jv', 'Javanese'),
  ('ka', 'Georgian'),
  ('kg', 'Kongo'),
  ('ki', 'Kikuyu'),
  ('kj', 'Kwanyama'),
  ('kk', 'Kazakh'),
  ('kl', 'Kalaallisut'),
  ('km', 'Khmer'),
  ('kn', 'Kannada'),
  ('ko', 'Korean'),
  ('kr', 'Kanuri'),
  ('ks', 'Kashmiri'),
  ('ku', 'Kurdish'),
  ('kv', 'Komi'),
  ('kw', 'Cornish'),
  ('ky', 'Kyrgyz'),
  ('la', 'Latin'),
  ('lb', 'Luxembourgish'),
  ('lg', 'Ganda'),
  ('li', 'Limburgish'),
  ('ln', 'Lingala'),
  ('lo', 'Lao'),
  ('lt', 'Lithuanian'),
  ('lu', 'Luba-Katanga'),
  ('lv', 'Latvian'),
  ('mg', 'Malagasy'),
  ('mh', 'Marshallese'),
  ('mi', 'Māori'),
  ('mk', 'Macedonian'),
  ('ml', 'Malayalam'),
  ('mn', 'Mongolian'),
  ('mr', 'Marathi'),
  ('ms', 'Malay'),
  ('mt', 'Maltese'),
  ('my', 'Burmese'),
  ('na', 'Nauru'),
  ('nb', 'Norwegian Bokmål'),
  ('nd', 'Northern Ndebele'),
  ('ne', 'Nepali'),
  ('ng', 'Ndonga'),
  ('nl', 'Dutch'),
  ('nn', 'Norwegian Nynorsk'),
  ('no', 'Norwegian'),
  ('nr', 'Southern Ndebele'),
  ('nv', 'Navajo'),
  ('ny', 'Chichewa'),
  ('oc', 'Occitan'),
  ('oj', 'Ojibwe'),
  ('om', 'Oromo'),
  ('or', 'Oriya'),
  ('os', 'Ossetian'),
  ('pa', 'Panjabi'),
  ('pi', 'Pāli'),
  ('pl', 'Polish'),
  ('ps', 'Pashto'),
  ('pt', 'Portuguese'),
  ('qu', 'Quechua'),
  ('rm', 'Romansh'),
  ('rn', 'Kirundi'),
  ('ro', 'Romanian'),
  ('ru', 'Russian'),
  ('rw', 'Kinyarwanda'),
  ('sa', 'Sanskrit'),
  ('sc', 'Sardinian'),
  ('sd', 'Sindhi'),
  ('se', 'Northern Sami'),
  ('sg', 'Sango'),
  ('si', 'Sinhala'),
  ('sk', 'Slovak'),
  ('sl', 'Slovenian'),
  ('sm', 'Samoan'),
  ('sn', 'Shona'),
  ('so', 'Somali'),
  ('sq', 'Albanian'),
  ('sr', 'Serbian'),
  ('ss', 'Swati'),
  ('st', 'Southern Sotho'),
  ('su', 'Sundanese'),
  ('sv', 'Swedish'),
  ('sw', 'Swahili'),
  ('ta', 'Tamil'),
  ('te', 'Telugu'),
  ('tg', 'Tajik'),
  ('th', 'Thai'),
  ('ti', 'Tigrinya'),
  ('tk', 'Turkmen'),
  ('tl', 'Tagalog'),
  ('tn', 'Tswana'),
  ('to', 'Tonga'),
  ('tr', 'Turkish'),
  ('ts', 'Tsonga'),
  ('tt', 'Tatar'),
  ('tw', 'Twi'),
  ('ty', 'Tahitian'),
  ('ug', 'Uyghur'),
  ('uk', 'Ukrainian'),
  ('ur', 'Urdu'),
  ('uz', 'Uzbek'),
  ('ve', 'Venda'),
  ('vi', 'Vietnamese'),
  ('vo', 'Volapük'),
  ('wa', 'Walloon'),
  ('wo', 'Wolof'),
  ('xh', 'Xhosa'),
  ('yi', 'Yiddish'),
  ('yo', 'Yoruba'),
  ('za', 'Zhuang'),
  ('zh', 'Chinese'),
  ('zu', 'Zulu');
