import { deepStrictEqual } from 'node:assert/strict';
import { isPrivateHost } from './handler.ts';

Deno.test('isPrivateHost refuses this machine and private networks, not public hosts', () => {
  const private_ = [
    'localhost',
    'db.localhost',
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '[::1]',
    '[fd00::1]',
    '[fe80::1]',
    '[::ffff:127.0.0.1]',
    '2130706433',
    'metadata.google.internal',
  ];
  const public_ = ['feeds.example.com', '8.8.8.8', '172.32.0.1', '[2001:db8::1]', 'shop.example'];
  deepStrictEqual(
    private_.filter((host) => !isPrivateHost(host)),
    [],
  );
  deepStrictEqual(
    public_.filter((host) => isPrivateHost(host)),
    [],
  );
});
