/**
 * Alert emails end to end (issue 5): catalogue changes → check-alerts (the SQL engine + SendGrid
 * through the mail catcher) → the shopper's inbox → one-click unsubscribe → SendGrid's signed
 * events back into alert_log, the suppression list and revenue from alerts.
 *
 * Time: the engine takes `now` from the request body (service role only), so quiet hours and
 * the daily cap are tested at fixed instants; the 5-minute cron job is paused meanwhile so the
 * only runs are the ones the tests make (its schedule is asserted first).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signLocalSendGridEvents } from '@cairn/local-stack/mail/event-webhook-key.ts';
import { createOrder, createProduct } from '../../../scripts/testing/support/commerce.ts';
import { launchBrowser, startApp } from '../../../scripts/testing/support/browser.ts';
import { adminSql, type CaughtMail, config, mail, uniqueEmail } from '@cairn/local-stack/testing.ts';
import { createCast } from '../../../scripts/testing/support/team.ts';

const functionsUrl = `${config.apiUrl}/functions/v1`;
/** A fixed instant: noon in UTC (outside the default 21:00–08:00 quiet hours). */
const NOON = '2030-01-15T12:00:00.000Z';
const plusHours = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

interface CheckResult {
  check: { events: number; queued: number; suppressed: number } | null;
  claimed: number;
  sent: number;
  failed: number;
}

/** `now: null` sends no time at all (what the cron job does). */
function checkAlerts(now: string | null, key = config.serviceRoleKey): Promise<Response> {
  return fetch(`${functionsUrl}/check-alerts`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, apikey: key, 'Content-Type': 'application/json' },
    body: JSON.stringify(now === null ? {} : { now }),
  });
}

async function runCheck(now = NOON): Promise<CheckResult> {
  const response = await checkAlerts(now);
  const body = (await response.json()) as CheckResult;
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body;
}

