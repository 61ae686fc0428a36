/**
 * Scale data for the pipeline, My tasks and the notification centre (issue 15): open deals over
 * both seeded pipelines, tasks assigned to the customers' owners (due from a month ago to two
 * months ahead, 30 % done) and notifications for the team (95 % read, over 90 days). Set-based
 * inserts from generate_series over the customers already loaded, with triggers off as in
 * generate.ts (the caller's session), so nothing notifies or audits during the load; the
 * database-kept columns (amount_base, stage_entered_at, customer_owner_id) are written as the
 * triggers would.
 */
import type pg from 'pg';

export interface PipelineDataOptions {
  deals: number;
  tasks: number;
  notifications: number;
}

export async function generatePipelineData(client: pg.Client, options: PipelineDataOptions): Promise<void> {
  const customers = `(select id, owner_id, row_number() over (order by id) as rn from public.customers where owner_id is not null)`;
  if (options.deals > 0) {
    await client.query(
      `with c as ${customers}, n as (select count(*) as n from c),
         s as (select array_agg(id order by pipeline_id, position) as ids, array_agg(probability order by pipeline_id, position) as p
               from public.deal_stages where not is_won and not is_lost)
       insert into public.deals (customer_id, title, stage_id, amount, currency, amount_base, probability, expected_close,
         owner_id, position, stage_entered_at, customer_owner_id, created_at, updated_at)
       select c.id, 'Deal ' || g, s.ids[1 + g % cardinality(s.ids)], a.amount, private.base_currency(), a.amount,
         s.p[1 + g % cardinality(s.ids)], current_date + (g % 150 - 20), c.owner_id, (g / cardinality(s.ids)) * 1024.0,
         now() - (g % 45) * interval '1 day', c.owner_id, now() - (g % 90) * interval '1 day', now()
       from generate_series(1, $1::int) g
       cross join n cross join s
       join c on c.rn = 1 + (g::bigint * 7919) % n.n
       cross join lateral (select round((200 + (g * 37) % 20000)::numeric, 2) as amount) a`,
      [options.deals],
    );
  }
  if (options.tasks > 0) {
    await client.query(
      `with c as ${customers}, n as (select count(*) as n from c)
       insert into public.activities (customer_id, kind, subject, due_at, completed_at, assignee_id, author_id,
         customer_owner_id, created_at, updated_at)
       select c.id, 'task', 'Follow up ' || g,
         now() + ((g % 90) - 30) * interval '1 day' + (g % 24) * interval '1 hour',
         case when g % 10 < 3 then now() - (g % 20) * interval '1 day' end,
         c.owner_id, c.owner_id, c.owner_id, now() - interval '40 days', now() - interval '40 days'
       from generate_series(1, $1::int) g
       cross join n
       join c on c.rn = 1 + (g::bigint * 104729) % n.n`,
      [options.tasks],
    );
  }
  if (options.notifications > 0) {
    await client.query(
      `with t as (select array_agg(user_id order by user_id) as ids from public.team_members where active)
       insert into public.notifications (recipient_id, kind, title, body, link, data, read_at, created_at)
       select t.ids[1 + g % cardinality(t.ids)],
         (array['new_order', 'task_assigned', 'task_due', 'deal_won', 'customer_assigned', 'customer_reply']::public.notification_kind[])[1 + g % 6],
         'Notification ' || g, null, '/tasks', '{}',
         case when g % 20 <> 0 then now() - (g % 90) * interval '1 day' + interval '1 hour' end,
         now() - (g % 90) * interval '1 day'
       from generate_series(1, $1::int) g cross join t`,
      [options.notifications],
    );
  }
}
