/**
 * Database logins the project's migrations create without a password, for one function each
 * (docs/adr/0005-shopify-webhook-database-login.md). Hosted, the operator sets the password and
 * the function secret holding the URL (README, "Deploying"); locally the stack gives each login
 * the local password (DB_PASSWORD, as the CLI's own roles have) and hands the function the URL.
 */
import { DB_PASSWORD, type StackConfig } from './config.ts';

export interface FunctionLogin {
  role: string;
  /** The function secret that holds the login's connection URL. */
  env: string;
}

export const FUNCTION_LOGINS: FunctionLogin[] = [{ role: 'cairn_shopify_webhook', env: 'SHOPIFY_WEBHOOK_DB_URL' }];

/** The login's URL on this instance (the same database as SUPABASE_DB_URL, another user). */
export function functionLoginUrl(config: StackConfig, login: FunctionLogin): string {
  const url = new URL(config.dbUrl);
  url.username = login.role;
  url.password = DB_PASSWORD;
  return url.toString();
}
