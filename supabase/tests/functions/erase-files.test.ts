/**
 * Erasure removes the customer's files from Storage (issue 12; 20261208140000): erase_customer
 * queues every object in the customer's folder and every file their rows list elsewhere (an
 * inbound mail's files in inbound/<id>/), and the erase-files function removes them through the
 * real Storage API — once each, one audit entry each, the request's note saying how many — while
 * another customer's files stay. The queue's functions are the service role's alone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSql, config, serviceClient } from '@cairn/local-stack/testing.ts';
import { type Caller, type Cast, createCast } from '../../../scripts/testing/support/team.ts';

let cast: Cast;
beforeAll(async () => {
  cast = await createCast('erase-files');
});
afterAll(() => cast?.end());

async function call(body: unknown, headers: Record<string, string> = {}, key = config.serviceRoleKey) {
  const response = await fetch(`${config.apiUrl}/functions/v1/erase-files`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, apikey: config.anonKey, 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function customer(tag: string) {
  const [{ id }] = await adminSql<{ id: string }>(
    `insert into public.customers (first_name, last_name, email) values ('Fay', $1, $2) returning id`,
    [`Filer${tag}`, `files-${tag}@example.test`],
  );
  return id;
}

describe('erase-files', () => {
  it('removes the erased customer’s files through Storage once, audited, and leaves others’ files', async () => {
    const tag = randomUUID().slice(0, 8);
    const erased = await customer(tag);
    const kept = await customer(`${tag}k`);
    const manager = cast.client('manager').storage.from('attachments');
    const service = serviceClient().storage.from('attachments');
    const note = `${erased}/${randomUUID()}-passport-Filer${tag}.txt`;
    const loose = `${erased}/${randomUUID()}-scan.pdf`;
    const inbound = `inbound/${randomUUID()}/1-reply.txt`;
    const other = `${kept}/${randomUUID()}-keep.txt`;
    for (const [path, type] of [
      [note, 'text/plain'],
      [loose, 'application/pdf'],
      [other, 'text/plain'],
    ]) {
      const { error } = await manager.upload(path, new Blob([`file ${tag}`], { type }), { contentType: type });
      expect(error, path).toBeNull();
    }
    expect(
      (await service.upload(inbound, new Blob(['reply'], { type: 'text/plain' }), { contentType: 'text/plain' })).error,
    ).toBeNull();
    await adminSql(
      `insert into public.activities (customer_id, kind, subject, attachments)
       values ($1, 'note', 'Passport', jsonb_build_array(jsonb_build_object('path', $2::text, 'name', 'passport.txt', 'size', 10, 'mime', 'text/plain')))`,
      [erased, note],
    );
    await adminSql(
      `insert into public.inbound_emails (dedupe_key, state, matched_by, from_address, subject, body_text, customer_id, attachments)
       values ($1, 'matched', 'sender', $2, 'Re: order', $3,  $4,
               jsonb_build_array(jsonb_build_object('path', $5::text, 'name', 'reply.txt', 'size', 5, 'mime', 'text/plain')))`,
      [`erase-files-${tag}-dedupe`, `files-${tag}@example.test`, `Regards, Fay Filer${tag}`, erased, inbound],
    );
    const [{ id: request }] = await adminSql<{ id: string }>(
      `insert into public.privacy_requests (customer_id, kind, source) values ($1, 'erasure', 'staff') returning id`,
      [erased],
    );

    const result = await cast.client('manager').rpc('erase_customer', { request });
    expect(result.error, JSON.stringify(result.error)).toBeNull();
    expect(result.data).toMatchObject({ erased: true, files_queued: 3 });
    const [scrubbed] = await adminSql<{ from_address: string | null; body_text: string | null }>(
      'select from_address, body_text from public.inbound_emails where customer_id = $1',
      [erased],
    );
    expect(scrubbed).toEqual({ from_address: null, body_text: null });

    // The schedule may run a chunk beside this call: together they remove each file once.
    const first = await call({ batch: 2 });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const waiting = async () =>
      (
        await adminSql<{ n: number }>(
          'select count(*)::int as n from private.erasure_files where request_id = $1 and removed_at is null',
          [request],
        )
      )[0].n;
    for (let i = 0; i < 40 && (await waiting()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await waiting()).toBe(0);

    const objects = await adminSql<{ name: string }>(
      `select name from storage.objects where bucket_id = 'attachments' and name = any($1) order by name`,
      [[note, loose, inbound, other]],
    );
    expect(objects).toEqual([{ name: other }]);
    expect((await service.download(note)).error).not.toBeNull();
    expect((await service.download(other)).error).toBeNull();

    const audit = await adminSql<{ action: string; row_id: string; before: Record<string, unknown> }>(
      `select action, row_id, before from public.audit_log
       where table_name = 'storage.objects' and before ->> 'privacy_request' = $1`,
      [request],
    );
    expect(audit).toHaveLength(3);
    expect(audit.every((row) => row.action === 'DELETE' && row.before.bucket_id === 'attachments')).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(`Filer${tag}`);
    const [{ note: requestNote }] = await adminSql<{ note: string }>(
      'select note from public.privacy_requests where id = $1',
      [request],
    );
    expect(requestNote).toMatch(
      /3 file\(s\) queued for removal from Storage\.[\s\S]*Files removed from Storage on \d{4}-\d{2}-\d{2}: 3\./,
    );
    // The queue forgets the names (they can be personal).
    expect(
      await adminSql('select 1 from private.erasure_files where request_id = $1 and name is not null', [request]),
    ).toEqual([]);

    // Again: nothing left to remove, nothing audited twice; erasing again queues nothing.
    expect((await call({})).body).toMatchObject({ removed: 0, failed: 0 });
    expect((await cast.client('manager').rpc('erase_customer', { request })).data).toMatchObject({
      already_completed: true,
    });
    const [{ n }] = await adminSql<{ n: number }>(
      `select count(*)::int as n from public.audit_log where table_name = 'storage.objects' and before ->> 'privacy_request' = $1`,
      [request],
    );
    expect(n).toBe(3);
  }, 60_000);

  it('only the schedule or the service role calls it; bad bodies get 400 and claim nothing', async () => {
    expect((await call({}, {}, config.anonKey)).status).toBe(403);
    const session = (await cast.client('admin').auth.getSession()).data.session?.access_token ?? '';
    expect((await call({}, {}, session)).status).toBe(403);
    expect((await call({}, { 'X-Cron-Secret': 'guess' }, config.anonKey)).status).toBe(401);
    for (const body of ['{', '[]', { batch: 0 }, { batch: 1e9 }, { batch: '10' }, { chunks: -1 }, { path: '../x' }]) {
      const answer = await call(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('the queue’s functions are refused to every caller but the service role', async () => {
    const callers: Caller[] = ['admin', 'manager', 'agent', 'readonly', 'shopper', 'stranger', 'anon'];
    for (const caller of callers) {
      for (const [name, args] of [
        ['claim_erasure_files', { batch: 1 }],
        ['finish_erasure_files', { removed: [randomUUID()], failed: [] }],
      ] as const) {
        const { error } = await cast.client(caller).rpc(name, args);
        expect(error?.code, `${caller} ${name}`).toBe('42501');
      }
      await expect(cast.sql(caller, 'select count(*) from private.erasure_files')).rejects.toMatchObject({
        code: '42501',
      });
    }
    const service = serviceClient();
    expect((await service.rpc('claim_erasure_files', { batch: 0 })).error?.code).toBe('22023');
    expect((await service.rpc('finish_erasure_files', { removed: null as unknown as string[] })).error?.code).toBe(
      '22023',
    );
    // An id never queued finishes nothing.
    expect((await service.rpc('finish_erasure_files', { removed: [randomUUID()], failed: [] })).data).toBe(0);
  });
});
