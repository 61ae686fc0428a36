/**
 * The bulk export of each import phase (the GraphQL query Cairn runs) and the conversion of its
 * JSONL groups — a root object followed by its `__parentId` children — into the REST-shaped
 * payloads Shopify's webhooks carry, so the webhook's own parsers (../shopify-webhook/payloads.ts)
 * validate and map them and the database applies them with the same rules.
 */
export type Phase = 'customers' | 'products' | 'locations' | 'orders' | 'fulfillments';

/**
 * Fulfilments come last, from the fulfillment orders export. Shopify's bulk queries refuse a
 * connection inside a list field (an order's `fulfillments` is a list, so its
 * `fulfillmentLineItems` cannot come with it) and connections nested more than two deep
 * (fulfillmentOrders → fulfillments → fulfillmentLineItems), so what a fulfilment shipped is taken
 * from its fulfillment order's line items when the fulfillment order has that one successful
 * fulfilment (the usual case), and is left unknown otherwise (a webhook brings it).
 */
export const PHASES: Phase[] = ['customers', 'products', 'locations', 'orders', 'fulfillments'];

const address = 'firstName lastName address1 address2 city province countryCodeV2 zip company phone';
const bag = (money = 'amount currencyCode') => `{ shopMoney { ${money} } presentmentMoney { ${money} } }`;
const fulfillmentFields = `id legacyResourceId name status displayStatus createdAt updatedAt
      location { id }
      trackingInfo { company number url }`;

/** Shopify's search syntax for "changed after `since`" (optionally "and created at or before it"). */
function changedSince(since: string, existing = false): string {
  const at = new Date(since).toISOString();
  const terms = `${existing ? `created_at:<='${at}' ` : ''}updated_at:>'${at}'`;
  return `query: ${JSON.stringify(terms)}`;
}

/**
 * The phase's bulk query. For a reconciliation (`since` given) each export asks only for what
 * changed after `since`, by the `updated_at` of the object that changes (Shopify's search syntax,
 * `updated_at:>'…'`):
 * - customers, products (a variant's price moves its product's updated_at), orders (a refund, a
 *   cancellation, an edit and a fulfilment move the order's): the root connection's `query`.
 * - stock: an inventory level has its own updated_at, and a stock change moves neither its
 *   product's nor its location's. Every location is listed (a store has a handful), with only its
 *   levels changed since (`Location.inventoryLevels(query:)`).
 * - a new fulfilment: its fulfillment order closes (its updated_at moves): the fulfillment orders
 *   export, which also tells what the fulfilment shipped.
 * - a fulfilment changed later (its tracking number, its shipment status): neither its
 *   fulfillment order's updated_at moves nor, necessarily, anything the exports above list by.
 *   The order's does, so the orders export carries each order's fulfilments created before
 *   `since` and updated after it (`Order.fulfillments(query:)`, API 2025-07) — without their line
 *   items (a connection inside a list is refused), which the database then keeps as they were.
 */
