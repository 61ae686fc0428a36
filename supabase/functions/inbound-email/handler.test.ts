import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { handleInboundEmail, type InboundDeps, type Received, type StoredFile } from './handler.ts';
import type { InboundMail } from './mail.ts';

const SECRET = 'parse-secret-for-tests';
const URL_OK = `https://project.example/functions/v1/inbound-email?key=${SECRET}`;

function fakes(received: Partial<Received> = {}) {
  const mails: InboundMail[] = [];
  const uploads: Array<[string, number, string]> = [];
  const attached: Array<[string, StoredFile[]]> = [];
  const deps: InboundDeps = {
    secret: SECRET,
    receive: (mail) => {
      mails.push(mail);
      return Promise.resolve({
        inbound_id: 'in1',
        state: 'matched',
        customer_id: 'c1',
        message_id: 'm1',
        duplicate: false,
        ...received,
      });
    },
    upload: (path, bytes, mime) => {
      uploads.push([path, bytes.length, mime]);
      return Promise.resolve(
        mime === 'application/x-msdownload' ? 'type application/x-msdownload is not accepted' : null,
      );
    },
    attach: (id, files) => {
      attached.push([id, files]);
      return Promise.resolve();
    },
    log: () => undefined,
  };
  return { deps, mails, uploads, attached };
}

function parseForm(fields: Record<string, string | Blob>, files: Array<[string, Blob, string]> = []): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  for (const [name, blob, filename] of files) form.set(name, blob, filename);
  return form;
}

const reply = {
  headers:
    'Received: by mx.sendgrid.net\nFrom: Ana <ana@example.test>\nMessage-ID: <theirs-1@mail.example.test>\nIn-Reply-To: <ours-1@inbound.cairn.example>\nReferences: <older@x.test>\n <ours-1@inbound.cairn.example>\n',
  dkim: '{@example.test : pass}',
  to: 'Cairn <reply+0123456789abcdef0123456789abcdef@inbound.cairn.example>',
  from: 'Ana <ana@example.test>',
  subject: 'Re: Your order',
  text: 'Thanks!',
  sender_ip: '192.0.2.1',
  SPF: 'pass',
  envelope: '{"to":["reply+0123456789abcdef0123456789abcdef@inbound.cairn.example"],"from":"ana@example.test"}',
  charsets: '{"to":"UTF-8","from":"UTF-8","subject":"UTF-8","text":"UTF-8"}',
  attachments: '0',
};

Deno.test('only a post with the parse secret is accepted, compared whole', async () => {
  for (const url of [
    'https://project.example/functions/v1/inbound-email',
    'https://project.example/functions/v1/inbound-email?key=wrong',
    `https://project.example/functions/v1/inbound-email?key=${SECRET}x`,
    `https://project.example/functions/v1/inbound-email?key=${SECRET.slice(0, -1)}`,
  ]) {
    const fake = fakes();
    const response = await handleInboundEmail(new Request(url, { method: 'POST', body: parseForm(reply) }), fake.deps);
    strictEqual(response.status, 403, url);
    strictEqual(fake.mails.length, 0);
  }
  const unconfigured = fakes();
  unconfigured.deps.secret = undefined;
  strictEqual(
    (await handleInboundEmail(new Request(URL_OK, { method: 'POST', body: parseForm(reply) }), unconfigured.deps))
      .status,
    403,
  );
  strictEqual((await handleInboundEmail(new Request(URL_OK), fakes().deps)).status, 405);
});

Deno.test('reads a parsed reply: addresses, Message-ID, In-Reply-To checked before References', async () => {
  const fake = fakes();
  const response = await handleInboundEmail(new Request(URL_OK, { method: 'POST', body: parseForm(reply) }), fake.deps);
  strictEqual(response.status, 200);
  deepStrictEqual(await response.json(), { ok: true, state: 'matched', duplicate: false });
  const [mail] = fake.mails;
  strictEqual(mail.from, 'Ana <ana@example.test>');
  strictEqual(mail.subject, 'Re: Your order');
  strictEqual(mail.message_id, 'theirs-1@mail.example.test');
  // receive_inbound_email checks from the end: In-Reply-To first.
  deepStrictEqual(mail.references, ['older@x.test', 'ours-1@inbound.cairn.example', 'ours-1@inbound.cairn.example']);
  deepStrictEqual((mail.details.envelope as { from: string }).from, 'ana@example.test');
  strictEqual(mail.details.spf, 'pass');
});

Deno.test('the same mail posted again has the same dedupe key, whatever the boundary', async () => {
  const first = fakes();
  const second = fakes();
  await handleInboundEmail(new Request(URL_OK, { method: 'POST', body: parseForm(reply) }), first.deps);
  await handleInboundEmail(new Request(URL_OK, { method: 'POST', body: parseForm(reply) }), second.deps);
  strictEqual(first.mails[0].dedupe_key, second.mails[0].dedupe_key);
  const other = fakes();
  await handleInboundEmail(
    new Request(URL_OK, { method: 'POST', body: parseForm({ ...reply, text: 'Other' }) }),
    other.deps,
  );
  strictEqual(other.mails[0].dedupe_key === first.mails[0].dedupe_key, false);
});

