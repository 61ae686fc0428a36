import type { Factor } from '@supabase/supabase-js';

import { supabase } from '@/lib/supabase.ts';

import type { AuthResult } from './password.ts';
import { authErrorKey } from './sign-in.ts';

export interface TotpEnrolment {
  factorId: string;
  /** An image (data: URL of an SVG) for the authenticator app to scan. */
  qrCode: string;
  /** The same secret as text, for typing it in by hand. */
  secret: string;
}

/** The person's TOTP factors, verified or not (an abandoned enrolment stays unverified). */
export async function listTotpFactors(): Promise<Factor[]> {
  const { data, error } = await supabase.auth.mfa.listFactors();
  if (error) throw error;
  return data.all.filter((factor) => factor.factor_type === 'totp');
}

export async function enrolTotp(friendlyName: string): Promise<TotpEnrolment | { error: string }> {
  const { data, error } = await supabase.auth.mfa.enroll({ factorType: 'totp', friendlyName });
  if (error) return { error: authErrorKey(error) };
  return { factorId: data.id, qrCode: svgDataUrl(data.totp.qr_code), secret: data.totp.secret };
}

const SVG_PREFIX = /^data:image\/svg\+xml;(?:utf-8|charset=utf-8),/;

/**
 * supabase-js hands the QR code over as `data:image/svg+xml;utf-8,<svg…>` without escaping it, so a
 * `#` in the SVG (a colour such as fill="#000") cuts the URL short and the image breaks.
 * Percent-encoding the SVG makes it a valid data URL whatever the SVG contains.
 */
export function svgDataUrl(qrCode: string): string {
  const svg = qrCode.replace(SVG_PREFIX, '');
  if (!svg.trimStart().startsWith('<')) return qrCode;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** Answers a fresh challenge with the code; success raises the session to aal2. */
export async function verifyTotp(factorId: string, code: string): Promise<AuthResult> {
  const { data, error } = await supabase.auth.mfa.challengeAndVerify({ factorId, code });
  if (error) return { ok: false, messageKey: authErrorKey(error) };
  // supabase-js gives Realtime a new token on sign-in and refresh, not after MFA: without this,
  // live updates would keep the aal1 token, which the database answers with nothing.
  await supabase.realtime.setAuth(data.access_token);
  return { ok: true };
}

/** Abandoned enrolments are removed first: the auth server refuses a second factor with the same name. */
export async function startTotpEnrolment(friendlyName: string): Promise<TotpEnrolment | { error: string }> {
  const stale = (await listTotpFactors()).filter((factor) => factor.status !== 'verified');
  await Promise.all(stale.map((factor) => removeFactor(factor.id)));
  return enrolTotp(friendlyName);
}

export async function removeFactor(factorId: string): Promise<AuthResult> {
  const { error } = await supabase.auth.mfa.unenroll({ factorId });
  return error ? { ok: false, messageKey: authErrorKey(error) } : { ok: true };
}

/** The verified factor to challenge at sign-in (the first one: people rarely keep two). */
export async function firstVerifiedTotp(): Promise<string | null> {
  const { data, error } = await supabase.auth.mfa.listFactors();
  if (error) return null;
  return data.totp[0]?.id ?? null;
}
