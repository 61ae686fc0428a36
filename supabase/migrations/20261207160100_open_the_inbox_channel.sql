-- The team inbox's realtime channel (issue 14).
--
-- The inbox (and a customer's Messages tab) listens to postgres_changes on message_threads and
-- messages through a private channel of the member's own, `inbox:<their user id>`: Realtime lets
-- a caller join a private channel only when a policy on realtime.messages allows it. Which rows
-- arrive is decided by the tables' own select policies, evaluated as the member, so the channel
-- needs no rule about customers. Nothing is broadcast on it: no insert policy, nobody may write.

create policy "team members join their own inbox channel" on realtime.messages
  for select to authenticated
  using (
    (select private.is_team_member())
    and realtime.topic() = 'inbox:' || (select auth.uid())::text
  );