export function bulkQuery(phase: Phase, since: string | null): string {
  const root = (connection: string, fixed = '') => {
    const args = [fixed, since ? changedSince(since) : ''].filter(Boolean).join(', ');
    return args ? `${connection}(${args})` : connection;
  };
  switch (phase) {
    case 'customers':
      return `{ ${root('customers')} { edges { node {
    id legacyResourceId email firstName lastName phone state verifiedEmail note tags createdAt updatedAt
    amountSpent { currencyCode }
    defaultAddress { ${address} }
    emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt }
  } } } }`;
    case 'products':
      return `{ ${root('products')} { edges { node {
    id legacyResourceId title handle descriptionHtml vendor productType status tags createdAt updatedAt publishedAt
    variants { edges { node {
      id legacyResourceId title sku price compareAtPrice position inventoryQuantity inventoryItem { id }
    } } }
  } } } }`;
    case 'orders':
      return `{ ${root('orders')} { edges { node {
    id legacyResourceId name email phone createdAt updatedAt processedAt cancelledAt cancelReason closedAt
    test tags note sourceName currencyCode presentmentCurrencyCode displayFinancialStatus displayFulfillmentStatus
    subtotalPriceSet ${bag()} totalTaxSet ${bag()} totalDiscountsSet ${bag()} totalPriceSet ${bag()}
    currentTotalPriceSet ${bag()}
    customer { id legacyResourceId }
    billingAddress { ${address} } shippingAddress { ${address} }
    refunds { id legacyResourceId createdAt note totalRefundedSet ${bag()} }${
      since
        ? `
    fulfillments(${changedSince(since, true)}) { ${fulfillmentFields} }`
        : ''
    }
    lineItems { edges { node {
      id title variantTitle sku vendor quantity currentQuantity
      originalUnitPriceSet ${bag()} totalDiscountSet ${bag()}
      product { id } variant { id }
    } } }
  } } } }`;
    // Stock per location comes with its location: products → variants → inventoryLevels would be
    // three connections deep (Shopify allows two).
    case 'locations':
      return `{ locations(includeInactive: true) { edges { node {
    id legacyResourceId name isActive updatedAt
    address { address1 address2 city zip province countryCode }
    ${since ? `inventoryLevels(${changedSince(since)})` : 'inventoryLevels'} { edges { node { id updatedAt item { id } quantities(names: ["available"]) { name quantity } } } }
  } } } }`;
    case 'fulfillments':
      return `{ ${root('fulfillmentOrders', 'includeClosed: true')} { edges { node {
    id updatedAt
    lineItems { edges { node { id totalQuantity remainingQuantity lineItem { id } } } }
    fulfillments { edges { node {
      ${fulfillmentFields}
      order { id }
    } } }
  } } } }`;
  }
}

/** Each phase's export of everything (a history import). */
export const BULK_QUERIES = Object.fromEntries(PHASES.map((phase) => [phase, bulkQuery(phase, null)])) as Record<
  Phase,
  string
>;

type Json = Record<string, unknown>;

/** `gid://shopify/Order/123` → 123 (null for anything else). */
export function numericId(gid: unknown): number | null {
  const match = typeof gid === 'string' ? /\/(\d+)$/.exec(gid) : null;
  return match ? Number(match[1]) : null;
}

const lower = (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : null);
const tagList = (value: unknown) => (Array.isArray(value) ? value.join(', ') : '');
const shopAmount = (set: unknown) => (set as { shopMoney?: { amount?: string } } | null)?.shopMoney?.amount ?? null;

function restAddress(value: unknown): Json | null {
  if (!value || typeof value !== 'object') return null;
  const a = value as Json;
  return {
    first_name: a.firstName ?? null,
    last_name: a.lastName ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.province ?? null,
    country_code: a.countryCodeV2 ?? null,
    zip: a.zip ?? null,
    company: a.company ?? null,
    phone: a.phone ?? null,
  };
}

export function customerPayload(c: Json): Json {
  const consent = c.emailMarketingConsent as Json | null | undefined;
  return {
    id: numericId(c.id),
    admin_graphql_api_id: c.id,
    email: c.email ?? null,
    first_name: c.firstName ?? null,
    last_name: c.lastName ?? null,
    phone: c.phone ?? null,
    state: lower(c.state),
    verified_email: c.verifiedEmail ?? null,
    note: c.note ?? null,
    currency: (c.amountSpent as Json | null | undefined)?.currencyCode ?? null,
    tags: tagList(c.tags),
    created_at: c.createdAt ?? null,
    updated_at: c.updatedAt ?? null,
    default_address: restAddress(c.defaultAddress),
    email_marketing_consent: consent
      ? {
          state: lower(consent.marketingState),
          opt_in_level: lower(consent.marketingOptInLevel),
          consent_updated_at: consent.consentUpdatedAt ?? null,
        }
      : null,
  };
}

export function productPayload(p: Json, variants: Json[]): Json {
  const productId = numericId(p.id);
  return {
    id: productId,
    admin_graphql_api_id: p.id,
    title: p.title,
    handle: p.handle ?? null,
    body_html: p.descriptionHtml ?? null,
    vendor: p.vendor ?? null,
    product_type: p.productType ?? null,
    status: lower(p.status),
    tags: tagList(p.tags),
    created_at: p.createdAt ?? null,
    updated_at: p.updatedAt,
    published_at: p.publishedAt ?? null,
    variants: variants.map((v) => ({
      id: numericId(v.id),
      product_id: productId,
      title: v.title ?? null,
      sku: v.sku ?? null,
      price: v.price,
      compare_at_price: v.compareAtPrice ?? null,
      inventory_item_id: numericId((v.inventoryItem as Json | null | undefined)?.id),
      inventory_quantity: v.inventoryQuantity ?? null,
      position: v.position ?? null,
      updated_at: p.updatedAt,
    })),
    images: [],
    image: null,
  };
}

