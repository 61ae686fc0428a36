/**
 * The mail catcher (Mailpit's role in `supabase start`): keeps every email the stack sends —
 * auth's confirmation, invite, recovery and magic-link mail, and whatever functions post to
 * SendGrid's `POST /v3/mail/send` — and shows them on a small web page and a JSON API.
 *
 *   GET    /                       the inbox page
 *   GET    /api/v1/messages        newest first: { total, messages: [summary…] } (?to=&limit=)
 *   GET    /api/v1/message/:id     one message, with text, html, headers and the SendGrid body
 *   DELETE /api/v1/messages        empty the inbox
 *   POST   /api/v1/message/:id/reply  answer it as the recipient: posts what SendGrid Inbound Parse
 *                                  would post to the project's inbound-email function
 *                                  (JSON { text, html?, from?, attachments? } → the function's answer;
 *                                  the page's form → back to the page)
 *   POST   /v3/mail/send           SendGrid v3 mail send (202 + X-Message-Id)
 *   GET    /api/v1/custom-args     ?key=&prefix=: how many messages carried each value of a custom arg
 *   GET    /v3/messages            SendGrid Email Activity, for `query=unique_args['k']="v"` and
 *                                  `to_email="…"` (`{ messages: [{ msg_id, to_email, subject, status }] }`)
 *   POST   /api/v1/faults          SendGrid trouble on demand, for tests and drills: JSON { status, count }
 *                                  answers the next `count` mail sends with `status` (401, 403: a refused
 *                                  key; 429: too many requests; 500, 502, 503: an outage) as SendGrid
 *                                  would, storing nothing; GET shows what is left, DELETE clears it
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import type { MailSink, OutgoingMail, Service, StackContext } from '../context.ts';
import { BodyTooLargeError, readBody, requestUrl, sendJson, sendText } from '../lib/http.ts';
import {
  faultAnswer,
  parseFault,
  validateSendGridRequest,
  mailsFromSendGrid,
  type SendGridRequest,
} from './sendgrid.ts';
import { renderInbox } from './page.ts';
import { envelope, MailStore, type StoredMail } from './store.ts';
import { inboundParseForm, inboundParseUrl, type ReplyRequest } from './inbound-parse.ts';

export type { StoredMail } from './store.ts';

/** The inbox page shows this many of the newest messages (the JSON API can list more). */
const INBOX_PAGE_SIZE = 100;

export function summary(mail: StoredMail) {
  return {
    ...envelope(mail),
    snippet: (mail.text ?? mail.html?.replace(/<[^>]+>/g, ' ') ?? '').replace(/\s+/g, ' ').trim().slice(0, 140),
  };
}

