/**
 * No `[auth]` setting of config.toml is ignored without a word: at start the stack names each
 * one it does not implement (README: "What the local auth does not implement"). A setting is
 * either honoured (settings.ts), moot (it belongs to a feature that is off, and the stack
 * answers as GoTrue does when that feature is off), or reported here.
 */
type Table = Record<string, unknown>;

const isTable = (value: unknown): value is Table =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `[auth]` keys the stack honours, as dotted paths below `auth`. */
const HONOURED = new Set([
  'enabled',
  'site_url',
  'additional_redirect_urls',
  'jwt_expiry',
  'enable_refresh_token_rotation',
  'refresh_token_reuse_interval',
  'enable_signup',
  'enable_anonymous_sign_ins',
  'enable_manual_linking',
  'minimum_password_length',
  'password_requirements',
  'signing_keys_path',
  'rate_limit.email_sent',
  'rate_limit.sms_sent',
  'rate_limit.anonymous_users',
  'rate_limit.token_refresh',
  'rate_limit.sign_in_sign_ups',
  'rate_limit.token_verifications',
  'rate_limit.web3',
  'email.enabled',
  'email.enable_signup',
  'email.enable_confirmations',
  'email.double_confirm_changes',
  'email.secure_password_change',
  'email.max_frequency',
  'email.otp_length',
  'email.otp_expiry',
  'mfa.max_enrolled_factors',
  'mfa.totp.enroll_enabled',
  'mfa.totp.verify_enabled',
]);

/** Settings whose honoured value is only one of their values: the other is reported. */
const HONOURED_ONLY_WHEN: Record<string, { value: unknown; why: string }> = {
  enabled: { value: true, why: 'the local stack always runs auth' },
  enable_manual_linking: { value: false, why: 'identity linking is not implemented (it answers as disabled)' },
  'email.enabled': { value: true, why: 'the email provider cannot be turned off locally' },
};

interface Feature {
  /** The section, as a dotted path below `auth` (`*` matches one name). */
  section: string;
  /** Its switches: the feature is on when any of them is true (none: on whenever present). */
  switches: string[];
  /** Where the switches are, when not in the section itself. */
  switchSection?: string;
  what: string;
}

/** Features the stack does not run; a switched-off one is moot, a switched-on one is reported. */
const FEATURES: Feature[] = [
  { section: 'passkey', switches: ['enabled'], what: 'passkeys are not implemented' },
  { section: 'webauthn', switches: ['enabled'], switchSection: 'passkey', what: 'passkeys are not implemented' },
  { section: 'captcha', switches: ['enabled'], what: 'captcha verification is not implemented' },
  { section: 'hook.*', switches: ['enabled'], what: 'auth hooks are not implemented' },
  { section: 'mfa.phone', switches: ['enroll_enabled', 'verify_enabled'], what: 'phone MFA is not implemented' },
  {
    section: 'mfa.web_authn',
    switches: ['enroll_enabled', 'verify_enabled'],
    what: 'WebAuthn MFA is not implemented',
  },
  {
    section: 'email.smtp',
    switches: ['enabled'],
    what: 'mail goes to the local mail catcher, never to an SMTP server',
  },
  {
    section: 'email.notification.*',
    switches: ['enabled'],
    what: 'notification emails are not implemented',
  },
  { section: 'sms.test_otp', switches: [], what: 'SMS test OTPs are not implemented' },
  { section: 'sms.*', switches: ['enabled'], what: 'SMS providers are not implemented' },
  {
    section: 'sms',
    switches: ['enabled', 'enable_signup'],
    what: 'phone sign-in is not implemented (it answers as disabled)',
  },
  { section: 'external.*', switches: ['enabled'], what: 'OAuth providers are not implemented' },
  { section: 'web3.*', switches: ['enabled'], what: 'Web3 sign-in is not implemented' },
  { section: 'third_party.*', switches: ['enabled'], what: 'third-party auth is not implemented' },
  { section: 'oauth_server', switches: ['enabled'], what: 'the OAuth 2.1 server is not implemented' },
];

function leaves(table: Table, prefix = ''): Array<[string, unknown]> {
  return Object.entries(table).flatMap(([key, value]) => {
    const dotted = prefix ? `${prefix}.${key}` : key;
    return isTable(value) && Object.keys(value).length ? leaves(value, dotted) : [[dotted, value] as [string, unknown]];
  });
}

/** The feature a setting lies inside, with the concrete section path (`sms.twilio`). */
function featureOf(setting: string): { feature: Feature; section: string } | null {
  const parts = setting.split('.');
  for (const feature of FEATURES) {
    const pattern = feature.section.split('.');
    if (parts.length > pattern.length && pattern.every((part, i) => part === '*' || part === parts[i]))
      return { feature, section: parts.slice(0, pattern.length).join('.') };
  }
  return null;
}

function valueAt(table: Table, dotted: string): unknown {
  return dotted.split('.').reduce<unknown>((value, key) => (isTable(value) ? value[key] : undefined), table);
}

/** One sentence per `[auth]` setting of config.toml the local stack does not implement. */
export function unimplementedSettings(config: Table): string[] {
  const auth = isTable(config.auth) ? config.auth : {};
  const warnings = new Set<string>();
  for (const [setting, value] of leaves(auth)) {
    const onlyWhen = HONOURED_ONLY_WHEN[setting];
    if (onlyWhen) {
      if (value !== onlyWhen.value)
        warnings.add(`config.toml [auth] ${setting} = ${JSON.stringify(value)} is not implemented: ${onlyWhen.why}`);
      continue;
    }
    if (HONOURED.has(setting)) continue;
    const owner = featureOf(setting);
    if (owner) {
      const { feature, section } = owner;
      const switches = feature.switchSection ?? section;
      const on =
        feature.switches.length === 0 || feature.switches.some((name) => valueAt(auth, `${switches}.${name}`) === true);
      if (on) warnings.add(`config.toml [auth.${section}] is on, but ${feature.what} in the local stack`);
      continue;
    }
    warnings.add(`config.toml [auth] ${setting} is not implemented by the local stack (ignored)`);
  }
  return [...warnings];
}