async function createShopper(
  options: { consent?: 'granted' | 'withdrawn' | 'none'; timezone?: string; language?: string } = {},
): Promise<{ id: string; email: string }> {
  const email = uniqueEmail('shopper');
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, last_name, email, timezone, language, source)
     values ('Ana', 'Test', $1, $2, $3, 'portal') returning id`,
    [email, options.timezone ?? 'UTC', options.language ?? 'en'],
  );
  const consent = options.consent ?? 'granted';
  if (consent !== 'none') {
    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source, occurred_at)
       values ($1, 'email', 'alerts', 'granted', 'signup_form', now() - interval '1 day')`,
      [id],
    );
  }
  if (consent === 'withdrawn') {
    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source)
       values ($1, 'email', 'alerts', 'withdrawn', 'portal')`,
      [id],
    );
  }
  return { id, email };
}

async function favourite(customerId: string, variantId: string): Promise<void> {
  await adminSql(`insert into public.favorites (customer_id, variant_id) values ($1, $2)`, [customerId, variantId]);
}

async function setVariant(variantId: string, fields: { price?: number; inventory?: number }): Promise<void> {
  await adminSql(
    `update public.product_variants set price = coalesce($2, price), inventory_quantity = coalesce($3, inventory_quantity) where id = $1`,
    [variantId, fields.price ?? null, fields.inventory ?? null],
  );
}

interface AlertRow {
  id: string;
  kind: string;
  state: string;
  reason: string | null;
  message_id: string | null;
  not_before: Date;
  sent_at: Date | null;
  opened_at: Date | null;
  clicked_at: Date | null;
}
const alertsOf = (customerId: string) =>
  adminSql<AlertRow>(`select * from public.alert_log where customer_id = $1 order by id`, [customerId]);

/** Mail to `email` after a moment's grace (so "none" and "still one" are not checked too early). */
async function settledMail(email: string): Promise<CaughtMail[]> {
  await new Promise((resolve) => setTimeout(resolve, 300));
  return mail.list(email);
}

async function waitForCount(email: string, count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await mail.list(email)).length < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} emails to ${email} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function unsubscribeUrlOf(message: CaughtMail): string {
  const url = (message.html ?? '').match(/href="([^"]*\/unsubscribe\?token=[^"]+)"/)?.[1];
  if (!url) throw new Error(`no unsubscribe link in "${message.subject}"`);
  return url.replace(/&amp;/g, '&');
}

beforeAll(async () => {
  const jobs = await adminSql<{ jobid: string; schedule: string; command: string }>(
    `select jobid, schedule, command from cron.job where jobname = 'check-alerts'`,
  );
  expect(jobs).toHaveLength(1);
  // Paused for the tests' own timeline; resumed in afterAll.
  await adminSql(`select cron.alter_job($1, active := false)`, [jobs[0].jobid]);
});

afterAll(async () => {
  await adminSql(`select cron.alter_job(jobid, active := true) from cron.job where jobname = 'check-alerts'`);
});

describe('the schedule', () => {
  /** What the cron job sends: the anon key through the gateway, and the Vault secret. */
  const cronSecret = async () =>
    (
      await adminSql<{ secret: string }>(
        `select decrypted_secret as secret from vault.decrypted_secrets where name = 'cron_secret'`,
      )
    )[0]?.secret;

  function callAs(key: string, body: Record<string, unknown>, secret?: string): Promise<Response> {
    return fetch(`${functionsUrl}/check-alerts`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${key}`,
        apikey: key,
        'Content-Type': 'application/json',
        ...(secret === undefined ? {} : { 'X-Cron-Secret': secret }),
      },
      body: JSON.stringify(body),
    });
  }

  it('posts to check-alerts every 5 minutes through private.call_scheduled_function (URL, key and secret from Vault)', async () => {
    const [job] = await adminSql<{ schedule: string; command: string }>(
      `select schedule, command from cron.job where jobname = 'check-alerts'`,
    );
    expect(job.schedule).toBe('*/5 * * * *');
    expect(job.command).toContain(`private.call_scheduled_function('check-alerts', 'check-alerts'`);
    const [source] = await adminSql<{ body: string }>(
      `select pg_get_functiondef('private.call_scheduled_function(text, text, jsonb, integer)'::regprocedure) as body`,
    );
    for (const name of ['project_url', 'anon_key', 'cron_secret']) expect(source.body).toContain(`'${name}'`);
    expect(await cronSecret()).toMatch(/^.{32,}$/);
  });

  it('refuses anonymous and signed-in callers: only the schedule (its secret) or the service role (review L-5)', async () => {
    const anon = await callAs(config.anonKey, { source: 'cron' });
    expect(anon.status).toBe(403);
    expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    // Even an admin's session is not the schedule.
    const cast = await createCast('alerts-schedule');
    try {
      const { data } = await cast.people.admin.client.auth.getSession();
      const asAdmin = await callAs(data.session?.access_token ?? '', { source: 'cron' });
      expect(asAdmin.status).toBe(403);
    } finally {
      await cast.end();
    }
    const wrong = await callAs(config.anonKey, { source: 'cron' }, 'not-the-secret');
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_token');

    const scheduled = await callAs(config.anonKey, { source: 'cron' }, await cronSecret());
    expect(scheduled.status, await scheduled.clone().text()).toBe(200);
    expect((await callAs(config.serviceRoleKey, {})).status).toBe(200);
  });

  it('answers a failure with a generic error, keeping the database message for the logs', async () => {
    await adminSql(`revoke execute on function public.run_alert_check(timestamptz, integer) from service_role`);
    try {
      const failed = await callAs(config.serviceRoleKey, {});
      expect(failed.status).toBe(500);
      const body = (await failed.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('internal_error');
      expect(body.error.message).not.toMatch(/permission|run_alert_check/);
    } finally {
      await adminSql(`grant execute on function public.run_alert_check(timestamptz, integer) to service_role`);
    }
  });

  it('takes the time, batch size and time budget from the service role only', async () => {
    const secret = await cronSecret();
    const faked = await callAs(config.anonKey, { now: NOON }, secret);
    expect(faked.status).toBe(403);
    expect(((await faked.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    // The schedule's batch size is fixed: a larger one in its body (valid for the service role) is
    // ignored, not refused.
    const big = await callAs(config.anonKey, { source: 'cron', batch_size: 500, max_seconds: 300 }, secret);
    expect(big.status).toBe(200);
    const bad = await fetch(`${functionsUrl}/check-alerts`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${config.serviceRoleKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ now: 'yesterday' }),
    });
    expect(bad.status).toBe(400);
  });
});

