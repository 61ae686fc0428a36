import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { clientAddress, requestEvidence } from './client-address.ts';

Deno.test('the address is the one the trusted proxy set, never the first X-Forwarded-For entry', () => {
  strictEqual(clientAddress(new Headers({ 'X-Forwarded-For': '6.6.6.6, 203.0.113.7' })), '203.0.113.7');
  strictEqual(
    clientAddress(new Headers({ 'X-Forwarded-For': '6.6.6.6, 203.0.113.7', 'X-Real-IP': '198.51.100.2' })),
    '198.51.100.2',
  );
  strictEqual(
    clientAddress(
      new Headers({ 'X-Forwarded-For': '6.6.6.6', 'X-Real-IP': '198.51.100.2', 'CF-Connecting-IP': '2001:db8::1' }),
    ),
    '2001:db8::1',
  );
  strictEqual(clientAddress(new Headers({ 'X-Forwarded-For': '6.6.6.6, not-an-address' })), null);
  strictEqual(clientAddress(new Headers()), null);
});

Deno.test('evidence keeps what the client said about itself as untrusted detail', () => {
  deepStrictEqual(
    requestEvidence(new Headers({ 'X-Forwarded-For': '6.6.6.6, 127.0.0.1', 'User-Agent': 'forged-agent' })),
    { ip: '127.0.0.1', forwarded_for: '6.6.6.6, 127.0.0.1', user_agent: 'forged-agent' },
  );
  deepStrictEqual(requestEvidence(new Headers()), { ip: null, forwarded_for: null, user_agent: null });
});