const FULFILMENT: Record<string, string | null> = {
  FULFILLED: 'fulfilled',
  PARTIALLY_FULFILLED: 'partial',
  RESTOCKED: 'restocked',
  UNFULFILLED: null,
};

export function orderPayload(o: Json, lines: Json[]): Json {
  const money = (set: unknown) => {
    const s = set as { shopMoney?: Json; presentmentMoney?: Json } | null;
    return s
      ? {
          shop_money: { amount: s.shopMoney?.amount, currency_code: s.shopMoney?.currencyCode },
          presentment_money: { amount: s.presentmentMoney?.amount, currency_code: s.presentmentMoney?.currencyCode },
        }
      : null;
  };
  const number = /(\d+)$/.exec(String(o.name ?? ''));
  const customer = o.customer as Json | null | undefined;
  return {
    id: numericId(o.id),
    admin_graphql_api_id: o.id,
    name: o.name,
    order_number: number ? Number(number[1]) : null,
    email: o.email ?? null,
    contact_email: o.email ?? null,
    phone: o.phone ?? null,
    created_at: o.createdAt,
    updated_at: o.updatedAt,
    processed_at: o.processedAt ?? null,
    cancelled_at: o.cancelledAt ?? null,
    cancel_reason: lower(o.cancelReason),
    closed_at: o.closedAt ?? null,
    currency: o.currencyCode,
    presentment_currency: o.presentmentCurrencyCode ?? o.currencyCode,
    subtotal_price: shopAmount(o.subtotalPriceSet),
    total_tax: shopAmount(o.totalTaxSet),
    total_discounts: shopAmount(o.totalDiscountsSet),
    total_price: shopAmount(o.totalPriceSet),
    current_total_price: shopAmount(o.currentTotalPriceSet),
    total_price_set: money(o.totalPriceSet),
    financial_status: lower(o.displayFinancialStatus),
    fulfillment_status: FULFILMENT[String(o.displayFulfillmentStatus)] ?? null,
    test: o.test ?? false,
    tags: tagList(o.tags),
    note: o.note ?? null,
    source_name: o.sourceName ?? null,
    customer: customer ? { id: numericId(customer.id), email: o.email ?? null } : null,
    billing_address: restAddress(o.billingAddress),
    shipping_address: restAddress(o.shippingAddress),
    discount_codes: [],
    line_items: lines.map((line) => ({
      id: numericId(line.id),
      product_id: numericId((line.product as Json | null | undefined)?.id),
      variant_id: numericId((line.variant as Json | null | undefined)?.id),
      sku: line.sku ?? null,
      title: line.title,
      variant_title: line.variantTitle ?? null,
      name: line.variantTitle ? `${String(line.title)} - ${String(line.variantTitle)}` : line.title,
      vendor: line.vendor ?? null,
      quantity: line.quantity,
      current_quantity: line.currentQuantity ?? null,
      price: shopAmount(line.originalUnitPriceSet),
      total_discount: shopAmount(line.totalDiscountSet),
      discount_allocations: [],
    })),
  };
}

/** An order's refunds (inline in the order line) as refunds/create payloads. */
export function refundPayloads(o: Json): Json[] {
  const refunds = Array.isArray(o.refunds) ? (o.refunds as Json[]) : [];
  return refunds.map((r) => {
    const total = (r.totalRefundedSet as { shopMoney?: { amount?: string; currencyCode?: string } } | null)?.shopMoney;
    return {
      id: numericId(r.id),
      order_id: numericId(o.id),
      created_at: r.createdAt,
      processed_at: r.createdAt,
      note: r.note ?? null,
      restock: false,
      refund_line_items: [],
      transactions: [
        {
          id: numericId(r.id),
          kind: 'refund',
          status: 'success',
          amount: total?.amount ?? '0.00',
          currency: total?.currencyCode ?? null,
          created_at: r.createdAt,
        },
      ],
    };
  });
}

