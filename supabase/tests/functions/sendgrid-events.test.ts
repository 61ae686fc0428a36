/**
 * sendgrid-events against content Postgres cannot store as sent (M-5, L-9): NUL characters,
 * lone surrogates and absurd nesting in a correctly signed Event Webhook batch. One bad event
 * must not cost the batch a 500 (SendGrid would retry the whole batch for 24 hours and then drop
 * it): every event is recorded — sanitised, or as a placeholder that names the error — and the
 * batch is answered 200. The signing key is the local stack's (scripts/local-stack/src/mail).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signLocalSendGridEvents } from '@cairn/local-stack/mail/event-webhook-key.ts';
import { adminSql, config } from '@cairn/local-stack/testing.ts';

const url = `${config.apiUrl}/functions/v1/sendgrid-events`;

async function postSigned(body: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-Twilio-Email-Event-Webhook-Signature': signLocalSendGridEvents(body, timestamp),
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const event = (fields: Record<string, unknown> = {}) => ({
  email: `events-${randomUUID().slice(0, 8)}@example.test`,
  timestamp: Math.floor(Date.now() / 1000),
  event: 'bounce',
  type: 'bounce',
  sg_event_id: randomUUID(),
  ...fields,
});

async function recorded(ids: string[]) {
  return adminSql<{ sg_event_id: string; reason: string | null; email: string; payload: Record<string, unknown> }>(
    `select sg_event_id, reason, email, payload from public.email_events where sg_event_id = any ($1) order by sg_event_id`,
    [ids],
  );
}

describe('sendgrid-events: poison content in a signed batch', () => {
  it('a NUL in a bounce reason: the batch is answered 200 and every event recorded, sanitised', async () => {
    const bad = event({ reason: 'bad\u0000mailbox' });
    const good = event({ event: 'delivered', type: undefined });
    const sent = await postSigned(JSON.stringify([good, bad]));
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toEqual({ received: 2, recorded: 2 });
    const rows = await recorded([bad.sg_event_id, good.sg_event_id]);
    expect(rows).toHaveLength(2);
    const sanitised = rows.find((row) => row.sg_event_id === bad.sg_event_id);
    expect(sanitised?.reason).toBe('bad\ufffdmailbox');
    // The event as sent, kept losslessly as JSON text; the clean one carries nothing extra.
    expect(JSON.parse(String(sanitised?.payload.cairn_original_event))).toEqual(bad);
    expect(rows.find((row) => row.sg_event_id === good.sg_event_id)?.payload).not.toHaveProperty(
      'cairn_original_event',
    );
  });

  it('lone surrogates in a value and a key: recorded with U+FFFD', async () => {
    const bad = event({ reason: '\ud800oops\udfff', ['custom\u0000arg']: 'x' });
    const sent = await postSigned(JSON.stringify([bad]));
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    const [row] = await recorded([bad.sg_event_id]);
    expect(row.reason).toBe('\ufffdoops\ufffd');
    expect(row.payload['custom\ufffdarg']).toBe('x');
  });

  it('100 000-deep nesting in one event: that event is recorded as a placeholder with the error, the others as sent', async () => {
    const deep = event({ event: 'open', type: undefined, nested: 'DEEP' });
    const good = event({ event: 'delivered', type: undefined });
    const body = JSON.stringify([good, deep]).replace('"DEEP"', `${'['.repeat(100_000)}${']'.repeat(100_000)}`);
    const sent = await postSigned(body);
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.body).toEqual({ received: 2, recorded: 2 });
    const rows = await recorded([good.sg_event_id, deep.sg_event_id]);
    expect(rows).toHaveLength(2);
    const placeholder = rows.find((row) => row.sg_event_id === deep.sg_event_id);
    expect(placeholder?.email).toBe(deep.email);
    expect(String(placeholder?.payload.not_stored)).toMatch(/\S/);
    expect(rows.find((row) => row.sg_event_id === good.sg_event_id)?.payload.event).toBe('delivered');
    // SendGrid's retry of the batch changes nothing.
    expect((await postSigned(body)).body).toEqual({ received: 2, recorded: 0 });
  });

  it('fuzz: signed batches with NUL, lone surrogates and deep nesting are answered 2xx, every event recorded once', async () => {
    const poisons = ['\u0000', '\ud800', '\udfff', 'a\u0000\ud834', '\\u0000', '\ud83d\u0000\ude00'];
    const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)];
    const ids: string[] = [];
    for (let batch = 0; batch < 8; batch += 1) {
      const events = Array.from({ length: 5 }, (_, i) =>
        event({
          [pick(['reason', 'response', 'status', 'url', 'useragent'])]: `${pick(poisons)}x${pick(poisons)}`,
          [`arg${pick(poisons)}`]: i === 2 && batch % 2 === 0 ? 'DEEP' : pick(poisons),
        }),
      );
      ids.push(...events.map((e) => e.sg_event_id));
      const depth = 20_000 * (batch + 1);
      const body = JSON.stringify(events).replace('"DEEP"', `${'['.repeat(depth)}${']'.repeat(depth)}`);
      const sent = await postSigned(body);
      expect(sent.status, JSON.stringify(sent.body)).toBeGreaterThanOrEqual(200);
      expect(sent.status, JSON.stringify(sent.body)).toBeLessThan(300);
    }
    expect(await recorded(ids)).toHaveLength(ids.length);
  }, 120_000);
});
