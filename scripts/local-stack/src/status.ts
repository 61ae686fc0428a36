/** What `supabase status -o json` prints, with the same key names, for one stack instance. */
import type { StackConfig } from './config.ts';

export function statusJson(config: StackConfig): Record<string, string> {
  return {
    API_URL: config.apiUrl,
    REST_URL: `${config.apiUrl}/rest/v1`,
    GRAPHQL_URL: `${config.apiUrl}/graphql/v1`,
    FUNCTIONS_URL: `${config.apiUrl}/functions/v1`,
    STORAGE_URL: `${config.apiUrl}/storage/v1`,
    DB_URL: config.dbUrl,
    MAILPIT_URL: config.mailUrl,
    INBUCKET_URL: config.mailUrl,
    SHOPIFY_EMULATOR_URL: config.shopifyUrl,
    PUBLISHABLE_KEY: config.publishableKey,
    SECRET_KEY: config.secretKey,
    ANON_KEY: config.anonKey,
    SERVICE_ROLE_KEY: config.serviceRoleKey,
    JWT_SECRET: config.jwtSecret,
  };
}