describe('back in stock', () => {
  it('a restock sends exactly one email within one check, and re-runs send nothing more', async () => {
    const shopper = await createShopper();
    const { variantId } = await createProduct({ price: 80, inventory: 0 });
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 6 });

    const first = await runCheck();
    expect(first.check?.events).toBeGreaterThanOrEqual(1);
    const message = await mail.waitFor(shopper.email, (m) => m.subject.includes('is back in stock'));
    expect(message.text).toContain('Ana');
    expect(message.headers?.['List-Unsubscribe'] ?? message.headers?.['list-unsubscribe']).toMatch(
      /^<https?:\/\/.+\/functions\/v1\/unsubscribe\?token=/,
    );

    await runCheck();
    await runCheck();
    expect(await settledMail(shopper.email)).toHaveLength(1);
    const alerts = await alertsOf(shopper.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'back_in_stock', state: 'sent' });
    expect(alerts[0].message_id).toBeTruthy();
    // The alert id travels in SendGrid's custom_args, so events find the alert.
    const raw = message.raw as { personalizations: Array<{ custom_args: Record<string, string> }> };
    expect(raw.personalizations[0].custom_args.alert_id).toBe(String(alerts[0].id));
  });

  it('concurrent checks still send one email per shopper', async () => {
    const shoppers = await Promise.all([1, 2, 3, 4].map(() => createShopper()));
    const { variantId } = await createProduct({ price: 50, inventory: 0 });
    for (const shopper of shoppers) await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 3 });
    await Promise.all([runCheck(), runCheck(), runCheck()]);
    for (const shopper of shoppers) {
      await mail.waitFor(shopper.email);
      expect(await settledMail(shopper.email)).toHaveLength(1);
    }
  });

  it('is re-checked before sending: out of stock again means no email, with the reason logged', async () => {
    const shopper = await createShopper({ timezone: 'Asia/Tokyo' });
    const { variantId } = await createProduct({ inventory: 0 });
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 2 });
    // 23:00 in Tokyo: the alert waits for the end of the quiet hours…
    await runCheck('2030-01-20T14:00:00.000Z');
    await setVariant(variantId, { inventory: 0 });
    // …and by 08:00 the variant is sold out again.
    await runCheck('2030-01-20T23:01:00.000Z');
    expect(await settledMail(shopper.email)).toHaveLength(0);
    const [alert] = await alertsOf(shopper.id);
    expect(alert).toMatchObject({ state: 'suppressed', reason: 'out of stock again before sending' });
  });
});

describe('price drop', () => {
  it('a 9 % drop sends nothing, a 10 % drop sends one email', async () => {
    const shopper = await createShopper({ language: 'fr' });
    const { variantId } = await createProduct({ price: 100, inventory: 5 });
    await favourite(shopper.id, variantId);

    await setVariant(variantId, { price: 91 });
    await runCheck();
    expect(await settledMail(shopper.email)).toHaveLength(0);
    expect(await alertsOf(shopper.id)).toHaveLength(0);

    await setVariant(variantId, { price: 90 });
    await runCheck();
    const message = await mail.waitFor(shopper.email);
    // The shopper's language (fr), money in their locale, the saving in percent.
    expect(message.subject).toContain('est à 90,00');
    expect(message.text).toContain('100,00');
    expect(message.text).toContain('−10 %');
    const alerts = await alertsOf(shopper.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'price_drop', state: 'sent' });
  });

  it('re-arms only after the price recovered: a second drop then sends one more', async () => {
    const shopper = await createShopper();
    const { variantId } = await createProduct({ price: 200, inventory: 5 });
    await favourite(shopper.id, variantId);

    await setVariant(variantId, { price: 170 });
    await runCheck();
    await mail.waitFor(shopper.email);
    // Still low, lower even: no new alert (not re-armed).
    await setVariant(variantId, { price: 160 });
    await runCheck();
    expect(await settledMail(shopper.email)).toHaveLength(1);
    // Recovers above the threshold, then drops again: one more.
    await setVariant(variantId, { price: 200 });
    await runCheck();
    await setVariant(variantId, { price: 175 });
    await runCheck();
    await mail.waitFor(shopper.email, (m) => m.subject.includes('175'));
    expect(await settledMail(shopper.email)).toHaveLength(2);
    expect((await alertsOf(shopper.id)).map((a) => a.state)).toEqual(['sent', 'sent']);
  });

  it("uses the shopper's own threshold over the product's and the workspace's", async () => {
    const shopper = await createShopper();
    const { productId, variantId } = await createProduct({ price: 100, inventory: 5 });
    await adminSql(
      `insert into public.product_alert_overrides (product_id, price_drop_threshold_percent) values ($1, 30)`,
      [productId],
    );
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { price: 80 });
    await runCheck();
    expect(await settledMail(shopper.email)).toHaveLength(0); // 20 % < the product's 30 %

    await adminSql(`insert into public.alert_preferences (customer_id, price_drop_threshold_percent) values ($1, 5)`, [
      shopper.id,
    ]);
    await setVariant(variantId, { price: 100 });
    await setVariant(variantId, { price: 94 });
    await runCheck();
    await mail.waitFor(shopper.email); // 6 % ≥ the shopper's own 5 %
  });
});

