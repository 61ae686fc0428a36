/**
 * The start-up warnings about `[auth]` settings the stack does not implement (issue 17): each
 * named once; honoured settings and the settings of features that are off stay quiet.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../src/config.ts';
import { unimplementedSettings } from '../src/unimplemented.ts';

describe('config.toml settings the local stack does not implement', () => {
  it("finds none in Cairn's config.toml (every unimplemented feature is off there)", () => {
    const config = parse(readFileSync(path.join(repoRoot, 'supabase', 'config.toml'), 'utf8'));
    expect(unimplementedSettings(config)).toEqual([]);
  });

  it('names each one that is on or set, once', () => {
    const config = parse(`
      [auth]
      jwt_issuer = "https://example.test"
      enable_manual_linking = true
      signing_keys_path = "./signing_keys.json"
      [auth.passkey]
      enabled = true
      [auth.webauthn]
      rp_id = "localhost"
      rp_origins = ["http://127.0.0.1:3000"]
      [auth.sms]
      enable_signup = true
      template = "Your code is {{ .Code }}"
      [auth.sms.twilio]
      enabled = true
      account_sid = "x"
      [auth.sms.vonage]
      enabled = false
      api_key = "y"
      [auth.oauth_server]
      enabled = true
      [auth.sessions]
      timebox = "24h"
      [auth.email.template.invite]
      subject = "Join us"
      [auth.external.github]
      enabled = false
      client_id = "z"
    `);
    expect(unimplementedSettings(config).sort()).toEqual(
      [
        'config.toml [auth] jwt_issuer is not implemented by the local stack (ignored)',
        'config.toml [auth] enable_manual_linking = true is not implemented: identity linking is not implemented (it answers as disabled)',
        'config.toml [auth.passkey] is on, but passkeys are not implemented in the local stack',
        'config.toml [auth.webauthn] is on, but passkeys are not implemented in the local stack',
        'config.toml [auth.sms] is on, but phone sign-in is not implemented (it answers as disabled) in the local stack',
        'config.toml [auth.sms.twilio] is on, but SMS providers are not implemented in the local stack',
        'config.toml [auth.oauth_server] is on, but the OAuth 2.1 server is not implemented in the local stack',
        'config.toml [auth] sessions.timebox is not implemented by the local stack (ignored)',
        'config.toml [auth] email.template.invite.subject is not implemented by the local stack (ignored)',
      ].sort(),
    );
  });
});