/** Fulfillment.displayStatus values that are what REST calls a shipment status. */
const SHIPMENT_STATUSES = new Set([
  'LABEL_PRINTED',
  'LABEL_PURCHASED',
  'ATTEMPTED_DELIVERY',
  'READY_FOR_PICKUP',
  'CONFIRMED',
  'IN_TRANSIT',
  'OUT_FOR_DELIVERY',
  'DELIVERED',
  'FAILURE',
]);

/** A Fulfillment object as a fulfillments/update payload; `lineItems` null: what it shipped is unknown. */
function fulfillmentPayload(f: Json, orderId: unknown, lineItems: Json[] | null): Json {
  const tracking = Array.isArray(f.trackingInfo) ? (f.trackingInfo as Json[]) : [];
  const status = typeof f.displayStatus === 'string' && SHIPMENT_STATUSES.has(f.displayStatus) ? f.displayStatus : null;
  return {
    id: numericId(f.id),
    admin_graphql_api_id: f.id,
    order_id: numericId(orderId),
    name: f.name ?? null,
    status: lower(f.status),
    shipment_status: lower(status),
    tracking_company: tracking[0]?.company ?? null,
    tracking_number: tracking[0]?.number ?? null,
    tracking_numbers: tracking.map((t) => t.number).filter((n) => typeof n === 'string'),
    tracking_url: tracking[0]?.url ?? null,
    tracking_urls: tracking.map((t) => t.url).filter((u) => typeof u === 'string'),
    location_id: numericId((f.location as Json | null | undefined)?.id),
    created_at: f.createdAt ?? null,
    updated_at: f.updatedAt,
    line_items: lineItems,
  };
}

/**
 * A fulfillment order's group (the fulfillment order line, then its line items and fulfilments,
 * each naming it by `__parentId`) as fulfillments/update payloads. `line_items` is null (unknown)
 * unless the fulfillment order has exactly one fulfilment and it succeeded: then it shipped what
 * the fulfillment order no longer has to (total − remaining quantity of each line).
 */
export function fulfillmentPayloads(children: Json[]): Json[] {
  const ofType = (type: string) => (line: Json) =>
    typeof line.id === 'string' && line.id.startsWith(`gid://shopify/${type}/`);
  const fulfillments = children.filter(ofType('Fulfillment'));
  const orderLines = children.filter(ofType('FulfillmentOrderLineItem'));
  const single = fulfillments.length === 1 && fulfillments[0].status === 'SUCCESS';
  return fulfillments.map((f) =>
    fulfillmentPayload(
      f,
      (f.order as Json | null | undefined)?.id,
      single
        ? orderLines
            .map((line) => ({
              id: numericId((line.lineItem as Json | null | undefined)?.id),
              quantity: Number(line.totalQuantity) - Number(line.remainingQuantity),
            }))
            .filter((line) => line.quantity > 0)
        : null,
    ),
  );
}

/**
 * The fulfilments a reconciliation's order line carries inline (`Order.fulfillments`: those
 * changed since the last run, not new ones) as fulfillments/update payloads, what they shipped
 * unknown (kept as stored).
 */
export function orderFulfillmentPayloads(o: Json): Json[] {
  const fulfillments = Array.isArray(o.fulfillments) ? (o.fulfillments as Json[]) : [];
  return fulfillments.map((f) => fulfillmentPayload(f, o.id, null));
}

/** A location line as a locations/update payload. */
export function locationPayload(l: Json): Json {
  const address = (l.address as Json | null | undefined) ?? {};
  return {
    id: numericId(l.id),
    admin_graphql_api_id: l.id,
    name: l.name ?? null,
    address1: address.address1 ?? null,
    address2: address.address2 ?? null,
    city: address.city ?? null,
    zip: address.zip ?? null,
    province: address.province ?? null,
    country_code: address.countryCode ?? null,
    active: l.isActive ?? true,
    updated_at: l.updatedAt,
  };
}

/** A location's inventory level lines as inventory_levels/update payloads. */
export function inventoryLevelPayloads(l: Json, levels: Json[]): Json[] {
  return levels.map((level) => {
    const quantities = Array.isArray(level.quantities) ? (level.quantities as Json[]) : [];
    const available = quantities.find((q) => q.name === 'available')?.quantity;
    return {
      inventory_item_id: numericId((level.item as Json | null | undefined)?.id),
      location_id: numericId(l.id),
      available: typeof available === 'number' ? available : null,
      updated_at: level.updatedAt,
    };
  });
}