describe('who gets alerts', () => {
  it('shoppers who opted out, never consented or turned the alert off get none; the log says why', async () => {
    const optedOut = await createShopper({ consent: 'withdrawn' });
    const neverAsked = await createShopper({ consent: 'none' });
    const turnedOff = await createShopper();
    await adminSql(`insert into public.alert_preferences (customer_id, back_in_stock) values ($1, false)`, [
      turnedOff.id,
    ]);
    const { variantId } = await createProduct({ inventory: 0 });
    for (const shopper of [optedOut, neverAsked, turnedOff]) await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 9 });
    await runCheck();

    for (const shopper of [optedOut, neverAsked, turnedOff]) expect(await settledMail(shopper.email)).toHaveLength(0);
    expect((await alertsOf(optedOut.id))[0]).toMatchObject({
      state: 'suppressed',
      reason: 'no email consent for alerts',
    });
    expect((await alertsOf(neverAsked.id))[0]).toMatchObject({
      state: 'suppressed',
      reason: 'no email consent for alerts',
    });
    expect((await alertsOf(turnedOff.id))[0]).toMatchObject({
      state: 'suppressed',
      reason: 'the shopper turned off back-in-stock alerts',
    });
  });

  it('caps alerts per shopper per day across kinds, and sends the rest the next day', async () => {
    const [{ cap }] = await adminSql<{ cap: number }>(`select daily_cap_per_shopper as cap from public.alert_settings`);
    const shopper = await createShopper({ timezone: 'America/New_York' });
    const variants: string[] = [];
    for (let i = 0; i <= cap; i += 1) variants.push((await createProduct({ price: 100, inventory: 0 })).variantId);
    for (const variantId of variants) await favourite(shopper.id, variantId);
    for (const variantId of variants.slice(0, -1)) await setVariant(variantId, { inventory: 4 });
    await setVariant(variants[cap], { price: 50 }); // the last one is a price drop: the cap is across kinds

    const noonNewYork = '2030-02-01T17:00:00.000Z';
    await runCheck(noonNewYork);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mail.list(shopper.email)).toHaveLength(cap);
    const capped = (await alertsOf(shopper.id)).filter((a) => a.state === 'deferred');
    expect(capped).toHaveLength(1);
    expect(capped[0].reason).toMatch(/daily cap/);
    // Waits until the shopper's next day (midnight in New York = 05:00 UTC), never dropped.
    expect(capped[0].not_before.toISOString()).toBe('2030-02-02T05:00:00.000Z');

    await runCheck(plusHours(noonNewYork, 1));
    expect(await settledMail(shopper.email)).toHaveLength(cap);
    await runCheck(plusHours(noonNewYork, 24));
    await waitForCount(shopper.email, cap + 1);
    expect(await settledMail(shopper.email)).toHaveLength(cap + 1);
    expect((await alertsOf(shopper.id)).map((a) => a.state)).toEqual(Array(cap + 1).fill('sent'));
  });

  it("defers during the shopper's quiet hours and delivers when they end", async () => {
    const shopper = await createShopper({ timezone: 'Asia/Tokyo' });
    const { variantId } = await createProduct({ inventory: 0 });
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 1 });

    const elevenPmTokyo = '2030-03-10T14:00:00.000Z';
    await runCheck(elevenPmTokyo);
    expect(await settledMail(shopper.email)).toHaveLength(0);
    const [deferred] = await alertsOf(shopper.id);
    expect(deferred.state).toBe('deferred');
    expect(deferred.reason).toMatch(/quiet hours \(21:00–08:00 Asia\/Tokyo\)/);
    expect(deferred.not_before.toISOString()).toBe('2030-03-10T23:00:00.000Z'); // 08:00 in Tokyo

    await runCheck('2030-03-10T22:59:00.000Z');
    expect(await settledMail(shopper.email)).toHaveLength(0);
    await runCheck('2030-03-10T23:00:30.000Z');
    await mail.waitFor(shopper.email);
    const [sent] = await alertsOf(shopper.id);
    expect(sent.state).toBe('sent');
    // The timeline shows the alert.
    const timeline = await adminSql<{ kind: string; data: { state: string } }>(
      `select kind, data from public.customer_timeline where customer_id = $1 and source = 'alert'`,
      [shopper.id],
    );
    expect(timeline).toEqual([{ kind: 'back_in_stock', data: expect.objectContaining({ state: 'sent' }) }]);
  });
});

