-- A notification can also go out by email at once (issue 15: "a reminder notification — and an
-- email if the member wants").
--
-- Owns: the `email_now` value of public.notification_delivery. Its own migration: an enum value
-- cannot be used in the transaction that adds it (the outbox that reads it is 20261208130100).

alter type public.notification_delivery add value if not exists 'email_now' after 'in_app';
comment on type public.notification_delivery is 'How a member hears about a kind of notification: in_app (the bell, the default), email_now (the bell and an email at once, e.g. task reminders), email_digest (the bell and the daily email digest), off (not at all).';
