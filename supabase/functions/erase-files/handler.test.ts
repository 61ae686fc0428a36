import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { type ClaimedFile, type EraseFilesDeps, handleEraseFiles } from './handler.ts';

function jwt(role: string): string {
  const part = (value: unknown) => btoa(JSON.stringify(value)).replace(/=+$/, '');
  return `Bearer ${part({ alg: 'HS256' })}.${part({ role })}.sig`;
}

function fakes(queue: ClaimedFile[], failing = new Set<string>()) {
  const calls: string[] = [];
  const deps: EraseFilesDeps = {
    env: { get: (name) => (name === 'CRON_SECRET' ? 'secret' : undefined) },
    claim: (batch) => Promise.resolve(queue.splice(0, batch)),
    remove(bucket, names) {
      calls.push(`remove ${bucket} ${names.join(',')}`);
      return failing.has(bucket) ? Promise.reject(new Error('storage down')) : Promise.resolve();
    },
    finish(removed, failed, error) {
      calls.push(`finish ${removed.join(',')} | ${failed.join(',')} | ${error ?? ''}`);
      return Promise.resolve(removed.length);
    },
    log: () => {},
  };
  return { deps, calls };
}

const post = (body: unknown, headers: Record<string, string>) =>
  new Request('http://x/erase-files', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

Deno.test('removes claimed files in chunks, per bucket, and reports a bucket that failed', async () => {
  const queue = [
    { object_id: 'o1', bucket_id: 'attachments', name: 'c/1.txt' },
    { object_id: 'o2', bucket_id: 'attachments', name: 'c/2.txt' },
    { object_id: 'o3', bucket_id: 'other', name: 'c/3.txt' },
  ];
  const { deps, calls } = fakes(queue, new Set(['other']));
  const response = await handleEraseFiles(post({ batch: 2 }, { Authorization: jwt('service_role') }), deps);
  strictEqual(response.status, 200);
  deepStrictEqual(await response.json(), { removed: 2, failed: 1, chunks: 2 });
  deepStrictEqual(calls, [
    'remove attachments c/1.txt,c/2.txt',
    'finish o1,o2 |  | ',
    'remove other c/3.txt',
    'finish  | o3 | storage down',
  ]);
});

Deno.test('only the schedule or the service role; bad bodies are refused before any claim', async () => {
  const { deps, calls } = fakes([{ object_id: 'o1', bucket_id: 'attachments', name: 'c/1.txt' }]);
  strictEqual((await handleEraseFiles(post({}, { Authorization: jwt('authenticated') }), deps)).status, 403);
  strictEqual((await handleEraseFiles(post({}, { 'X-Cron-Secret': 'wrong' }), deps)).status, 401);
  for (const body of [{ batch: 0 }, { batch: 'all' }, { chunks: 51 }, { extra: 1 }, []]) {
    const response = await handleEraseFiles(post(body, { 'X-Cron-Secret': 'secret' }), deps);
    strictEqual(response.status, 400, JSON.stringify(body));
  }
  strictEqual((await handleEraseFiles(new Request('http://x', { method: 'GET' }), deps)).status, 405);
  deepStrictEqual(calls, []);
  strictEqual((await handleEraseFiles(post({ source: 'cron' }, { 'X-Cron-Secret': 'secret' }), deps)).status, 200);
});
