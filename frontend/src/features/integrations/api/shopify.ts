import { queryOptions } from '@tanstack/react-query';
import { FunctionsHttpError } from '@supabase/supabase-js';

import { supabase } from '@/lib/supabase.ts';

/** One connected Shopify store as admins read it (public.shop_connections + its shop). Secrets never come here. */
export interface ShopConnection {
  shop_id: string;
  auth_kind: 'client_credentials' | 'legacy_token';
  client_id: string | null;
  secret_last4: string;
  token_last4: string;
  token_expires_at: string | null;
  token_error: string | null;
  token_error_at: string | null;
  webhooks: Record<string, string>;
  webhooks_checked_at: string | null;
  previous_secret_valid_until: string | null;
  connected_at: string;
  shop: { name: string; domain: string; currency: string; timezone: string } | null;
}

/** The webhook topics Cairn registers (supabase/functions/shopify-connect/shopify.ts). */
export const EXPECTED_WEBHOOKS = 11;

export const integrationKeys = {
  connections: ['integrations', 'shopify', 'connections'] as const,
};

export async function fetchConnections(): Promise<ShopConnection[]> {
  const { data, error } = await supabase
    .from('shop_connections')
    .select(
      'shop_id, auth_kind, client_id, secret_last4, token_last4, token_expires_at, token_error, token_error_at, webhooks, webhooks_checked_at, previous_secret_valid_until, connected_at, shop:shops(name, domain, currency, timezone)',
    )
    .order('connected_at');
  if (error) throw error;
  return data as unknown as ShopConnection[];
}

export const connectionsOptions = () =>
  queryOptions({ queryKey: integrationKeys.connections, queryFn: fetchConnections });

/** A refusal of shopify-connect: its stable code and the message it gave (English, from Shopify's side). */
export class ConnectError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export type ConnectRequest =
  | { action: 'connect'; domain: string; client_id?: string; client_secret: string; access_token?: string }
  | { action: 'repair' | 'disconnect'; shop_id: string }
  | { action: 'rotate'; shop_id: string; client_secret: string };

export async function callShopifyConnect<T = Record<string, unknown>>(body: ConnectRequest): Promise<T> {
  const { data, error } = await supabase.functions.invoke<T>('shopify-connect', { body });
  if (error instanceof FunctionsHttpError) {
    const answer = (await (error.context as Response).json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new ConnectError(answer?.error?.code ?? 'internal_error', answer?.error?.message ?? '');
  }
  if (error) throw new ConnectError('upstream_error', error.message);
  return data as T;
}
