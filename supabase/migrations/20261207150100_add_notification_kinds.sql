-- Notification kinds for the notification centre (issue 15)
--
-- Owns: the new values of public.notification_kind. In a file of their own because a value
-- added to an enum cannot be used in the transaction that adds it; the triggers and helpers that
-- use them are in 20261207150200_create_notification_preferences.sql.
--   deal_lost          a deal I own was closed as lost (deal_won exists already)
--   customer_assigned  a customer was handed to me
--   customer_reply     a customer wrote to a thread I am assigned to, or to my customer
--   email_bounced      an email to my customer bounced (SendGrid event)
--   integration_failed a sync or webhook job failed (admins)

alter type public.notification_kind add value if not exists 'deal_lost';
alter type public.notification_kind add value if not exists 'customer_assigned';
alter type public.notification_kind add value if not exists 'customer_reply';
alter type public.notification_kind add value if not exists 'email_bounced';
alter type public.notification_kind add value if not exists 'integration_failed';

comment on type public.notification_kind is 'What happened: new_order (for my customer), task_assigned, task_due (a task''s reminder), mention, delivery_failed (a message could not be sent), deal_won, deal_lost, customer_assigned, customer_reply (inbound message), email_bounced, integration_failed (admins), system.';