export async function startMail(ctx: Omit<StackContext, 'mail'>): Promise<Service & MailSink> {
  const { config, log } = ctx;
  const dir = path.join(config.dataDir, 'mail');
  mkdirSync(dir, { recursive: true });
  const store = new MailStore(path.join(dir, 'messages.jsonl'), log);
  await store.load();

  // Email Activity by custom arg: kept apart from the mailbox, so a message the mailbox trimmed
  // is still found (a sender that died mid-batch asks whether its send arrived).
  // Trouble asked for through POST /api/v1/faults: the next `count` mail sends get `status`.
  let fault: { status: number; count: number } | null = null;

  const byCustomArg = new Map<string, { msgId: string; to: string; subject: string; count: number }>();
  // Each message of a request has its own activity id, prefixed by the request's X-Message-Id.
  const indexCustomArgs = (mail: OutgoingMail, activityId: string) => {
    const raw = mail.raw as SendGridRequest | undefined;
    const args = { ...raw?.custom_args, ...raw?.personalizations?.[0]?.custom_args };
    for (const [key, value] of Object.entries(args))
      byCustomArg.set(`${key}\u0000${value}`, {
        msgId: activityId,
        to: mail.to[0]?.email ?? '',
        subject: mail.subject,
        count: (byCustomArg.get(`${key}\u0000${value}`)?.count ?? 0) + 1,
      });
  };
  for (const mail of store.messages)
    if (mail.source === 'sendgrid') indexCustomArgs(mail, `${mail.messageId}.filter0001.0.0`);

  const deliver = async (mail: OutgoingMail, messageId = randomBytes(16).toString('base64url'), index = 0) => {
    if (mail.source === 'sendgrid') indexCustomArgs(mail, `${messageId}.filter0001.${index}.0`);
    const stored = store.add({
      ...mail,
      id: randomBytes(8).toString('hex'),
      messageId,
      created: new Date().toISOString(),
    });
    log.info(`${mail.source} mail to ${mail.to.map((to) => to.email).join(', ')}: ${mail.subject}`);
    return { id: stored.id, messageId };
  };

  const activity = (query: string, params: URLSearchParams) => {
    const limit = Math.min(1000, Math.max(1, Number(params.get('limit') ?? 10) || 10));
    const arg = query.match(/^unique_args\['([^']+)'\]="([^"]*)"$/);
    if (arg) {
      const hit = byCustomArg.get(`${arg[1]}\u0000${arg[2]}`);
      return hit ? [{ msg_id: hit.msgId, to_email: hit.to, subject: hit.subject, status: 'delivered' }] : [];
    }
    const to = query.match(/^to_email="([^"]*)"$/)?.[1]?.toLowerCase();
    return store.messages
      .filter((mail) => mail.source === 'sendgrid' && (!to || mail.to.some((a) => a.email.toLowerCase() === to)))
      .slice(-limit)
      .reverse()
      .map((mail) => ({
        msg_id: `${mail.messageId}.filter0001.0.0`,
        to_email: mail.to[0]?.email,
        subject: mail.subject,
        status: 'delivered',
      }));
  };

  const server = createServer(async (req, res) => {
    const url = requestUrl(req);
    try {
      if (req.method === 'GET' && url.pathname === '/')
        return sendText(
          res,
          200,
          renderInbox(store.newest(INBOX_PAGE_SIZE), store.messages.length),
          'text/html; charset=utf-8',
        );
      if (req.method === 'GET' && url.pathname === '/api/v1/messages') {
        const to = url.searchParams.get('to')?.toLowerCase();
        const limit = Number(url.searchParams.get('limit') ?? 100);
        const matching = store.messages
          .filter((mail) => !to || mail.to.some((addr) => addr.email.toLowerCase() === to))
          .reverse();
        return sendJson(res, 200, { total: matching.length, messages: matching.slice(0, limit).map(summary) });
      }
      const one = url.pathname.match(/^\/api\/v1\/message\/([0-9a-f]+)$/);
      if (req.method === 'GET' && one) {
        const mail = store.find(one[1]);
        return mail ? sendJson(res, 200, mail) : sendJson(res, 404, { error: 'message not found' });
      }
      const reply = url.pathname.match(/^\/api\/v1\/message\/([0-9a-f]+)\/reply$/);
      if (req.method === 'POST' && reply) {
        const original = store.find(reply[1]);
        if (!original) return sendJson(res, 404, { error: 'message not found' });
        const raw = (await readBody(req, 20 * 1024 * 1024)).toString('utf8');
        const fromPage = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
        let request: ReplyRequest;
        try {
          request = fromPage ? { text: new URLSearchParams(raw).get('text') ?? '' } : (JSON.parse(raw) as ReplyRequest);
        } catch {
          return sendJson(res, 400, { error: 'the body must be JSON: { "text": "…" }' });
        }
        if (typeof request?.text !== 'string' || request.text.trim() === '')
          return sendJson(res, 400, { error: 'text: write the reply' });
        const posted = await fetch(inboundParseUrl(config.apiUrl), {
          method: 'POST',
          body: inboundParseForm(original, request),
        });
        const answer = await posted.text();
        log.info(`reply to "${original.subject}" posted to Inbound Parse: ${posted.status}`);
        if (fromPage && posted.ok) {
          res.writeHead(303, { location: '/' });
          return res.end();
        }
        return sendJson(res, posted.ok ? 200 : 502, { status: posted.status, body: answer });
      }
      if (req.method === 'DELETE' && url.pathname === '/api/v1/messages') {
        store.clear();
        return sendJson(res, 200, { deleted: true });
      }
      if (req.method === 'GET' && url.pathname === '/api/v1/custom-args') {
        // How many messages carried each value of one custom arg (benchmarks count duplicates
        // with it; the mailbox itself keeps only the newest messages).
        const key = url.searchParams.get('key') ?? '';
        const prefix = url.searchParams.get('prefix') ?? '';
        const values: Record<string, number> = {};
        for (const [indexed, hit] of byCustomArg) {
          const [name, value = ''] = indexed.split('\u0000');
          if (name === key && value.startsWith(prefix)) values[value] = hit.count;
        }
        return sendJson(res, 200, { key, values });
      }
      if (req.method === 'GET' && url.pathname === '/v3/messages') {
        if (!/^Bearer\s+\S+/i.test(req.headers.authorization ?? ''))
          return sendJson(res, 401, { errors: [{ message: 'authorization required', field: null, help: null }] });
        return sendJson(res, 200, { messages: activity(url.searchParams.get('query') ?? '', url.searchParams) });
      }
      if (url.pathname === '/api/v1/faults') {
        if (req.method === 'GET') return sendJson(res, 200, fault ?? { status: null, count: 0 });
        if (req.method === 'DELETE') {
          fault = null;
          return sendJson(res, 200, { status: null, count: 0 });
        }
        if (req.method === 'POST') {
          const parsed = parseFault((await readBody(req, 4096)).toString('utf8'));
          if ('error' in parsed) return sendJson(res, 400, { error: parsed.error });
          fault = parsed;
          log.info(`the next ${fault.count} mail send(s) answer ${fault.status}`);
          return sendJson(res, 200, fault);
        }
      }
      if (req.method === 'POST' && url.pathname === '/v3/mail/send') {
        const body = await readBody(req, 30 * 1024 * 1024);
        if (fault) {
          const answer = faultAnswer(fault.status);
          if (--fault.count === 0) fault = null;
          res.writeHead(answer.status, answer.headers);
          return res.end(answer.body);
        }
        const result = validateSendGridRequest(req.headers, body);
        if (!result.ok) return sendJson(res, result.status, { errors: result.errors });
        // Sandbox mode validates without sending: SendGrid answers 200 and delivers nothing.
        if (result.request.mail_settings?.sandbox_mode?.enable) return sendText(res, 200, '');
        const messageId = randomBytes(16).toString('base64url').slice(0, 22);
        for (const [index, mail] of mailsFromSendGrid(result.request).entries()) await deliver(mail, messageId, index);
        res.writeHead(202, { 'x-message-id': messageId, 'content-length': 0 });
        return res.end();
      }
      sendJson(res, 404, { error: 'not found' });
    } catch (error) {
      if (error instanceof BodyTooLargeError)
        return sendJson(res, 413, { errors: [{ message: 'Payload too large', field: null, help: null }] });
      log.error('request failed', error);
      sendJson(res, 500, { errors: [{ message: 'internal error', field: null, help: null }] });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.ports.mail, '127.0.0.1', resolve);
  });
  return {
    name: 'mail',
    deliver: (mail) => deliver(mail),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.flush();
    },
  };
}
