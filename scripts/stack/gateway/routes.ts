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
  extraHeaders?: Record<string, string>;
  websocket?: boolean;
}

/** Longest prefix first, so `/auth/v1/verify` wins over `/auth/v1/`. */
export const routes: Route[] = [
  { prefix: '/auth/v1/verify', port: 'auth', upstreamPath: '/verify', open: true },
  { prefix: '/auth/v1/callback', port: 'auth', upstreamPath: '/callback', open: true },
  { prefix: '/auth/v1/authorize', port: 'auth', upstreamPath: '/authorize', open: true },
  { prefix: '/auth/v1/', port: 'auth', upstreamPath: '/' },
  { prefix: '/rest/v1/', port: 'postgrest', upstreamPath: '/' },
  {
    prefix: '/graphql/v1',
    port: 'postgrest',
    upstreamPath: '/rpc/graphql',
    extraHeaders: { 'content-profile': 'graphql_public' },
  },
  { prefix: '/realtime/v1/api', port: 'realtime', upstreamPath: '/api' },
  { prefix: '/realtime/v1/', port: 'realtime', upstreamPath: '/socket/', websocket: true },
  { prefix: '/storage/v1/', port: 'storage', upstreamPath: '/' },
  { prefix: '/functions/v1/', port: 'functions', upstreamPath: '/' },
].sort((a, b) => b.prefix.length - a.prefix.length) as Route[];

export function matchRoute(pathname: string): Route | undefined {
  return routes.find((route) => pathname === route.prefix.replace(/\/$/, '') || pathname.startsWith(route.prefix));
}

/** `/rest/v1/customers?select=*` → `/customers?select=*` for the route's upstream. */
export function upstreamUrl(route: Route, rawUrl: string): string {
  const rest = rawUrl.slice(route.prefix.length);
  if (route.upstreamPath.endsWith('/')) return route.upstreamPath + rest.replace(/^\//, '');
  return route.upstreamPath + (rest && !rest.startsWith('?') && !rest.startsWith('/') ? `/${rest}` : rest);
}
