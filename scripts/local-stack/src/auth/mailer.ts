/**
 * Auth's emails (confirmation, invite, recovery, magic link, email change, reauthentication)
 * and their one-time tokens. As GoTrue: a 6-digit OTP is mailed, and the user row stores
 * `sha224(email + otp)` (hex), which is also the `token` of the mailed verify link, so
 * `verifyOtp({email, token})`, `verifyOtp({token_hash})` and the link all work.
 */
import { createHash, randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { StackContext } from '../context.ts';
import type { AuthSettings } from '../settings.ts';
import { header } from '../lib/http.ts';

export type LinkType = 'signup' | 'invite' | 'recovery' | 'magiclink' | 'email_change';

export function generateOtp(length: number): string {
  let otp = '';
  for (let i = 0; i < length; i++) otp += String(randomInt(10));
  return otp;
}

export const tokenHash = (emailOrPhone: string, otp: string) =>
  createHash('sha224')
    .update(emailOrPhone + otp)
    .digest('hex');

export interface OneTimeToken {
  otp: string;
  hash: string;
}

export function newOneTimeToken(settings: AuthSettings, email: string): OneTimeToken {
  const otp = generateOtp(settings.email.otpLength);
  return { otp, hash: tokenHash(email, otp) };
}

/** `mailer.GetEmailActionLink`: the verify endpoint with the hashed token. */
export function actionLink(ctx: StackContext, hash: string, type: LinkType, redirectTo: string): string {
  return `${ctx.config.authExternalUrl}/verify?token=${encodeURIComponent(hash)}&type=${type}&redirect_to=${encodeURIComponent(redirectTo)}`;
}

/** A redirect pattern from additional_redirect_urls: `**` spans anything, `*` stays inside a segment. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^./]*';
    else if (char === '?') source += '[^./]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** `utilities.IsRedirectURLValid`: the site's origin (any port on loopback), a loopback IP, or an allow-list match. */
export function isRedirectValid(settings: AuthSettings, candidate: string): boolean {
  if (!candidate) return false;
  let site: URL;
  let target: URL;
  try {
    site = new URL(settings.siteUrl);
    target = new URL(candidate);
  } catch {
    return false;
  }
  if (
    site.hostname === target.hostname &&
    site.protocol === target.protocol &&
    (site.port === target.port || LOOPBACK.has(target.hostname))
  ) {
    return true;
  }
  if (/^\d+$/.test(target.hostname)) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(target.hostname) || target.hostname.startsWith('['))
    return LOOPBACK.has(target.hostname) || target.hostname.startsWith('127.');
  const withoutFragment = candidate.split('#')[0];
  return settings.additionalRedirectUrls.some((pattern) => globToRegExp(pattern).test(withoutFragment));
}

/** `utilities.GetReferrer`: a valid `redirect_to` (header, query or given body value), else a valid Referer, else site_url. */
export function referrer(settings: AuthSettings, req: IncomingMessage, url: URL, bodyValue?: string): string {
  for (const candidate of [
    header(req, 'redirect_to'),
    url.searchParams.get('redirect_to'),
    bodyValue,
    header(req, 'referer'),
  ]) {
    if (candidate && isRedirectValid(settings, candidate)) return candidate;
  }
  return settings.siteUrl;
}

interface MailContent {
  subject: string;
  html: string;
}

const escapeHtml = (value: string) =>
  value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** GoTrue's default templates, plus the OTP line the CLI's local templates show. */
function content(
  type: LinkType | 'reauthentication',
  link: string,
  otp: string,
  extra: { siteUrl: string; email: string; newEmail?: string },
): MailContent {
  const a = (label: string) => `<p><a href="${escapeHtml(link)}">${label}</a></p>`;
  const code = `<p>Alternatively, enter the code: ${otp}</p>`;
  switch (type) {
    case 'signup':
      return {
        subject: 'Confirm Your Signup',
        html: `<h2>Confirm your signup</h2><p>Follow this link to confirm your user:</p>${a('Confirm your mail')}${code}`,
      };
    case 'invite':
      return {
        subject: 'You have been invited',
        html: `<h2>You have been invited</h2><p>You have been invited to create a user on ${escapeHtml(extra.siteUrl)}. Follow this link to accept the invite:</p>${a('Accept the invite')}${code}`,
      };
    case 'recovery':
      return {
        subject: 'Reset Your Password',
        html: `<h2>Reset Password</h2><p>Follow this link to reset the password for your user:</p>${a('Reset Password')}${code}`,
      };
    case 'magiclink':
      return {
        subject: 'Your Magic Link',
        html: `<h2>Magic Link</h2><p>Follow this link to login:</p>${a('Log In')}${code}`,
      };
    case 'email_change':
      return {
        subject: 'Confirm Email Change',
        html: `<h2>Confirm email change</h2><p>Follow this link to confirm the update of your email from ${escapeHtml(extra.email)} to ${escapeHtml(extra.newEmail ?? '')}:</p>${a('Change Email')}${code}`,
      };
    case 'reauthentication':
      return {
        subject: 'Confirm reauthentication',
        html: `<h2>Confirm reauthentication</h2><p>Enter the code: ${otp}</p>`,
      };
  }
}

const htmlToText = (html: string) =>
  html
    .replace(
      /<a href="([^"]+)">([^<]*)<\/a>/g,
      (_, href: string, label: string) => `${label}: ${href.replace(/&amp;/g, '&')}`,
    )
    .replace(/<\/(h2|p)>/g, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();

export interface AuthMail {
  type: LinkType | 'reauthentication';
  to: string;
  otp: string;
  /** Empty for reauthentication, which mails only a code. */
  link: string;
  email?: string;
  newEmail?: string;
}

export async function sendAuthMail(ctx: StackContext, mail: AuthMail): Promise<void> {
  const { subject, html } = content(mail.type, mail.link, mail.otp, {
    siteUrl: ctx.settings.auth.siteUrl,
    email: mail.email ?? mail.to,
    newEmail: mail.newEmail,
  });
  await ctx.mail.deliver({
    source: 'auth',
    from: { email: 'admin@email.com', name: 'Supabase Auth' },
    to: [{ email: mail.to }],
    subject,
    html,
    text: htmlToText(html),
  });
}
