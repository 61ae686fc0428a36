import { createSign } from 'node:crypto';

/**
 * The local stack's SendGrid Event Webhook signing key pair: well known and for local use only,
 * like the CLI's demo JWT secret. Functions get the public half as `SENDGRID_WEBHOOK_PUBLIC_KEY`
 * (what SendGrid's settings page shows, base64 SubjectPublicKeyInfo); tests and tools sign
 * simulated events with the private half (base64 PKCS#8). A hosted project sets its own key with
 * `supabase secrets set SENDGRID_WEBHOOK_PUBLIC_KEY=…`; `supabase/functions/.env` overrides this
 * one locally.
 */
export const LOCAL_SENDGRID_WEBHOOK_PUBLIC_KEY =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhHIzbcjFfEwl9gCgYpqhZ1QptLc2l86RwxT5DVaW+CROVaalj1l8wNMwU88NjbIlTTt+NdMUemy5IpdDa/rRRw==';

export const LOCAL_SENDGRID_WEBHOOK_PRIVATE_KEY =
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg+w+jd2ND9DTp5BvJmwUtYOWZ6mE5hrgdly/gyX1gZuChRANCAASEcjNtyMV8TCX2AKBimqFnVCm0tzaXzpHDFPkNVpb4JE5VpqWPWXzA0zBTzw2NsiVNO3410xR6bLkil0Nr+tFH';

/**
 * The `X-Twilio-Email-Event-Webhook-Signature` SendGrid would send for `body` at `timestamp`:
 * ECDSA (P-256, SHA-256) over timestamp + body with the local private key, DER, base64.
 */
export function signLocalSendGridEvents(body: string, timestamp: string): string {
  const signer = createSign('SHA256');
  signer.update(timestamp + body);
  return signer
    .sign({
      key: Buffer.from(LOCAL_SENDGRID_WEBHOOK_PRIVATE_KEY, 'base64'),
      format: 'der',
      type: 'pkcs8',
      dsaEncoding: 'der',
    })
    .toString('base64');
}

/** Any non-empty bearer passes the mail catcher; SendGrid's own keys start with `SG.`. */
export const LOCAL_SENDGRID_API_KEY = 'SG.local-mail-catcher';
