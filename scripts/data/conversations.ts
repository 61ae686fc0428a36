/**
 * Scale conversations for benchmarks (issue 14): message threads over the customers already
 * loaded, `perThread` messages each (inbound and outbound taking turns, the latest reply unread in
 * a share of threads), and one long thread of `longThread` messages for the thread-opening
 * benchmark. Set-based SQL with triggers off (session_replication_role = replica, as
 * `generate` loads), then the thread state the database keeps (last_*_at, unread_count,
 * first_inbound_at, first_response_at) computed in one pass, as private.refresh_thread_state
 * defines it. `customer_owner_id` (what the agents' policies compare, kept by triggers) is written
 * with the rows.
 */
import type pg from 'pg';

export interface ConversationOptions {
  messages: number;
  perThread: number;
  longThread: number;
}

export interface LoadedConversations {
  threads: number;
  messages: number;
  /** The long thread: its id, its customer, the customer's owner, its reply token. */
  longThread: { id: string; customerId: string; ownerId: string | null; replyToken: string };
}

export async function generateConversations(
  client: pg.Client,
  options: ConversationOptions,
): Promise<LoadedConversations> {
  // Two threads in three end with our answer (perThread − 1 messages), one in three with an unread reply.
  const threads = Math.max(1, Math.round(options.messages / (options.perThread - 2 / 3)));
  await client.query(`set session_replication_role = replica; set synchronous_commit = off`);
  try {
    await client.query(
      `create temporary table bench_threads on commit preserve rows as
       with c as (select id, owner_id, email, row_number() over (order by id) - 1 as rn from public.customers),
            n as (select count(*) as n from c)
       select gen_random_uuid() as id, c.id as customer_id, c.owner_id, coalesce(c.email, 'customer@scale.cairn.test') as email, g
       from generate_series(0, $1::int - 1) as g
       cross join n
       join c on c.rn = g % n.n`,
      [threads],
    );
    await client.query(
      `insert into public.message_threads (id, customer_id, customer_owner_id, subject, status, assignee_id, created_by,
                                           created_at, updated_at)
       select id, customer_id, owner_id, 'Question ' || g, case when g % 5 = 0 then 'closed' else 'open' end::public.thread_status,
              case when g % 2 = 0 then owner_id end, null,
              now() - make_interval(mins => g), now() - make_interval(mins => g)
       from bench_threads`,
    );
    // Alternating directions, oldest first; in every third thread the customer wrote last and
    // nobody has read it yet.
    await client.query(
      `insert into public.messages (thread_id, customer_id, customer_owner_id, direction, from_address, to_address,
                                    subject, body_text, status, created_at, updated_at, read_at, sent_at)
       select t.id, t.customer_id, t.owner_id,
              case when k % 2 = 1 then 'inbound' else 'outbound' end::public.communication_direction,
              case when k % 2 = 1 then t.email else 'team@scale.cairn.test' end,
              case when k % 2 = 1 then 'team@scale.cairn.test' else t.email end,
              'Question ' || t.g,
              'Message ' || k || ' of a scale conversation about an order, sizes and delivery times.',
              case when k % 2 = 1 then 'delivered' else 'opened' end::public.message_status,
              now() - make_interval(mins => t.g, secs => ($1::int - k) * 60),
              now() - make_interval(mins => t.g, secs => ($1::int - k) * 60),
              case when k % 2 = 1 and not (t.g % 3 = 0 and k = $1::int) then now() - make_interval(mins => t.g) end,
              case when k % 2 = 0 then now() - make_interval(mins => t.g, secs => ($1::int - k) * 60) end
       from bench_threads as t
       cross join generate_series(1, case when t.g % 3 = 0 then $1::int else $1::int - 1 end) as k`,
      [options.perThread],
    );
    const long = (
      await client.query<{ id: string; customer_id: string; owner_id: string | null; reply_token: string }>(
        `select t.id, t.customer_id, b.owner_id, t.reply_token from bench_threads b join public.message_threads t on t.id = b.id
         where b.owner_id is not null and t.status = 'open' order by b.g limit 1`,
      )
    ).rows[0];
    await client.query(
      `insert into public.messages (thread_id, customer_id, customer_owner_id, direction, from_address, to_address,
                                    subject, body_text, status, created_at, updated_at, read_at)
       select $1, $2, $4::uuid, case when k % 2 = 1 then 'inbound' else 'outbound' end::public.communication_direction,
              'long@scale.cairn.test', 'team@scale.cairn.test', 'A long conversation',
              'Message ' || k || ' of the long conversation.', 'delivered',
              now() - make_interval(days => 30) + make_interval(mins => k), now(),
              case when k % 2 = 1 then now() end
       from generate_series(1, $3::int) as k`,
      [long.id, long.customer_id, options.longThread, long.owner_id],
    );
    await client.query(
      `update public.message_threads as t
       set last_message_at = s.last_message_at, last_inbound_at = s.last_inbound_at,
           last_outbound_at = s.last_outbound_at, unread_count = s.unread_count,
           first_inbound_at = s.first_inbound_at,
           first_response_at = s.first_response_at,
           closed_at = case when t.status = 'closed' then s.last_message_at end
       from (
         select m.thread_id,
                max(m.created_at) as last_message_at,
                max(m.created_at) filter (where m.direction = 'inbound') as last_inbound_at,
                max(m.created_at) filter (where m.direction = 'outbound' and m.status <> 'failed') as last_outbound_at,
                count(*) filter (where m.direction = 'inbound' and m.read_at is null)::integer as unread_count,
                min(m.created_at) filter (where m.direction = 'inbound') as first_inbound_at,
                min(m.created_at) filter (where m.direction = 'outbound' and m.status <> 'failed') as first_response_at
         from public.messages as m
         where m.thread_id in (select id from bench_threads)
         group by m.thread_id
       ) as s
       where t.id = s.thread_id`,
    );
    await client.query(`drop table bench_threads`);
    await client.query(`analyze public.message_threads; analyze public.messages`);
    const counted = (
      await client.query<{ threads: string; messages: string }>(
        `select (select count(*) from public.message_threads) as threads, (select count(*) from public.messages) as messages`,
      )
    ).rows[0];
    return {
      threads: Number(counted.threads),
      messages: Number(counted.messages),
      longThread: { id: long.id, customerId: long.customer_id, ownerId: long.owner_id, replyToken: long.reply_token },
    };
  } finally {
    await client.query(`set session_replication_role = origin`);
  }
}
