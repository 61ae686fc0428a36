/**
 * Cairn's stand-in for GoTrue (Supabase Auth): the endpoints auth-js calls, with GoTrue's
 * paths, JSON shapes, status codes and error codes, over the real `auth` schema. The gateway
 * strips `/auth/v1`, so paths here are GoTrue's own (`/token`, `/user`, `/admin/users`…).
 * Configured by `[auth]` in supabase/config.toml (see settings.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Service, StackContext } from '../context.ts';
import { requestUrl, sendJson, sendText } from '../lib/http.ts';
import { magiclink, otp, recover, resend, signup, token, verifyGet, verifyPost } from './account.ts';
import {
  auditLog,
  createAdminUser,
  deleteAdminUser,
  deleteUserFactor,
  generateLink,
  getAdminUser,
  invite,
  listUserFactors,
  listUsers,
  updateAdminUser,
} from './admin.ts';
import { AuthError, OAuthError, sendAuthError } from './errors.ts';
import { identities, sso } from './disabled.ts';
import { challengeFactor, enrollFactor, unenrollFactor, verifyFactor } from './mfa.ts';
import { AuthRateLimits, rateLimitFactor, RATE_LIMIT_FACTOR_ENV, type LimitedEndpoint } from './rate-limit.ts';
import { projectKeys } from '../settings.ts';
import { createRequest, type AuthRequest, type Reply } from './request.ts';
import { getUser, logout, reauthenticate, updateUser } from './user.ts';

type Handler = (request: AuthRequest) => Promise<Reply>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
  /** The rate limit GoTrue applies to this endpoint (rate-limit.ts). */
  limit?: LimitedEndpoint;
}

