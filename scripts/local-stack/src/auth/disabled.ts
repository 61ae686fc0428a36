/**
 * GoTrue features the local stack does not run — SAML SSO, manual identity linking, Web3 and
 * ID-token sign-in, phone OTPs — answered as GoTrue answers them while they are off in
 * config.toml: each with its own JSON error, never a bare 404 or `unsupported_grant_type`.
 * Turning one on in config.toml is reported at start (unimplemented.ts).
 */
import { decodeJwt } from 'jose';
import { badRequest, notFound, OAuthError, unprocessable } from './errors.ts';
import { bool, requireUser, str, type AuthRequest, type Reply } from './request.ts';

/** `requireSAMLEnabled` in front of `/sso` and `/sso/saml/*`. */
export function sso(): Promise<Reply> {
  return Promise.reject(notFound('saml_provider_disabled', 'SAML 2.0 is disabled'));
}

/** `/user/identities/*`: authentication first, then `requireManualLinkingEnabled`. */
export async function identities(request: AuthRequest): Promise<Reply> {
  await requireUser(request);
  throw notFound('manual_linking_disabled', 'Manual linking is disabled');
}

/** `Web3Grant` with neither `[auth.web3.solana]` nor `[auth.web3.ethereum]` enabled. */
export function web3Grant(): Promise<Reply> {
  return Promise.reject(unprocessable('web3_provider_disabled', 'Web3 provider is disabled'));
}

/** The issuers GoTrue knows each ID-token provider by (`internal/api/provider/*.go`). */
const ISSUERS: Record<string, string> = {
  google: 'https://accounts.google.com',
  facebook: 'https://www.facebook.com',
  kakao: 'https://kauth.kakao.com',
  snapchat: 'https://accounts.snapchat.com/accounts/oauth2/token',
  vercel_marketplace: 'https://marketplace.vercel.com',
};

const APPLE_ISSUERS = new Set(['https://appleid.apple.com', 'https://account.apple.com']);
const isAzureIssuer = (issuer: string) =>
  issuer.startsWith('https://login.microsoftonline.com/') || issuer.startsWith('https://sts.windows.net/');

/**
 * Apple and Azure tokens name their issuer; GoTrue reads it from the (unverified) token first,
 * checks it is one of the provider's, and that a given `issuer` matches it.
 */
function detectedIssuer(idToken: string, issuerParam: string, provider: 'Apple' | 'Azure'): string {
  let issuer: unknown;
  try {
    issuer = decodeJwt(idToken).iss;
  } catch {
    issuer = undefined;
  }
  if (typeof issuer !== 'string' || !issuer)
    throw badRequest('validation_failed', `Unable to detect issuer in ID token for ${provider} provider`);
  if (provider === 'Apple' ? !APPLE_ISSUERS.has(issuer) : !isAzureIssuer(issuer))
    throw badRequest('validation_failed', `Detected ID token issuer is not an ${provider} ID token issuer`);
  if (issuerParam && issuerParam !== issuer)
    throw badRequest('validation_failed', 'Provided issuer does not match ID token issuer');
  return issuer;
}

/**
 * `IdTokenGrant` with every provider off (the CLI's default, and Cairn's): the request checks,
 * then the provider's issuer, then `Provider (issuer "…") is not enabled`.
 */
export async function idTokenGrant(request: AuthRequest): Promise<Reply> {
  const body = await request.json();
  const idToken = str(body, 'id_token');
  const provider = str(body, 'provider');
  const issuerParam = str(body, 'issuer');
  if (!idToken) throw new OAuthError('invalid request', 'id_token required');
  if (!provider && (!str(body, 'client_id') || !issuerParam))
    throw new OAuthError('invalid request', 'provider or client_id and issuer required');
  if (bool(body, 'link_identity')) {
    if (!request.req.headers.authorization)
      throw new OAuthError('invalid request', 'Linking requires a valid user access token in Authorization');
    await requireUser(request);
  }
  let issuer: string;
  if (provider === 'apple' || APPLE_ISSUERS.has(issuerParam)) {
    issuer = detectedIssuer(idToken, issuerParam, 'Apple');
  } else if (provider === 'azure' || isAzureIssuer(issuerParam)) {
    issuer = detectedIssuer(idToken, issuerParam, 'Azure');
  } else if (provider === 'keycloak') {
    issuer = '';
  } else {
    const known = ISSUERS[provider] ?? Object.values(ISSUERS).find((value) => value === issuerParam);
    if (!known) {
      if (provider.startsWith('custom:')) throw badRequest('validation_failed', 'Custom OAuth providers are disabled');
      throw badRequest('validation_failed', `Custom OIDC provider ${JSON.stringify(provider)} not allowed`);
    }
    issuer = known;
  }
  throw badRequest('provider_disabled', `Provider (issuer ${JSON.stringify(issuer)}) is not enabled`);
}

/** GoTrue's `validatePhone`: `+` and spaces dropped, then E.164 digits. */
export function validatePhone(phone: string): string {
  const digits = phone.replace(/^\+/, '').replaceAll(' ', '');
  if (!/^[1-9][0-9]{1,14}$/.test(digits))
    throw badRequest('validation_failed', 'Invalid phone number format (E.164 required)');
  return digits;
}
