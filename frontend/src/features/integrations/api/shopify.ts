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
export const EXPECTED_WEBHOOKS = 16;

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
  | { action: 'repair' | 'disconnect' | 'import'; shop_id: string }
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

/** One history import as admins read it (public.shop_imports). */
export interface ShopImport {
  id: string;
  shop_id: string;
  status: 'running' | 'completed' | 'failed' | 'canceled';
  /** history: the whole store; reconcile: the daily catch-up of what webhooks missed. */
  kind: 'history' | 'reconcile';
  rows_fixed: number;
  phase: 'customers' | 'products' | 'locations' | 'orders' | 'fulfillments' | 'done';
  rows_done: number;
  rows_total: number | null;
  rows_failed: number;
  last_error: string | null;
  started_at: string;
  finished_at: string | null;
  updated_at: string;
}

/** Webhook deliveries of one shop: the last one and the last 24 hours by outcome. */
export interface DeliveryHealth {
  last_received_at: string | null;
  applied: number;
  ignored: number;
  failed: number;
  received: number;
  next_retry_at: string | null;
  /** Failed deliveries with a retry scheduled (any age). */
  waiting_retry: number;
}

export async function fetchImports(): Promise<ShopImport[]> {
  const { data, error } = await supabase
    .from('shop_imports')
    .select(
      'id, shop_id, status, kind, rows_fixed, phase, rows_done, rows_total, rows_failed, last_error, started_at, finished_at, updated_at',
    )
    .order('started_at', { ascending: false })
    .limit(50);
  if (error) throw error;
  return data as ShopImport[];
}

export const importsOptions = () =>
  queryOptions({ queryKey: [...integrationKeys.connections, 'imports'], queryFn: fetchImports });

/** Counted by the database (public.shopify_delivery_health): exact however many deliveries are stored. */
export async function fetchDeliveryHealth(shopId: string): Promise<DeliveryHealth> {
  const { data, error } = await supabase.rpc('shopify_delivery_health', { shop_id: shopId }).single();
  if (error) throw error;
  return data as DeliveryHealth;
}

export const deliveryHealthOptions = (shopId: string) =>
  queryOptions({
    queryKey: [...integrationKeys.connections, 'deliveries', shopId],
    queryFn: () => fetchDeliveryHealth(shopId),
  });

/** The import's failed rows as CSV: Shopify id, phase, reason, when (RFC 4180 quoting). */
export async function importErrorsCsv(importId: string): Promise<string> {
  const { data, error } = await supabase
    .from('shop_import_errors')
    .select('shopify_id, phase, reason, created_at')
    .eq('import_id', importId)
    .order('id')
    .limit(100_000);
  if (error) throw error;
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    // A leading =, +, - or @ would run as a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = [['shopify_id', 'phase', 'reason', 'created_at'].join(',')];
  for (const row of data ?? []) lines.push([row.shopify_id, row.phase, row.reason, row.created_at].map(cell).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