/** `/admin/users/:user_id` → a RegExp with named segments. */
function route(method: string, path: string, handler: Handler, limit?: LimitedEndpoint): Route {
  const names: string[] = [];
  const source = path.replace(/:([a-z_]+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { method, pattern: new RegExp(`^${source}$`), names, handler, limit };
}

const VERSION = 'v2.180.0-cairn';

function health(): Promise<Reply> {
  return Promise.resolve({
    status: 200,
    body: { version: VERSION, name: 'GoTrue', description: 'GoTrue is a user registration and authentication API' },
  });
}

const OAUTH_PROVIDERS = [
  'apple',
  'azure',
  'bitbucket',
  'discord',
  'facebook',
  'snapchat',
  'figma',
  'fly',
  'github',
  'gitlab',
  'google',
  'keycloak',
  'kakao',
  'linkedin',
  'linkedin_oidc',
  'notion',
  'spotify',
  'slack',
  'slack_oidc',
  'workos',
  'twitch',
  'twitter',
];

function settingsReply(request: AuthRequest): Promise<Reply> {
  const { auth } = request.ctx.settings;
  const external: Record<string, boolean> = { anonymous_users: auth.enableAnonymousSignIns };
  for (const provider of OAUTH_PROVIDERS) external[provider] = false;
  Object.assign(external, { email: auth.email.enableSignup, phone: false, zoom: false });
  return Promise.resolve({
    status: 200,
    body: {
      external,
      disable_signup: !auth.enableSignup,
      mailer_autoconfirm: !auth.email.enableConfirmations,
      phone_autoconfirm: true,
      sms_provider: '',
      saml_enabled: false,
      saml_private_key_next_configured: false,
      passkeys_enabled: false,
    },
  });
}

/** `WellKnownJwks`: the public parts of the signing keys (never the HS256 secret). */
function jwks(request: AuthRequest): Promise<Reply> {
  const { publicJwks } = projectKeys(request.ctx.config, request.ctx.settings);
  return Promise.resolve({
    status: 200,
    body: { keys: publicJwks },
    headers: { 'Cache-Control': 'public, max-age=600' },
  });
}

const routes: Route[] = [
  route('GET', '/health', health),
  route('GET', '/settings', settingsReply),
  route('GET', '/.well-known/jwks.json', jwks),
  route('POST', '/signup', signup, 'signup'),
  route('POST', '/token', token, 'token'),
  route('POST', '/otp', otp, 'otp'),
  route('POST', '/magiclink', magiclink, 'magiclink'),
  route('GET', '/verify', verifyGet, 'verify'),
  route('POST', '/verify', verifyPost, 'verify'),
  route('POST', '/recover', recover, 'recover'),
  route('POST', '/resend', resend, 'resend'),
  route('GET', '/user', getUser),
  route('PUT', '/user', updateUser, 'user'),
  route('GET', '/user/identities/authorize', identities),
  route('DELETE', '/user/identities/:identity_id', identities),
  route('POST', '/logout', logout),
  route('GET', '/reauthenticate', reauthenticate),
  route('POST', '/factors', enrollFactor),
  route('POST', '/factors/:factor_id/challenge', challengeFactor, 'factor_challenge'),
  route('POST', '/factors/:factor_id/verify', verifyFactor, 'factor_verify'),
  route('DELETE', '/factors/:factor_id', unenrollFactor),
  route('POST', '/sso', sso),
  route('GET', '/sso/saml/metadata', sso),
  route('POST', '/sso/saml/acs', sso),
  route('POST', '/invite', invite),
  route('GET', '/admin/users', listUsers),
  route('POST', '/admin/users', createAdminUser),
  route('GET', '/admin/users/:user_id', getAdminUser),
  route('PUT', '/admin/users/:user_id', updateAdminUser),
  route('DELETE', '/admin/users/:user_id', deleteAdminUser),
  route('GET', '/admin/users/:user_id/factors', listUserFactors),
  route('DELETE', '/admin/users/:user_id/factors/:factor_id', deleteUserFactor),
  route('POST', '/admin/generate_link', generateLink),
  route('GET', '/admin/audit', auditLog),
];

async function dispatch(
  ctx: StackContext,
  limits: AuthRateLimits,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = requestUrl(req);
  // chi matches `/signup` and `/signup/` alike.
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
  const matches = routes
    .map((candidate) => ({ candidate, match: candidate.pattern.exec(path) }))
    .filter((item) => item.match);
  // chi's defaults for unknown paths and methods: plain-text 404, empty 405.
  if (!matches.length) return sendText(res, 404, '404 page not found\n');
  const hit = matches.find((item) => item.candidate.method === req.method);
  if (!hit?.match) {
    res.writeHead(405).end();
    return;
  }
  const params = Object.fromEntries(
    hit.candidate.names.map((name, i) => [name, decodeURIComponent(hit.match?.[i + 1] ?? '')]),
  );
  const request = createRequest(ctx, req, url, params);
  const { handler, limit } = hit.candidate;
  const reply = await (limit ? limits.run(limit, request, () => handler(request)) : handler(request));
  if (reply.body === undefined) {
    res.writeHead(reply.status, reply.headers ?? {}).end();
    return;
  }
  sendJson(res, reply.status, reply.body, reply.headers);
}

export async function startAuth(ctx: StackContext): Promise<Service> {
  const { log } = ctx;
  const limits = new AuthRateLimits(ctx.settings.auth.rateLimit, rateLimitFactor());
  if (limits.factor !== 1)
    log.warn(`per-address rate limits are config.toml's × ${limits.factor} (${RATE_LIMIT_FACTOR_ENV})`);
  const authCtx: StackContext = { ...ctx, mail: limits.limitMail(ctx.mail) };
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    // GoTrue's CORS handler exposes these; without them a browser client cannot read the
    // API version header, and auth-js then loses every error code.
    if (req.headers.origin)
      res.setHeader('access-control-expose-headers', 'X-Total-Count, Link, X-Supabase-Api-Version');
    dispatch(authCtx, limits, req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof AuthError || error instanceof OAuthError) return sendAuthError(req, res, error);
      log.error(`${req.method} ${req.url} failed`, error);
      sendAuthError(
        req,
        res,
        new AuthError(500, 'unexpected_failure', 'Unexpected failure, please check server logs for more information'),
      );
    });
  };
  const server = createServer(handler);
  const port = ctx.config.ports.auth;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  log.info(`auth listening on http://127.0.0.1:${port}`);
  return {
    name: 'auth',
    // The gateway hands requests over in-process: the connection's peer stays the client's,
    // which is the address rate limits are keyed on.
    handler,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
