-- Task types, and tasks linked to the deal or conversation they were made from (issue 15: "My
-- tasks … filters by customer and type"; "tasks can be created from the board, the 360, the
-- inbox and the notification itself").
--
-- Owns: public.task_type, activities.task_type (tasks only; a new task without one is a to-do),
-- activities.deal_id and activities.thread_id (optional links, always to the task's own
-- customer's deal or thread: checked by trigger `check_activity_links`, whoever writes), and
-- the index My tasks reads by type.
--
-- Who may do what: unchanged — whoever may write the activity (its policies) sets these columns;
-- a link to a deal or thread the writer could not see is refused like one of another customer
-- (the trigger reads as the definer, so it does not tell which).

create type public.task_type as enum ('to_do', 'call', 'email', 'meeting', 'follow_up', 'deadline');
comment on type public.task_type is 'What kind of work a task is: to_do (the default), call, email, meeting, follow_up, deadline.';

alter table public.activities
  add column task_type public.task_type,
  add column deal_id uuid references public.deals (id) on delete set null,
  add column thread_id uuid references public.message_threads (id) on delete set null,
  add constraint activities_task_type_only_for_tasks check (task_type is null or kind = 'task');
comment on column public.activities.task_type is 'A task''s type (call, email, meeting, follow-up…); null on other activities; set to to_do when a task is written without one.';
comment on column public.activities.deal_id is 'The deal the activity is about (a task made from a pipeline card); the same customer''s deal.';
comment on column public.activities.thread_id is 'The conversation the activity is about (a task made from the inbox); the same customer''s thread.';

update public.activities set task_type = 'to_do' where kind = 'task' and task_type is null;

grant insert (task_type, deal_id, thread_id), update (task_type, deal_id, thread_id) on public.activities to authenticated;

create index activities_deal_idx on public.activities (deal_id) where deal_id is not null;
create index activities_thread_idx on public.activities (thread_id) where thread_id is not null;
create index activities_my_tasks_by_type_idx on public.activities (assignee_id, task_type, completed_at, due_at, id)
  where kind = 'task';

create function private.check_activity_links() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if new.kind = 'task' and new.task_type is null then
    new.task_type := 'to_do';
  elsif new.kind <> 'task' and tg_op = 'UPDATE' and old.kind = 'task' then
    new.task_type := null; -- a task turned into another kind of activity loses its type
  end if;
  if new.deal_id is not null and (tg_op = 'INSERT' or new.deal_id is distinct from old.deal_id or new.customer_id is distinct from old.customer_id)
     and not exists (select 1 from public.deals d where d.id = new.deal_id and d.customer_id = new.customer_id) then
    raise exception 'the deal is not one of this customer''s deals' using errcode = '23514';
  end if;
  if new.thread_id is not null and (tg_op = 'INSERT' or new.thread_id is distinct from old.thread_id or new.customer_id is distinct from old.customer_id)
     and not exists (select 1 from public.message_threads t where t.id = new.thread_id and t.customer_id = new.customer_id) then
    raise exception 'the conversation is not one of this customer''s conversations' using errcode = '23514';
  end if;
  return new;
end;
$$;
comment on function private.check_activity_links() is 'Makes a task without a type a to-do (and drops the type of a task turned into another kind), and refuses a deal or conversation link to another customer''s deal or thread (23514).';
create trigger check_links before insert or update of task_type, deal_id, thread_id, customer_id, kind on public.activities
  for each row execute function private.check_activity_links();
