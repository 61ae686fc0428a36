/**
 * The test kit for projects on this stack: a supabase-js client as an app makes it, the `test`
 * instance's config, superuser SQL for fixtures, the mail catcher, and accounts made through the
 * admin API. Cairn's database, function and browser tests and the stack's own contract tests use it.
 */
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { stackConfig } from './config.ts';

process.env.CAIRN_STACK ??= 'test';
export const config = stackConfig();

/** A supabase-js client as an app would make it (Node 20 has no global WebSocket, so `ws`). */
export function client(key = config.anonKey, options: { accessToken?: string } = {}): SupabaseClient {
  return createClient(config.apiUrl, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    realtime: { transport: WebSocket as never },
    global: options.accessToken ? { headers: { Authorization: `Bearer ${options.accessToken}` } } : undefined,
  });
}

export const anonClient = () => client(config.anonKey);
export const serviceClient = () => client(config.serviceRoleKey);

/** POSTs a JSON body to an Edge Function as the service role (what pg_cron's scheduled calls send). */
export function callAsService(name: string, body: unknown): Promise<Response> {
  return fetch(`${config.apiUrl}/functions/v1/${name}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${config.serviceRoleKey}`,
      apikey: config.serviceRoleKey,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify(body),
  });
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/**
 * The password test accounts get: it meets config.toml's rules (at least 12 characters, lower
 * and upper case letters and digits).
 */
export const TEST_PASSWORD = 'Cairn-tests-2026';

/**
 * An account as an accepted team invitation leaves it: created by an invitation (so
 * `invited_at` is set, which the database requires of every team member), email confirmed, with
 * the password the invitee chose. Made through the admin API, as an invitation is.
 */
export async function invitedAccount(email = uniqueEmail(), password = TEST_PASSWORD): Promise<string> {
  const admin = serviceClient().auth.admin;
  const link = await admin.generateLink({ type: 'invite', email });
  if (link.error) throw link.error;
  const confirmed = await admin.updateUserById(link.data.user.id, { password, email_confirm: true });
  if (confirmed.error) throw confirmed.error;
  return link.data.user.id;
}

/**
 * A signed-in user's client, created through the admin API (confirmed, password set). With
 * `invited`, the account is made the way a team member's is (see invitedAccount); otherwise it
 * is a plain account, like a shopper's.
 */
export async function signedInClient(
  email = uniqueEmail(),
  password = TEST_PASSWORD,
  options: { invited?: boolean } = {},
): Promise<{ client: SupabaseClient; userId: string; email: string; password: string }> {
  let userId: string;
  if (options.invited) {
    userId = await invitedAccount(email, password);
  } else {
    const created = await serviceClient().auth.admin.createUser({ email, password, email_confirm: true });
    if (created.error) throw created.error;
    userId = created.data.user.id;
  }
  const user = client();
  const signedIn = await user.auth.signInWithPassword({ email, password });
  if (signedIn.error) throw signedIn.error;
  return { client: user, userId, email, password };
}

/** SQL as the cluster superuser, for test fixtures only (app code never does this). */
export async function adminSql<T extends pg.QueryResultRow = Record<string, unknown>>(
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const db = new pg.Client({ connectionString: config.adminDbUrl });
  await db.connect();
  try {
    return (await db.query<T>(text, params)).rows;
  } finally {
    await db.end();
  }
}

export interface CaughtMail {
  id: string;
  /** SendGrid's X-Message-Id of the request that carried it (shared by its personalizations). */
  messageId?: string;
  subject: string;
  from: { email: string; name?: string };
  to: Array<{ email: string }>;
  replyTo?: { email: string; name?: string };
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  raw?: unknown;
}

/** The mail catcher's JSON API. */
export const mail = {
  async list(to?: string): Promise<CaughtMail[]> {
    const url = new URL('/api/v1/messages', config.mailUrl);
    if (to) url.searchParams.set('to', to);
    const body = (await (await fetch(url)).json()) as { messages: Array<{ id: string }> };
    return Promise.all(
      body.messages.map(
        async ({ id }) => (await (await fetch(`${config.mailUrl}/api/v1/message/${id}`)).json()) as CaughtMail,
      ),
    );
  },
  /**
   * Answers a caught message as its recipient: the catcher posts what SendGrid Inbound Parse
   * would post to the stack's inbound-email function. Returns the function's status and body.
   */
  async reply(
    id: string,
    reply: {
      text: string;
      html?: string;
      from?: string;
      attachments?: Array<{ name: string; type?: string; content: string }>;
    },
  ): Promise<{ status: number; body: string }> {
    const response = await fetch(`${config.mailUrl}/api/v1/message/${id}/reply`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(reply),
    });
    return (await response.json()) as { status: number; body: string };
  },
  /**
   * Makes the catcher's SendGrid answer the next `count` mail sends with `status` (401 / 403 a
   * refused key, 429, 500 / 502 / 503 an outage), storing nothing; `null` clears it.
   */
  async fail(status: number | null, count = 1): Promise<void> {
    const url = new URL('/api/v1/faults', config.mailUrl);
    const response = await fetch(url, {
      method: status === null ? 'DELETE' : 'POST',
      ...(status === null
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status, count }) }),
    });
    if (!response.ok) throw new Error(`mail catcher faults: ${response.status} ${await response.text()}`);
  },
  /** Waits until a message to `to` matching `match` arrives; returns the newest such. */
  async waitFor(
    to: string,
    match: (mail: CaughtMail) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<CaughtMail> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await mail.list(to)).find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  },
};

/** First http(s) link in a mail body (html href or plain text). */
export function firstLink(message: CaughtMail): string {
  const source = message.html ?? message.text ?? '';
  const href = source.match(/href="([^"]+)"/)?.[1] ?? source.match(/https?:\/\/\S+/)?.[0];
  if (!href) throw new Error(`no link in mail "${message.subject}"`);
  return href.replace(/&amp;/g, '&');
}
