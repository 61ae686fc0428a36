-- Affiliate feeds may be XML too (issue 12: "CSV or XML URL"): Google Shopping's RSS and the
-- product XML most affiliate networks send, read by the affiliate-feeds function (parse.ts).
-- Owns only the format check of public.affiliate_feeds (20261208170000 allowed csv and json).

alter table public.affiliate_feeds drop constraint affiliate_feeds_format_check;
alter table public.affiliate_feeds add constraint affiliate_feeds_format_check check (format in ('csv', 'json', 'xml'));

comment on column public.affiliate_feeds.format is 'How the feed is written: csv, json or xml (repeated <item>, <product>, <entry> or <offer> elements).';
