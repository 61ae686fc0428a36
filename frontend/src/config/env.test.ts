import { describe, expect, it } from 'vitest';

import { parseEnv } from './env.ts';

describe('parseEnv', () => {
  it('defaults to the local stack when nothing is set', () => {
    const env = parseEnv({});
    expect(env.supabaseUrl).toBe('http://127.0.0.1:54321');
    expect(env.supabaseAnonKey.split('.')).toHaveLength(3);
  });

  it('treats an empty value as unset', () => {
    expect(parseEnv({ VITE_SUPABASE_URL: '' }).supabaseUrl).toBe('http://127.0.0.1:54321');
  });

  it('uses the given values', () => {
    const env = parseEnv({ VITE_SUPABASE_URL: 'https://abc.supabase.co', VITE_SUPABASE_ANON_KEY: 'key' });
    expect(env).toEqual({ supabaseUrl: 'https://abc.supabase.co', supabaseAnonKey: 'key' });
  });

  it('refuses a URL that is not http(s), naming the variable', () => {
    expect(() => parseEnv({ VITE_SUPABASE_URL: 'localhost:54321' })).toThrow(/VITE_SUPABASE_URL/);
    expect(() => parseEnv({ VITE_SUPABASE_URL: 'ftp://example.com' })).toThrow(/VITE_SUPABASE_URL/);
  });
});
