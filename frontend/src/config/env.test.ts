import { describe, expect, it } from 'vitest';

import { parseEnv } from './parse-env.ts';

const LOCAL = { VITE_SUPABASE_URL: 'http://127.0.0.1:54321', VITE_SUPABASE_ANON_KEY: 'local.anon.key' };

describe('parseEnv', () => {
  it('fills unset values with the local defaults the development server passes', () => {
    expect(parseEnv({}, LOCAL)).toEqual({ supabaseUrl: 'http://127.0.0.1:54321', supabaseAnonKey: 'local.anon.key' });
  });

  it('treats an empty value as unset', () => {
    expect(parseEnv({ VITE_SUPABASE_URL: '' }, LOCAL).supabaseUrl).toBe('http://127.0.0.1:54321');
  });

  it('uses the given values over the defaults', () => {
    const env = parseEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: 'key' }, LOCAL);
    expect(env).toEqual({ supabaseUrl: 'https://abc.supabase.co', supabaseAnonKey: 'key' });
  });

  it('refuses a missing URL or key without defaults (a production build), naming each variable', () => {
    expect(() => parseEnv({})).toThrow(/VITE_SUPABASE_URL[\s\S]*VITE_SUPABASE_ANON_KEY/);
    expect(() => parseEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: '' })).toThrow(
      /VITE_SUPABASE_ANON_KEY/,
    );
  });

  it('refuses a URL that is not http(s), naming the variable', () => {
    expect(() => parseEnv({ VITE_SUPABASE_URL: 'localhost:54321' }, LOCAL)).toThrow(/VITE_SUPABASE_URL/);
    expect(() => parseEnv({ VITE_SUPABASE_URL: 'ftp://example.com' }, LOCAL)).toThrow(/VITE_SUPABASE_URL/);
  });
});
