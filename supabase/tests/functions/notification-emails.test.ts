/**
 * Notification emails end to end (issue 15): a due task whose assignee chose `email_now` for
 * reminders → send_task_reminders → the outbox → the notification-emails function → SendGrid's
 * API on the mail catcher, once; and the daily digest of `email_digest` kinds at 08:00 in the
 * member's time zone and language, once per local day — however often, concurrently or late the
 * function runs. The outbox and its SQL functions are the system's alone (role matrix).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config, mail } from '@cairn/local-stack/testing.ts';
import { type Cast, createCast, type Persona } from '../../../scripts/testing/support/team.ts';
import { createCustomer } from '../../../scripts/testing/support/commerce.ts';

const functionsUrl = `${config.apiUrl}/functions/v1`;
let cast: Cast;

function run(body: Record<string, unknown> = {}, key = config.serviceRoleKey, headers: Record<string, string> = {}) {
  return fetch(`${functionsUrl}/notification-emails`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, apikey: key, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

async function runOk(body: Record<string, unknown> = {}) {
  const response = await run(body);
  expect(response.status, await response.clone().text()).toBe(200);
  return (await response.json()) as { sent: number };
}

beforeAll(async () => {
  cast = await createCast('notification-emails');
  // The tests keep their own timeline (a digest is due at 08:00 somewhere at any real time).
  await adminSql(
    `select cron.alter_job(jobid, active := false) from cron.job where jobname = 'send-notification-emails'`,
  );
});

afterAll(async () => {
  await adminSql(
    `select cron.alter_job(jobid, active := true) from cron.job where jobname = 'send-notification-emails'`,
  );
  await cast?.end();
});

describe('a task reminder by email', () => {
  it("goes out once, in the assignee's language and zone, when they want it — the job and the function run twice and at once", async () => {
    const agent = cast.people.agent;
    await adminSql(`update public.team_members set language = 'de', timezone = 'Europe/Berlin' where user_id = $1`, [
      agent.userId,
    ]);
    const chosen = await cast
      .client('agent')
      .from('notification_preferences')
      .insert({ kind: 'task_due', delivery: 'email_now' });
    expect(chosen.error).toBeNull();
    const customer = await createCustomer(agent.userId);
    const [{ id: taskId }] = await adminSql<{ id: string }>(
      `insert into public.activities (customer_id, kind, subject, due_at, assignee_id)
       values ($1, 'task', 'Send the contract', now() - interval '1 minute', $2) returning id`,
      [customer, agent.userId],
    );
    // The manager wants no email for reminders (the default): nothing queued for theirs.
    await adminSql(
      `insert into public.activities (customer_id, kind, subject, due_at, assignee_id)
       values ($1, 'task', 'No email for me', now() - interval '1 minute', $2)`,
      [customer, cast.people.manager.userId],
    );
    await adminSql('select private.send_task_reminders()');
    await adminSql('select private.send_task_reminders()');
    await Promise.all([runOk(), runOk()]);
    await runOk();

    const caught = await mail.list(agent.email);
    expect(caught.map((m) => m.subject)).toEqual(['Erinnerung: Send the contract']);
    expect(caught[0].text).toMatch(/^Hallo agent /);
    expect(caught[0].text).toContain('Aufgabe fällig: Send the contract');
    expect(caught[0].text).toMatch(/Fällig \d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);
    expect(caught[0].text).toContain(`/tasks?task=${taskId}`);
    expect(await mail.list(cast.people.manager.email)).toEqual([]);
    const [row] = await adminSql<{ state: string; emailed: boolean }>(
      `select e.state, n.emailed_at is not null as emailed from public.notification_emails e
       join public.notifications n on n.id = e.notification_id where n.data ->> 'activity_id' = $1`,
      [taskId],
    );
    expect(row).toEqual({ state: 'sent', emailed: true });
  });
});

describe('the daily digest', () => {
  /** A Tokyo calendar day at least a day ahead (so notifications made now precede it), and its instants. */
  const day = new Date(Date.now() + 2 * 86_400_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Tokyo' });
  const tokyo = (date: string, time: string) => new Date(`${date}T${time}:00+09:00`).toISOString();
  const nextDay = new Date(Date.parse(`${day}T12:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const frenchDay = (date: string) =>
    new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));

  it("sends at 08:00 in the member's zone, in their language, once a day, with what waited", async () => {
    const manager = cast.people.manager;
    await adminSql(`update public.team_members set language = 'fr', timezone = 'Asia/Tokyo' where user_id = $1`, [
      manager.userId,
    ]);
    await adminSql(
      `insert into public.notification_preferences (user_id, kind, delivery)
       values ($1, 'mention', 'email_digest'), ($1, 'system', 'email_digest')`,
      [manager.userId],
    );
    const notify = (kind: string, title: string) =>
      adminSql(`select private.notify($1, $2::public.notification_kind, $3, null, '/tasks')`, [
        manager.userId,
        kind,
        title,
      ]);
    await notify('mention', 'Mentioned on Ada');
    await notify('system', 'Import finished');
    await notify('new_order', 'New order #1'); // in_app only: not in any digest

    await runOk({ now: tokyo(day, '07:59') });
    expect(await mail.list(manager.email)).toEqual([]);

    await Promise.all([runOk({ now: tokyo(day, '08:00') }), runOk({ now: tokyo(day, '08:00') })]);
    await runOk({ now: tokyo(day, '09:30') });
    let caught = await mail.list(manager.email);
    expect(caught.map((m) => m.subject)).toEqual([`Votre résumé Cairn du ${frenchDay(day)} : 2 notifications`]);
    expect(caught[0].text).toMatch(/^Bonjour manager /);
    expect(caught[0].text).toContain('Vous êtes mentionné: Mentioned on Ada');
    expect(caught[0].text).toContain('Système: Import finished');
    expect(caught[0].text).not.toContain('New order');

    // Later that day: it waits for tomorrow's digest.
    await notify('mention', 'Mentioned again');
    await runOk({ now: tokyo(day, '20:00') });
    expect(await mail.list(manager.email)).toHaveLength(1);
    await runOk({ now: tokyo(nextDay, '08:05') });
    caught = await mail.list(manager.email);
    expect(caught).toHaveLength(2);
    const second = caught.find((m) => m.subject.includes(frenchDay(nextDay)));
    expect(second?.subject).toBe(`Votre résumé Cairn du ${frenchDay(nextDay)} : 1 notification`);
    expect(second?.text).toContain('Mentioned again');
    expect(second?.text).not.toContain('Mentioned on Ada');
    const [left] = await adminSql<{ pending: number }>(
      `select count(*)::int as pending from public.notifications where recipient_id = $1 and email_pending`,
      [manager.userId],
    );
    expect(left.pending).toBe(0);
  });
});

describe('who may run it and read its outbox', () => {
  it('refuses anonymous and signed-in callers, a schedule that sets the time, and a bad body', async () => {
    expect((await run({}, config.anonKey)).status).toBe(403);
    const { data } = await cast.people.admin.client.auth.getSession();
    const asAdmin = await run({}, data.session?.access_token ?? '');
    expect(asAdmin.status).toBe(403);
    const [{ secret }] = await adminSql<{ secret: string }>(
      `select decrypted_secret as secret from vault.decrypted_secrets where name = 'cron_secret'`,
    );
    expect((await run({ source: 'cron' }, config.anonKey, { 'X-Cron-Secret': secret })).status).toBe(200);
    const faked = await run({ now: new Date().toISOString() }, config.anonKey, { 'X-Cron-Secret': secret });
    expect(faked.status).toBe(403);
    for (const bad of [{ now: 'tomorrow' }, { batch_size: 0 }, { surprise: 1 }]) {
      const response = await run(bad);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBeTruthy();
    }
    const [job] = await adminSql<{ schedule: string; command: string }>(
      `select schedule, command from cron.job where jobname = 'send-notification-emails'`,
    );
    expect(job.schedule).toBe('* * * * *');
    expect(job.command).toContain(`private.call_scheduled_function('send-notification-emails', 'notification-emails'`);
  });

  it('no role but the service role reads or writes notification_emails or calls its functions', async () => {
    const personas: Array<Persona | 'anon'> = ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'];
    for (const persona of personas) {
      const client = cast.client(persona);
      const read = await client.from('notification_emails').select('id').limit(1);
      expect(read.error?.code, persona).toBe('42501');
      const write = await client
        .from('notification_emails')
        .insert({ recipient_id: cast.people.agent.userId, digest_date: '2026-01-01' });
      expect(write.error?.code, persona).toBe('42501');
      const claim = await client.rpc('claim_notification_emails', {});
      expect(claim.error?.code, persona).toBe('42501');
      const record = await client.rpc('record_notification_emails', { results: [] });
      expect(record.error?.code, persona).toBe('42501');
    }
    const service = await cast.client('service_role').from('notification_emails').select('id').limit(1);
    expect(service.error).toBeNull();
  });
});