describe('one email per variant at a time', () => {
  it('a second restock while the first alert waits out the quiet hours sends one email, not two', async () => {
    const shopper = await createShopper({ timezone: 'Asia/Tokyo' });
    const { variantId } = await createProduct({ inventory: 0 });
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 1 });
    await runCheck('2030-04-01T14:00:00.000Z'); // 23:00 in Tokyo: deferred
    await setVariant(variantId, { inventory: 0 });
    await setVariant(variantId, { inventory: 3 });
    await runCheck('2030-04-01T14:30:00.000Z'); // a new restock event while the first alert waits
    const [waiting, second] = await alertsOf(shopper.id);
    expect(waiting.state).toBe('deferred');
    expect(second).toMatchObject({
      state: 'suppressed',
      reason: 'an earlier alert for this variant is still waiting to be sent',
    });

    await runCheck('2030-04-01T23:05:00.000Z'); // 08:05 in Tokyo
    await mail.waitFor(shopper.email);
    expect(await settledMail(shopper.email)).toHaveLength(1);
    expect((await alertsOf(shopper.id)).map((a) => a.state)).toEqual(['sent', 'suppressed']);
  });
});

describe('unsubscribe', () => {
  it('the link in the email shows a confirmation, and its one-click POST withdraws consent once', async () => {
    const shopper = await createShopper();
    const { variantId } = await createProduct({ inventory: 0 });
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 2 });
    await runCheck();
    const url = unsubscribeUrlOf(await mail.waitFor(shopper.email));

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('<form method="post"');
    // Showing the page changed nothing (link scanners fetch links).
    const before = await adminSql(
      `select 1 from public.consent_events where customer_id = $1 and source = 'unsubscribe_link'`,
      [shopper.id],
    );
    expect(before).toHaveLength(0);

    for (let i = 0; i < 2; i += 1) {
      // A forged client address is kept as untrusted detail; the evidence names the address the
      // gateway saw (this test reaches it from the loopback address).
      const oneClick = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Forwarded-For': '6.6.6.6',
          'X-Real-IP': '6.6.6.7',
          'User-Agent': 'forged-agent',
        },
        body: 'List-Unsubscribe=One-Click',
      });
      expect(oneClick.status).toBe(200);
    }
    const events = await adminSql<{ status: string; evidence: Record<string, unknown> }>(
      `select status, evidence from public.consent_events where customer_id = $1 and source = 'unsubscribe_link'`,
      [shopper.id],
    );
    expect(events).toEqual([
      {
        status: 'withdrawn',
        evidence: {
          one_click: true,
          ip: '127.0.0.1',
          forwarded_for: '6.6.6.6, 127.0.0.1',
          user_agent: 'forged-agent',
        },
      },
    ]);
    const [current] = await adminSql<{ granted: boolean }>(
      `select granted from public.customer_consents where customer_id = $1 and channel = 'email' and purpose = 'alerts'`,
      [shopper.id],
    );
    expect(current.granted).toBe(false);

    // And the next alert is not sent.
    const other = await createProduct({ inventory: 0 });
    await favourite(shopper.id, other.variantId);
    await setVariant(other.variantId, { inventory: 2 });
    await runCheck();
    expect(await settledMail(shopper.email)).toHaveLength(1);
  });

  it('refuses a tampered, foreign or missing token', async () => {
    const shopper = await createShopper();
    const { variantId } = await createProduct({ inventory: 0 });
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 2 });
    await runCheck();
    const url = new URL(unsubscribeUrlOf(await mail.waitFor(shopper.email)));
    const token = url.searchParams.get('token') ?? '';
    const [payload, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ c: randomUUID(), p: 'email:alerts', e: 4102444800 })).toString('base64url')}.${signature}`;
    for (const bad of [`${payload}x.${signature}`, forged, 'nonsense']) {
      const response = await fetch(`${functionsUrl}/unsubscribe?token=${encodeURIComponent(bad)}`, { method: 'POST' });
      expect(response.status).toBe(400);
    }
    expect((await fetch(`${functionsUrl}/unsubscribe`)).status).toBe(400);
    const [current] = await adminSql<{ granted: boolean }>(
      `select granted from public.customer_consents where customer_id = $1 and channel = 'email' and purpose = 'alerts'`,
      [shopper.id],
    );
    expect(current.granted).toBe(true);
  });
});

describe('unsubscribe through the app page (production: hosted Supabase shows function HTML as text)', () => {
  it('the page asks, then its JSON call withdraws the consent; bad tokens get stable error codes', async () => {
    const shopper = await createShopper();
    const { variantId } = await createProduct({ inventory: 0 });
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 2 });
    await runCheck();
    const token = new URL(unsubscribeUrlOf(await mail.waitFor(shopper.email))).searchParams.get('token') ?? '';

    const [app, browser] = await Promise.all([startApp(), launchBrowser()]);
    try {
      const page = await browser.newPage();
      await page.goto(`${app.url}/unsubscribe?token=${encodeURIComponent(token)}&purpose=email:alerts`);
      await page.getByText('Stop receiving back-in-stock and price-drop alerts by email?').waitFor();
      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.getByRole('status').getByText('You will no longer receive').waitFor();
    } finally {
      await browser.close();
      await app.stop();
    }
    const [current] = await adminSql<{ granted: boolean }>(
      `select granted from public.customer_consents where customer_id = $1 and channel = 'email' and purpose = 'alerts'`,
      [shopper.id],
    );
    expect(current.granted).toBe(false);

    const post = (body: unknown) =>
      fetch(`${functionsUrl}/unsubscribe`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', apikey: config.anonKey },
        body: JSON.stringify(body),
      });
    const again = await post({ token });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ unsubscribed: true, channel: 'email', purpose: 'alerts' });
    const forged = await post({ token: 'nonsense' });
    expect(forged.status).toBe(401);
    expect(await forged.json()).toMatchObject({ error: { code: 'invalid_token' } });
    const missing = await post({});
    expect(await missing.json()).toMatchObject({ error: { code: 'invalid_token' } });
  }, 60_000);
});

describe('SendGrid events', () => {
  function post(body: string, headers: Record<string, string>): Promise<Response> {
    return fetch(`${functionsUrl}/sendgrid-events`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body,
    });
  }

  const signed = (body: string, timestamp = String(Math.floor(Date.now() / 1000))) =>
    post(body, {
      'X-Twilio-Email-Event-Webhook-Signature': signLocalSendGridEvents(body, timestamp),
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    });

  async function sentAlert(): Promise<{ shopper: { id: string; email: string }; alert: AlertRow }> {
    const shopper = await createShopper();
    const { variantId } = await createProduct({ inventory: 0 });
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 2 });
    await runCheck();
    await mail.waitFor(shopper.email);
    const [alert] = await alertsOf(shopper.id);
    return { shopper, alert };
  }

  const event = (fields: Record<string, unknown>) => ({
    timestamp: Math.floor(Date.now() / 1000),
    sg_event_id: randomUUID(),
    ...fields,
  });

  it('records signed events once: opens and clicks on the alert, orders within 7 days as revenue', async () => {
    const { shopper, alert } = await sentAlert();
    // Clicked three days ago, so the orders around it are in the past.
    const clickedAt = Math.floor(Date.now() / 1000) - 3 * 86_400;
    const batch = JSON.stringify([
      event({
        email: shopper.email,
        event: 'delivered',
        sg_message_id: `${alert.message_id}.filter0001`,
        alert_id: alert.id,
      }),
      event({
        email: shopper.email,
        event: 'open',
        sg_message_id: `${alert.message_id}.filter0001`,
        alert_id: alert.id,
      }),
      event({
        email: shopper.email,
        event: 'click',
        url: 'https://shop.example/products/x',
        sg_message_id: `${alert.message_id}.filter0001`,
        alert_id: alert.id,
        timestamp: clickedAt,
      }),
    ]);
    const response = await signed(batch);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: 3, recorded: 3 });
    // SendGrid delivers at least once: the same batch again changes nothing.
    expect(await (await signed(batch)).json()).toEqual({ received: 3, recorded: 0 });

    const [updated] = await alertsOf(shopper.id);
    expect(updated.opened_at).not.toBeNull();
    expect(updated.clicked_at?.getTime()).toBe(clickedAt * 1000);
    const [timeline] = await adminSql<{ data: Record<string, unknown> }>(
      `select data from public.customer_timeline where customer_id = $1 and source = 'alert'`,
      [shopper.id],
    );
    expect(timeline.data.clicked_at).toBeTruthy();
    expect(timeline.data.opened_at).toBeTruthy();

    // Revenue from alerts: an order 2 days after the click counts, one before the click does not.
    const clicked = clickedAt * 1000;
    await createOrder({
      customerId: shopper.id,
      total: 120,
      placedAt: new Date(clicked + 2 * 86_400_000).toISOString(),
    });
    await createOrder({ customerId: shopper.id, total: 999, placedAt: new Date(clicked - 86_400_000).toISOString() });
    const [performance] = await adminSql<{ clicked: string; orders: string; revenue_base: string }>(
      // Wide range: the tests send alerts at simulated instants (2030).
      `select clicked, orders, revenue_base from public.alert_revenue('2000-01-01', '2100-01-01')`,
    );
    expect(Number(performance.clicked)).toBeGreaterThanOrEqual(1);
    expect(Number(performance.orders)).toBeGreaterThanOrEqual(1);
    const attributed = await adminSql<{ alert_id: string; revenue_base: string }>(
      `select alert_id, revenue_base from public.alert_attributed_orders where customer_id = $1`,
      [shopper.id],
    );
    expect(attributed).toEqual([{ alert_id: alert.id, revenue_base: '120.00' }]);
  });

  it('a bounce suppresses the address: later alerts are not sent', async () => {
    const { shopper } = await sentAlert();
    const response = await signed(
      JSON.stringify([
        event({ email: shopper.email.toUpperCase(), event: 'bounce', type: 'bounce', reason: '550 no such user' }),
      ]),
    );
    expect(response.status).toBe(200);
    const suppressed = await adminSql(`select reason from public.email_suppressions where email = $1`, [shopper.email]);
    expect(suppressed).toEqual([{ reason: 'bounce' }]);

    const { variantId } = await createProduct({ inventory: 0 });
    await favourite(shopper.id, variantId);
    await setVariant(variantId, { inventory: 1 });
    await runCheck();
    expect(await settledMail(shopper.email)).toHaveLength(1);
    expect((await alertsOf(shopper.id))[1]).toMatchObject({
      state: 'suppressed',
      reason: 'address is suppressed (bounce or spam report)',
    });
  });

  it('refuses an invalid signature, a stale timestamp and missing headers, storing nothing', async () => {
    const id = randomUUID();
    const body = JSON.stringify([event({ email: 'x@example.test', event: 'delivered', sg_event_id: id })]);
    const now = String(Math.floor(Date.now() / 1000));

    const tampered = await post(body.replace('delivered', 'open     '), {
      'X-Twilio-Email-Event-Webhook-Signature': signLocalSendGridEvents(body, now),
      'X-Twilio-Email-Event-Webhook-Timestamp': now,
    });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');

    const stale = await signed(body, String(Math.floor(Date.now() / 1000) - 600));
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { code: string } }).error.code).toBe('stale_timestamp');

    const missing = await post(body, {});
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('missing_signature');

    const notJson = await signed('[{"email":');
    expect(notJson.status).toBe(400);
    expect(await adminSql(`select 1 from public.email_events where sg_event_id = $1`, [id])).toHaveLength(0);
  });
});
