-- How many customers read each language (issue 14: the template lint).
--
-- Owns `public.customer_languages()`: the template editor warns about a missing variant with the
-- number of customers it concerns ("312 customers read German"). Caller's rights, so each member
-- counts the customers they may see; customers without a language count under the workspace
-- default (what render_template falls back to).

create function public.customer_languages()
returns table (language text, customers bigint)
language sql stable security invoker set search_path = '' as $$
  select coalesce(c.language, (select s.default_language from public.workspace_settings as s)) as language,
         count(*) as customers
  from public.customers as c
  group by 1
  order by 2 desc, 1
$$;
comment on function public.customer_languages() is 'Customers per language (those without one under the workspace default language), counted as the caller: for the template editor''s "missing variant" warnings.';
revoke execute on function public.customer_languages() from public, anon;
grant execute on function public.customer_languages() to authenticated, service_role;
