/** The auth emulator's rate-limit arithmetic (GoTrue's tollbooth buckets and email interval limiter). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IntervalLimiter, TokenBuckets } from '../src/auth/rate-limit.ts';
import { loadSettings } from '../src/settings.ts';

describe('TokenBuckets', () => {
  it('allows a burst, then refills at the configured pace, per key', () => {
    // token_refresh = 150 per 5 minutes: 0.5 a second, bursts of 30.
    const buckets = new TokenBuckets(150 / 300, 30);
    const t = 1_000_000;
    for (let i = 0; i < 30; i++) expect(buckets.take('10.0.0.1', t)).toBe(true);
    expect(buckets.take('10.0.0.1', t)).toBe(false);
    expect(buckets.take('10.0.0.2', t)).toBe(true);
    expect(buckets.take('10.0.0.1', t + 1_000)).toBe(false);
    expect(buckets.take('10.0.0.1', t + 2_000)).toBe(true);
    expect(buckets.available('10.0.0.1', t + 2_000)).toBe(false);
    expect(buckets.available('10.0.0.1', t + 600_000)).toBe(true);
  });
});

describe('IntervalLimiter (email_sent)', () => {
  it('allows N events per window, then none until the next window', () => {
    const t = 5_000_000;
    const limiter = new IntervalLimiter(2, 3_600_000, t);
    expect([limiter.allow(t), limiter.allow(t + 1), limiter.allow(t + 2)]).toEqual([true, true, false]);
    expect(limiter.allow(t + 3_600_000)).toBe(true);
  });
});

describe('[auth.rate_limit] settings', () => {
  function settingsFrom(toml: string) {
    const root = mkdtempSync(path.join(tmpdir(), 'cairn-settings-'));
    try {
      mkdirSync(path.join(root, 'supabase'));
      writeFileSync(path.join(root, 'supabase', 'config.toml'), toml);
      return loadSettings(root).auth.rateLimit;
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it('reads the limits, and applies email_sent only with SMTP, as the CLI does', () => {
    const limits =
      '[auth.rate_limit]\nemail_sent = 2\ntoken_refresh = 150\nsign_in_sign_ups = 30\ntoken_verifications = 30\n';
    expect(settingsFrom(limits)).toMatchObject({ emailSent: 360_000, tokenRefresh: 150, signInSignUps: 30 });
    expect(settingsFrom(`${limits}[auth.email.smtp]\nenabled = true\n`).emailSent).toBe(2);
  });
});
