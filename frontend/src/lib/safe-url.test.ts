import { describe, expect, it } from 'vitest';

import { httpUrl } from './safe-url.ts';

describe('httpUrl', () => {
  it('keeps absolute http and https URLs', () => {
    expect(httpUrl('https://www.ups.com/track?tracknum=1Z')).toBe('https://www.ups.com/track?tracknum=1Z');
    expect(httpUrl(' http://carrier.example/t/1 ')).toBe('http://carrier.example/t/1');
  });

  it('refuses every other scheme, relative paths and junk', () => {
    for (const value of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      ' javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'ftp://files.example/x',
      '//evil.example/x',
      '/track/1',
      'www.ups.com/track',
      '',
      null,
      undefined,
    ])
      expect(httpUrl(value), String(value)).toBeNull();
  });
});
