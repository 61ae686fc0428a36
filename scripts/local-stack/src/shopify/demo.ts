/**
 * The emulator's well-known demo credentials, for local use only (like the CLI's demo JWT
 * secret). The demo app's client secret is the demo shop's webhook secret of the seed, so
 * webhooks the emulator signs verify against what the seed stores.
 */
export const SHOPIFY_EMULATOR_PORT_OFFSET = 15;

export const DEMO_SHOP_DOMAIN = 'cairn-demo.myshopify.com';

export interface EmulatorApp {
  /** Dev Dashboard app: client ID. Legacy custom app: its API key. */
  clientId: string;
  clientSecret: string;
  scopes: string[];
  /** A legacy custom app's static Admin API token (`shpat_…`), if it is one. */
  legacyToken?: string;
}

const ALL_SCOPES = [
  'read_customers',
  'read_products',
  'read_inventory',
  'read_orders',
  'read_all_orders',
  'read_fulfillments',
  'read_merchant_managed_fulfillment_orders',
  'read_locations',
];

export const DEMO_APP: EmulatorApp = {
  clientId: 'cairn-demo-client-id',
  clientSecret: 'cairn-demo-shopify-webhook-secret',
  scopes: ALL_SCOPES,
};

/** The same store's app without `read_all_orders`: Shopify answers only the last 60 days of orders. */
export const DEMO_RECENT_ONLY_APP: EmulatorApp = {
  clientId: 'cairn-demo-recent-client-id',
  clientSecret: 'cairn-demo-recent-client-secret',
  scopes: ALL_SCOPES.filter((scope) => scope !== 'read_all_orders'),
};

/** A legacy custom app (created in the store admin before 2026) with its static token. */
export const DEMO_LEGACY_APP: EmulatorApp = {
  clientId: 'cairn-demo-legacy-api-key',
  clientSecret: 'cairn-demo-legacy-api-secret',
  scopes: ALL_SCOPES,
  legacyToken: 'shpat_cairndemolegacy00000000000000',
};

export const DEMO_APPS = [DEMO_APP, DEMO_RECENT_ONLY_APP, DEMO_LEGACY_APP];

/** Webhook topics Cairn subscribes to (the shopify-webhook function's, less the mandatory compliance ones). */
export const CAIRN_WEBHOOK_TOPICS = [
  'ORDERS_CREATE',
  'ORDERS_UPDATED',
  'ORDERS_PAID',
  'ORDERS_CANCELLED',
  'REFUNDS_CREATE',
  'CUSTOMERS_CREATE',
  'CUSTOMERS_UPDATE',
  'PRODUCTS_CREATE',
  'PRODUCTS_UPDATE',
  'PRODUCTS_DELETE',
  'INVENTORY_LEVELS_UPDATE',
  'FULFILLMENTS_CREATE',
  'FULFILLMENTS_UPDATE',
  'LOCATIONS_CREATE',
  'LOCATIONS_UPDATE',
  'LOCATIONS_DELETE',
];

/** Every topic the emulator accepts in webhookSubscriptionCreate. */
export const SUBSCRIBABLE_TOPICS = new Set([
  ...CAIRN_WEBHOOK_TOPICS,
  'CUSTOMERS_DELETE',
  'ORDERS_DELETE',
  'ORDERS_FULFILLED',
  'ORDERS_PARTIALLY_FULFILLED',
  'BULK_OPERATIONS_FINISH',
  'APP_UNINSTALLED',
  'SHOP_UPDATE',
]);

/** `ORDERS_CREATE` → `orders/create`, as the X-Shopify-Topic header names it. */
export function topicHeader(topic: string): string {
  const compound = ['INVENTORY_LEVELS_', 'BULK_OPERATIONS_'].find((prefix) => topic.startsWith(prefix));
  const split = compound ? compound.length - 1 : topic.indexOf('_');
  return `${topic.slice(0, split)}/${topic.slice(split + 1)}`.toLowerCase();
}