function rawMultipart(
  boundary: string,
  parts: Array<[string, Uint8Array | string]>,
  close = true,
): Uint8Array<ArrayBuffer> {
  const chunks: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const [name, value] of parts) {
    chunks.push(enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`));
    chunks.push(typeof value === 'string' ? enc.encode(value) : value);
    chunks.push(enc.encode('\r\n'));
  }
  if (close) chunks.push(enc.encode(`--${boundary}--\r\n`));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

Deno.test('decodes each field in the charset the sender used; an unknown charset is noted, not fatal', async () => {
  const latin1 = new Uint8Array([0x43, 0x61, 0x66, 0xe9]); // "Café" in ISO-8859-1
  const fake = fakes();
  const body = rawMultipart('b0und', [
    ['from', 'ana@example.test'],
    ['subject', latin1],
    ['text', latin1],
    ['html', new Uint8Array([0x3c, 0x70, 0x3e, 0xff, 0xfe, 0x00, 0x3c])],
    ['charsets', '{"subject":"iso-8859-1","text":"windows-1252","html":"x-klingon-9"}'],
  ]);
  const response = await handleInboundEmail(
    new Request(URL_OK, { method: 'POST', body, headers: { 'Content-Type': 'multipart/form-data; boundary=b0und' } }),
    fake.deps,
  );
  strictEqual(response.status, 200);
  const [mail] = fake.mails;
  strictEqual(mail.subject, 'Café');
  strictEqual(mail.text, 'Café');
  strictEqual(mail.html?.includes('\u0000'), false); // NUL cannot be stored: removed
  deepStrictEqual(mail.details.notes, ['html: unknown charset x-klingon-9, read as UTF-8']);
});

Deno.test('a post that is no form, or a form without a mail, is kept as malformed and answered 200', async () => {
  for (const [body, type] of [
    ['just some text', 'text/plain'],
    ['--x\r\nno headers here', 'multipart/form-data; boundary=nope'],
    [rawMultipart('b', [['unrelated', 'x']]), 'multipart/form-data; boundary=b'],
  ] as const) {
    const fake = fakes({ state: 'malformed', customer_id: null, message_id: null });
    const response = await handleInboundEmail(
      new Request(URL_OK, { method: 'POST', body, headers: { 'Content-Type': type } }),
      fake.deps,
    );
    strictEqual(response.status, 200, type);
    strictEqual(typeof fake.mails[0].malformed, 'string');
    strictEqual(fake.mails[0].dedupe_key.length, 64);
  }
});

Deno.test('an unterminated form and forged, oversized or hostile fields never crash it', async () => {
  const fake = fakes();
  const body = rawMultipart(
    'zz',
    [
      ['from', 'Eve\r\nBcc: all@example.test <eve@evil.test>'],
      ['subject', 'x'.repeat(100_000)],
      ['envelope', '{"to": ["\\ud800"], "deep": ' + '['.repeat(5000) + ']'.repeat(5000) + '}'],
      ['headers', 'In-Reply-To: <' + 'a'.repeat(5000) + '>\nReferences: ' + '<r@x> '.repeat(500)],
      ['text', 'body'],
    ],
    false,
  );
  const response = await handleInboundEmail(
    new Request(URL_OK, { method: 'POST', body, headers: { 'Content-Type': 'multipart/form-data; boundary="zz"' } }),
    fake.deps,
  );
  strictEqual(response.status, 200);
  const [mail] = fake.mails;
  strictEqual(mail.text, 'body');
  strictEqual(mail.references.length, 50); // capped; the 5000-character id is no Message-ID
  strictEqual(JSON.stringify(mail.details).includes('\\ud800'), false);
});

Deno.test('stores files under the customer, refuses huge ones, keeps names in their folder', async () => {
  const fake = fakes();
  const huge = new Blob([new Uint8Array(10 * 1024 * 1024 + 1)], { type: 'application/zip' });
  const form = parseForm(
    {
      ...reply,
      attachments: '3',
      'attachment-info': '{"attachment1":{"filename":"../../x.pdf","type":"application/pdf"}}',
    },
    [
      ['attachment1', new Blob(['%PDF-1.4'], { type: 'application/pdf' }), '../../x.pdf'],
      ['attachment2', huge, 'big.zip'],
      ['attachment3', new Blob(['a'], { type: 'text/plain; charset=utf-8' }), '..'],
      ['attachment4', new Blob(['MZ'], { type: 'application/x-msdownload' }), 'setup.exe'],
    ],
  );
  const response = await handleInboundEmail(new Request(URL_OK, { method: 'POST', body: form }), fake.deps);
  strictEqual(response.status, 200);
  deepStrictEqual(fake.uploads, [
    ['c1/messages/m1/1-x.pdf', 8, 'application/pdf'],
    ['c1/messages/m1/3-attachment-3', 1, 'text/plain'],
    ['c1/messages/m1/4-setup.exe', 2, 'application/x-msdownload'],
  ]);
  const [[id, files]] = fake.attached;
  strictEqual(id, 'in1');
  deepStrictEqual(
    files.map((f) => [f.name, f.refused ?? null]),
    [
      ['x.pdf', null],
      ['attachment-3', null],
      ['setup.exe', 'type application/x-msdownload is not accepted'],
      ['big.zip', 'larger than 10 MB'],
    ],
  );
});

Deno.test('unmatched mail keeps its files under inbound/, and a redelivery stores nothing again', async () => {
  const form = () =>
    parseForm({ ...reply, attachments: '1' }, [['attachment1', new Blob(['x'], { type: 'text/plain' }), 'note.txt']]);
  const unmatched = fakes({ state: 'unmatched', customer_id: null, message_id: null });
  await handleInboundEmail(new Request(URL_OK, { method: 'POST', body: form() }), unmatched.deps);
  deepStrictEqual(unmatched.uploads, [['inbound/in1/1-note.txt', 1, 'text/plain']]);
  const again = fakes({ duplicate: true });
  const response = await handleInboundEmail(new Request(URL_OK, { method: 'POST', body: form() }), again.deps);
  deepStrictEqual(await response.json(), { ok: true, state: 'matched', duplicate: true });
  strictEqual(again.uploads.length, 0);
});
