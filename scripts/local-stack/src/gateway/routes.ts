/**
 * The Supabase CLI's Kong routes (apps/cli-go/internal/start/templates/kong.yml), as data:
 * a public path prefix, the upstream it strips to, and whether Authorization is rewritten.
 */
import type { StackPorts } from '../config.ts';

export interface Route {
  prefix: string;
  port: keyof StackPorts;
  /** What replaces the prefix upstream. */
  upstreamPath: string;
  /** Browser redirects (GoTrue verify/callback/authorize) pass through untouched. */
  open?: boolean;
  /**
   * Kong's key-auth plugin: the request needs a project API key (see keys.ts). Functions check
   * their own JWT (verify_jwt) and Storage its own, as in Supabase's self-hosted Kong config.
   */
  keyAuth?: boolean;
  extraHeaders?: Record<string, string>;
  websocket?: boolean;
}

/** Longest prefix first, so `/auth/v1/verify` wins over `/auth/v1/`. */
export const routes: Route[] = [
  { prefix: '/auth/v1/verify', port: 'auth', upstreamPath: '/verify', open: true },
  { prefix: '/auth/v1/callback', port: 'auth', upstreamPath: '/callback', open: true },
  { prefix: '/auth/v1/authorize', port: 'auth', upstreamPath: '/authorize', open: true },
  { prefix: '/auth/v1/.well-known/jwks.json', port: 'auth', upstreamPath: '/.well-known/jwks.json', open: true },
  { prefix: '/auth/v1/', port: 'auth', upstreamPath: '/', keyAuth: true },
  { prefix: '/rest/v1/', port: 'postgrest', upstreamPath: '/', keyAuth: true },
  {
    prefix: '/graphql/v1',
    port: 'postgrest',
    upstreamPath: '/rpc/graphql',
    extraHeaders: { 'content-profile': 'graphql_public' },
    keyAuth: true,
  },
  { prefix: '/realtime/v1/api', port: 'realtime', upstreamPath: '/api', keyAuth: true },
  { prefix: '/realtime/v1/', port: 'realtime', upstreamPath: '/socket/', websocket: true, keyAuth: true },
  { prefix: '/storage/v1/', port: 'storage', upstreamPath: '/', keyAuth: true },
  { prefix: '/functions/v1/', port: 'functions', upstreamPath: '/' },
].sort((a, b) => b.prefix.length - a.prefix.length) as Route[];

export function matchRoute(pathname: string): Route | undefined {
  return routes.find((route) => pathname === route.prefix.replace(/\/$/, '') || pathname.startsWith(route.prefix));
}

/**
 * Storage URLs a browser opens without headers: public objects, and signed URLs whose token
 * is their credential (S3 requests carry a SigV4 signature instead).
 */
const STORAGE_WITHOUT_KEY =
  /^\/storage\/v1\/(?:(?:object|render\/image)\/(?:public|sign)\/|object\/upload\/sign\/|s3\/)/;

export function needsApiKey(route: Route, pathname: string): boolean {
  if (!route.keyAuth) return false;
  return !(route.port === 'storage' && STORAGE_WITHOUT_KEY.test(pathname));
}

/** `/rest/v1/customers?select=*` → `/customers?select=*` for the route's upstream. */
export function upstreamUrl(route: Route, rawUrl: string): string {
  const rest = rawUrl.slice(route.prefix.length);
  if (route.upstreamPath.endsWith('/')) return route.upstreamPath + rest.replace(/^\//, '');
  return route.upstreamPath + (rest && !rest.startsWith('?') && !rest.startsWith('/') ? `/${rest}` : rest);
}
