import { describe, expect, it } from 'vitest';
import { inboundParseForm } from '../src/mail/inbound-parse.ts';
import type { StoredMail } from '../src/mail/store.ts';

/** The catcher's Reply posts what SendGrid Inbound Parse posts (its default, parsed mode). */
describe('inboundParseForm', () => {
  const original: StoredMail = {
    id: 'abc',
    messageId: 'sg-1',
    created: '2026-12-07T10:00:00.000Z',
    source: 'sendgrid',
    from: { email: 'team@cairn.example', name: 'Maria' },
    to: [{ email: 'ana@example.test', name: 'Ana' }],
    replyTo: { email: 'reply+0123456789abcdef0123456789abcdef@inbound.cairn.localhost', name: 'Maria' },
    subject: 'Your fitting',
    text: 'Friday?',
    headers: { 'Message-ID': '<m1@inbound.cairn.localhost>' },
  };

  it('has exactly the fields SendGrid posts, answering the Reply-To and naming the original in In-Reply-To', async () => {
    const form = inboundParseForm(original, {
      text: 'Yes!',
      attachments: [{ name: 'a.txt', type: 'text/plain', content: Buffer.from('hi').toString('base64') }],
    });
    expect([...form.keys()].sort()).toEqual(
      [
        'SPF',
        'attachment-info',
        'attachment1',
        'attachments',
        'charsets',
        'dkim',
        'envelope',
        'from',
        'headers',
        'sender_ip',
        'subject',
        'text',
        'to',
      ].sort(),
    );
    expect(form.get('to')).toBe('"Maria" <reply+0123456789abcdef0123456789abcdef@inbound.cairn.localhost>');
    expect(form.get('from')).toBe('ana@example.test');
    expect(form.get('subject')).toBe('Re: Your fitting');
    expect(form.get('attachments')).toBe('1');
    expect(JSON.parse(String(form.get('attachment-info')))).toEqual({
      attachment1: { filename: 'a.txt', name: 'a.txt', type: 'text/plain' },
    });
    expect(await (form.get('attachment1') as Blob).text()).toBe('hi');
    const headers = String(form.get('headers'));
    expect(headers).toContain('In-Reply-To: <m1@inbound.cairn.localhost>');
    expect(headers).toMatch(/^Message-ID: <[0-9a-f]+@mail\.example\.test>$/m);
    expect(JSON.parse(String(form.get('envelope')))).toEqual({
      to: ['reply+0123456789abcdef0123456789abcdef@inbound.cairn.localhost'],
      from: 'ana@example.test',
    });
  });

  it('keeps a forged subject or sender from adding a header line', () => {
    const form = inboundParseForm(
      { ...original, subject: 'Hi\r\nBcc: everyone@example.test' },
      { text: 'x', from: 'eve@x.test\r\nX-Evil: 1' },
    );
    expect(String(form.get('headers'))).not.toMatch(/^(Bcc|X-Evil):/m);
  });
});
