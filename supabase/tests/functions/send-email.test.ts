import { randomUUID } from 'node:crypto';
/**
 * send-email (issue 5): team members send a template to a customer through SendGrid (the mail
 * catcher here). Their own JWT decides who they may write to (RLS), the message lands in the
 * customer's thread, and the delivery is recorded by the system.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cast, createCast } from '../../../scripts/testing/support/team.ts';
import { adminSql, config, mail, uniqueEmail } from '@cairn/local-stack/testing.ts';

let cast: Cast;
let customerEmail: string;

async function sendAs(token: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${config.apiUrl}/functions/v1/send-email`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, apikey: config.anonKey, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function tokenOf(persona: 'manager' | 'agent' | 'agent2' | 'readonly' | 'shopper'): Promise<string> {
  const { data } = await cast.people[persona].client.auth.getSession();
  if (!data.session) throw new Error(`${persona} is not signed in`);
  return data.session.access_token;
}

beforeAll(async () => {
  cast = await createCast('send-email');
  customerEmail = uniqueEmail('customer');
  await adminSql(`update public.customers set email = $2, first_name = 'Lena', language = 'de' where id = $1`, [
    cast.shopperCustomerId,
    customerEmail,
  ]);
});

afterAll(async () => {
  await cast.end();
});

describe('send-email', () => {
  it("sends a template in the customer's language and records it in their thread", async () => {
    // back_in_stock is an alert template: it needs the customer's consent to alert emails.
    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source) values ($1, 'email', 'alerts', 'granted', 'staff')`,
      [cast.shopperCustomerId],
    );
    const result = await sendAs(await tokenOf('agent'), {
      template_key: 'back_in_stock',
      to: { customer_id: cast.shopperCustomerId },
      variables: { product_name: 'Leinenkleid', variant_name: 'M' },
    });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const message = await mail.waitFor(customerEmail);
    expect(message.subject).toBe('Leinenkleid ist wieder da');
    expect(message.text).toContain('Lena');

    const [row] = await adminSql<{ status: string; provider_message_id: string; sent_by: string }>(
      `select status, provider_message_id, sent_by from public.messages where id = $1`,
      [result.body.message_id],
    );
    expect(row).toMatchObject({ status: 'sent', sent_by: cast.people.agent.userId });
    const [version] = await adminSql<{ language: string; version: number }>(
      `select v.language, v.version from public.messages m join public.email_template_versions v on v.id = m.template_version_id where m.id = $1`,
      [result.body.message_id],
    );
    expect(version).toEqual({ language: 'de', version: 1 });
    expect(row.provider_message_id).toBe(result.body.provider_message_id);
  });

  it('refuses customers the caller may not see or write to, and non-staff', async () => {
    const body = { template_key: 'back_in_stock', to: { customer_id: cast.shopperCustomerId } };
    expect((await sendAs(await tokenOf('agent2'), body)).status).toBe(404); // not their customer
    expect((await sendAs(await tokenOf('readonly'), body)).status).toBe(403); // may read, not write
    expect((await sendAs(await tokenOf('shopper'), body)).status).toBe(403); // not staff
    expect((await sendAs(config.anonKey, body)).status).toBe(403);
    // No open relay: an address that is neither a visible customer nor the caller's own.
    const stranger = await sendAs(await tokenOf('manager'), {
      template_key: 'back_in_stock',
      to: { email: uniqueEmail('stranger') },
    });
    expect(stranger.status).toBe(404);
  });

  it('lets a team member test a template on their own address, and validates input', async () => {
    const ok = await sendAs(await tokenOf('manager'), {
      template_key: 'price_drop',
      to: { email: cast.people.manager.email },
      variables: { product_name: 'Test product', new_price: '€1.00' },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    await mail.waitFor(cast.people.manager.email, (m) => m.subject.includes('Test product'));

    const unknown = await sendAs(await tokenOf('manager'), {
      template_key: 'no_such_template',
      to: { email: cast.people.manager.email },
    });
    expect(unknown.status).toBe(404);
    const invalid = await sendAs(await tokenOf('manager'), { template_key: 'Bad Key!', to: {} });
    expect(invalid.status).toBe(400);
    expect((invalid.body.error as { code: string }).code).toBe('invalid_request');
  });

  it('never emails a suppressed address', async () => {
    await adminSql(`insert into public.email_suppressions (email, reason) values ($1, 'bounce')`, [customerEmail]);
    const result = await sendAs(await tokenOf('manager'), {
      template_key: 'back_in_stock',
      to: { customer_id: cast.shopperCustomerId },
    });
    expect(result.status).toBe(409);
    await adminSql(`delete from public.email_suppressions where email = $1`, [customerEmail]);
  });

  it('files only into a thread of the same customer (review L-3, step 8)', async () => {
    // Customer B (agent2's) and their thread; the manager sees both A and B.
    const otherEmail = uniqueEmail('other');
    const [other] = await adminSql<{ id: string }>(
      `insert into public.customers (first_name, email, owner_id, source) values ('Bruno', $1, $2, 'manual') returning id`,
      [otherEmail, cast.people.agent2.userId],
    );
    const [othersThread] = await adminSql<{ id: string }>(
      `insert into public.message_threads (customer_id, subject) values ($1, 'B only') returning id`,
      [other.id],
    );
    const [ownThread] = await adminSql<{ id: string }>(
      `insert into public.message_threads (customer_id, subject) values ($1, 'A only') returning id`,
      [cast.shopperCustomerId],
    );
    const before = (await mail.list(customerEmail)).length;

    const crossed = await sendAs(await tokenOf('manager'), {
      template_key: 'back_in_stock',
      to: { customer_id: cast.shopperCustomerId },
      thread_id: othersThread.id,
    });
    expect(crossed.status, JSON.stringify(crossed.body)).toBe(400);
    expect(crossed.body.error).toMatchObject({ code: 'invalid_request' });
    expect((crossed.body.error as { message: string }).message).toMatch(/^thread_id: .*another customer/);
    expect(await adminSql(`select id from public.messages where thread_id = $1`, [othersThread.id])).toEqual([]);

    // A thread the caller may not see at all is not found (agent does not see B).
    const hidden = await sendAs(await tokenOf('agent'), {
      template_key: 'back_in_stock',
      to: { customer_id: cast.shopperCustomerId },
      thread_id: othersThread.id,
    });
    expect(hidden.status, JSON.stringify(hidden.body)).toBe(404);

    // The customer's own thread works.
    const own = await sendAs(await tokenOf('manager'), {
      template_key: 'back_in_stock',
      to: { customer_id: cast.shopperCustomerId },
      thread_id: ownThread.id,
    });
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    const [filed] = await adminSql<{ thread_id: string; customer_id: string }>(
      `select thread_id, customer_id from public.messages where id = $1`,
      [own.body.message_id],
    );
    expect(filed).toEqual({ thread_id: ownThread.id, customer_id: cast.shopperCustomerId });
    // Only the legitimate send reached A.
    const deadline = Date.now() + 10_000;
    while ((await mail.list(customerEmail)).length <= before && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await mail.list(customerEmail)).length).toBe(before + 1);
  });

  it('accepts only http(s) URLs in *_url variables (review L-13)', async () => {
    for (const url of [
      'javascript:alert(1)',
      ' JavaScript:alert(1)',
      'data:text/html,<script>x</script>',
      '//evil.example',
    ]) {
      const refused = await sendAs(await tokenOf('manager'), {
        template_key: 'price_drop',
        to: { email: cast.people.manager.email },
        variables: { product_name: 'Bad link', new_price: '€1.00', product_url: url },
      });
      expect(refused.status, url).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'invalid_request' });
      expect((refused.body.error as { message: string }).message).toMatch(/^variables\.product_url: /);
    }
    const ok = await sendAs(await tokenOf('manager'), {
      template_key: 'price_drop',
      to: { email: cast.people.manager.email },
      variables: { product_name: 'Good link', new_price: '€1.00', product_url: 'https://shop.example/p/1' },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    const message = await mail.waitFor(cast.people.manager.email, (m) => m.subject.includes('Good link'));
    expect(message.html).toContain('href="https://shop.example/p/1"');
  });
});

describe('send-email: the consent rule and messages written by hand', () => {
  it('sends a message written by hand without consent (transactional), with a reply-to address of its thread', async () => {
    const customer = (
      await adminSql<{ id: string }>(
        `insert into public.customers (first_name, email, owner_id, source) values ('Mia', $1, $2, 'manual') returning id`,
        [uniqueEmail('mia'), cast.people.agent.userId],
      )
    )[0].id;
    const [{ email }] = await adminSql<{ email: string }>(`select email from public.customers where id = $1`, [
      customer,
    ]);
    const result = await sendAs(await tokenOf('agent'), {
      to: { customer_id: customer },
      message: { subject: 'About your order', body: 'Hello Mia,\nit ships today.' },
    });
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const mailed = await mail.waitFor(email);
    const [thread] = await adminSql<{ reply_token: string; read_state: string }>(
      `select reply_token, read_state from public.message_threads where id = $1`,
      [result.body.thread_id],
    );
    expect(thread.read_state).toBe('responded');
    expect(mailed.replyTo?.email).toMatch(new RegExp(`^reply\\+${thread.reply_token}@`));
    const [row] = await adminSql<{ internet_message_id: string; template_version_id: string | null }>(
      `select internet_message_id, template_version_id from public.messages where id = $1`,
      [result.body.message_id],
    );
    expect(row.template_version_id).toBeNull();
    expect(mailed.headers?.['Message-ID']).toBe(`<${row.internet_message_id}>`);
  });

  it('refuses a marketing template without consent and keeps the message as a draft with the reason', async () => {
    const key = `spring-sale-${randomUUID().slice(0, 8)}`;
    const [template] = await adminSql<{ id: string }>(
      `insert into public.email_templates (key, name, category, purpose) values ($1, 'Spring sale', 'marketing', 'marketing') returning id`,
      [key],
    );
    await adminSql(
      `insert into public.email_template_variants (template_id, language, subject, body_html, body_text) values ($1, 'en', 'Sale', '<p>Sale</p>', 'Sale')`,
      [template.id],
    );
    const before = (await mail.list(customerEmail)).length;
    const refused = await sendAs(await tokenOf('manager'), {
      template_key: key,
      to: { customer_id: cast.shopperCustomerId },
    });
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('marketing');
    const [draft] = await adminSql<{ status: string; error: string }>(
      `select status, error from public.messages where customer_id = $1 and subject = 'Sale' order by created_at desc limit 1`,
      [cast.shopperCustomerId],
    );
    expect(draft.status).toBe('failed');
    expect(draft.error).toContain('marketing');
    expect((await mail.list(customerEmail)).length).toBe(before);

    await adminSql(
      `insert into public.consent_events (customer_id, channel, purpose, status, source) values ($1, 'email', 'marketing', 'granted', 'staff')`,
      [cast.shopperCustomerId],
    );
    const sent = await sendAs(await tokenOf('manager'), {
      template_key: key,
      to: { customer_id: cast.shopperCustomerId },
    });
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
  });

  it("its scheduled mode sends the automation engine's queued emails once, with one-click unsubscribe, even when the runtime dies after SendGrid accepted one (issue 16)", async () => {
    const key = `flow_fn_${randomUUID().slice(0, 8)}`;
    const [template] = await adminSql<{ id: string }>(
      `insert into public.email_templates (key, name, category, purpose) values ($1, 'Flow', 'automation', 'marketing') returning id`,
      [key],
    );
    await adminSql(
      `insert into public.email_template_variants (template_id, language, subject, body_html, body_text)
       values ($1, 'en', 'From a flow, {{first_name}}', '<p>Hi</p>', 'Hi')`,
      [template.id],
    );
    const [tag] = await adminSql<{ id: string }>(`insert into public.tags (name) values ($1) returning id`, [key]);
    const [flow] = await adminSql<{ id: string }>(
      `insert into public.flows (name, status, trigger, steps) values ($1, 'active', $2, $3) returning id`,
      [
        key,
        { type: 'tag_added', tag_id: tag.id },
        JSON.stringify([{ id: 'mail', kind: 'send_template', template_key: key }]),
      ],
    );
    try {
      await adminSql(`insert into public.customer_tags (customer_id, tag_id) values ($1, $2)`, [
        cast.shopperCustomerId,
        tag.id,
      ]);
      // Noon UTC tomorrow: outside the quiet hours of a customer without a zone (UTC).
      await adminSql(
        `select public.run_flows(50, date_trunc('day', now() at time zone 'UTC') at time zone 'UTC' + interval '36 hours')`,
      );
      const call = (extra: Record<string, unknown> = {}) =>
        fetch(`${config.apiUrl}/functions/v1/send-email`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${config.serviceRoleKey}`,
            apikey: config.anonKey,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ source: 'automation', ...extra }),
        });
      // The runtime dies right after SendGrid accepted the email: nothing is recorded.
      const died = await call({ die_after: 1 });
      expect(await died.json()).toMatchObject({ died: true, sent: 0 });
      const message = await mail.waitFor(customerEmail, (m) => m.subject.startsWith('From a flow'));
      expect(message.subject).toBe('From a flow, Lena');
      expect(message.headers?.['List-Unsubscribe'] ?? JSON.stringify(message.raw)).toContain(
        '/functions/v1/unsubscribe?token=',
      );
      // Its lease runs out; two runs at once then look it up by its key (the catcher's Email
      // Activity) instead of sending it again.
      await adminSql(
        `update public.flow_step_runs set send_claimed_until = now() - interval '10 minutes' where flow_id = $1`,
        [flow.id],
      );
      const [first, second] = await Promise.all([call({ settle_seconds: 0 }), call({ settle_seconds: 0 })]);
      expect([first.status, second.status]).toEqual([200, 200]);
      expect((await mail.list(customerEmail)).filter((m) => m.subject.startsWith('From a flow'))).toHaveLength(1);
      const [run] = await adminSql<{
        outcome: string;
        status: string;
        provider_message_id: string | null;
        from_address: string;
      }>(
        `select r.outcome, m.status, m.provider_message_id, m.from_address from public.flow_step_runs r join public.messages m on m.id = r.message_id
         where r.flow_id = $1 and r.step_key = 'mail'`,
        [flow.id],
      );
      expect(run).toMatchObject({ outcome: 'sent', status: 'sent' });
      expect(run.provider_message_id).toBeTruthy();
      // The stored message names the real sender (TEAM_FROM_EMAIL), not the engine's placeholder.
      expect(run.from_address).toMatch(/^[^@\s]+@[^@\s]+$/);
      expect(run.from_address).not.toBe('automation@cairn.invalid');
    } finally {
      await adminSql(`delete from public.flows where id = $1`, [flow.id]);
    }
  });
});
