import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { fetchOrder, type OrderDetail } from '../api/orders.ts';
import { renderWithProviders } from '@/testing/render.tsx';
import { OrderDetailPage } from './order-detail.tsx';

// The api module is swapped so this test needs no server; the real query and its RLS are
// exercised against the local stack by scripts/e2e/orders.test.ts.
vi.mock(import('../api/orders.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchOrder = vi.fn();
  return { ...actual, fetchOrder, orderOptions: withRequest(actual.orderOptions, fetchOrder) };
});
// Amounts are shown in the base currency, a shared query: it answers 'EUR' at once.
vi.mock(import('@/api/workspace.ts'), async (original) =>
  (await import('@/testing/mock-query.ts')).withBaseCurrency(await original()),
);

const ORDER: OrderDetail = {
  id: 'o-1',
  order_number: '#1006',
  placed_at: '2026-06-08T10:18:00Z',
  processed_at: null,
  financial_status: 'partially_refunded',
  fulfillment_status: 'fulfilled',
  cancelled_at: null,
  cancel_reason: null,
  currency: 'USD',
  exchange_rate: 0.898187,
  exchange_rate_date: '2026-06-08',
  exchange_rate_stale: false,
  subtotal: 106.51,
  discount_total: 0,
  shipping_total: 5,
  tax_total: 0,
  total: 111.51,
  total_base: 100.16,
  refunded_total: 20,
  refunded_base: 17.96,
  net_total_base: 82.2,
  counts_as_purchase: true,
  shipping_name: 'Amelia Davis',
  shipping_address1: '1 Sunset Blvd',
  shipping_address2: null,
  shipping_city: 'Los Angeles',
  shipping_region: 'CA',
  shipping_postal_code: '90012',
  shipping_country: 'US',
  carrier: 'DHL',
  tracking_number: 'JD998433658',
  tracking_url: 'https://track.example.com/JD998433658',
  note: null,
  source: 'shopify',
  shop: { name: 'Cairn Demo Boutique' },
  customer: { id: 'c-9', full_name: 'Amelia Davis', email: 'amelia@example.com', company: null, phone: null },
  order_items: [
    {
      id: 'i-1',
      external_id: 5001,
      product_id: 'p-1',
      title: 'Canvas sneakers',
      variant_title: 'S',
      sku: 'CANVAS-S',
      vendor: 'Ferro',
      quantity: 2,
      unit_price: 53.255,
      discount_total: 0,
      total: 106.51,
      currency: 'USD',
    },
  ],
  refunds: [
    { id: 'r-1', amount: 20, amount_base: 17.96, reason: 'Late delivery', refunded_at: '2026-06-20T09:00:00Z' },
  ],
  order_fulfillments: [
    {
      id: 'f-1',
      name: '#1006.1',
      status: 'success',
      shipment_status: 'in_transit',
      tracking_company: 'UPS',
      tracking_number: '1Z999',
      tracking_url: 'https://www.ups.com/track?tracknum=1Z999',
      line_items: [{ lineItemId: 5001, quantity: 2 }],
      external_created_at: '2026-06-09T08:00:00Z',
      external_updated_at: '2026-06-10T08:00:00Z',
    },
  ],
};

function renderDetail() {
  return renderWithProviders(<OrderDetailPage orderId="o-1" />);
}

describe('OrderDetailPage', () => {
  beforeEach(() => {
    usePreferencesStore.getState().setPreferences({ timeZone: 'America/Los_Angeles', language: 'en' });
    vi.mocked(fetchOrder).mockResolvedValue(ORDER);
  });

  it('shows the order number, its statuses, when and where it was placed, and links to the customer', async () => {
    renderDetail();
    expect(await screen.findByRole('heading', { level: 1, name: 'Order #1006' })).toBeInTheDocument();
    expect(screen.getByText('Partly refunded')).toBeInTheDocument();
    expect(screen.getByText('Shipped')).toBeInTheDocument();
    expect(screen.getByText('Placed Jun 8, 2026 3:18 AM · Cairn Demo Boutique')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Amelia Davis' })).toHaveAttribute('href', '/customers/c-9');
    expect(screen.getByRole('link', { name: 'Back to orders' })).toHaveAttribute('href', '/orders');
  });

  it('shows amounts in the original currency, the rate at order time and the base amounts', async () => {
    renderDetail();
    const amounts = await screen.findByRole('region', { name: 'Amounts' });
    expect(amounts).toHaveTextContent('Total$111.51');
    expect(amounts).toHaveTextContent('Exchange rate at order time1 USD = 0.898187 EUR');
    expect(await within(amounts).findByText('€100.16')).toBeInTheDocument();
    expect(amounts).toHaveTextContent('Refunded−$20.00');
    expect(amounts).toHaveTextContent('Net in base currency€82.20');
    // Converted with the rate of its own day: nothing marked.
    expect(within(amounts).queryByRole('img', { name: /approximate/ })).toBeNull();
  });

  it('marks the base amounts of an order converted with a stale rate, naming the rate’s day', async () => {
    vi.mocked(fetchOrder).mockResolvedValue({ ...ORDER, exchange_rate_date: '2026-05-29', exchange_rate_stale: true });
    renderDetail();
    const amounts = await screen.findByRole('region', { name: 'Amounts' });
    const marks = await within(amounts).findAllByRole('img', { name: /approximate/ });
    // The total and the net in the base currency.
    expect(marks).toHaveLength(2);
    expect(marks[0]).toHaveAccessibleName(/May 29, 2026.*more than 3 days before the order/);
  });

  it('lists the items with product, variant, quantity and prices, and the refunds', async () => {
    renderDetail();
    const items = await screen.findByRole('table', { name: 'Items' });
    const [, row] = within(items).getAllByRole('row');
    expect(row).toHaveTextContent('Canvas sneakers · S');
    expect(row).toHaveTextContent('Ferro · SKU CANVAS-S');
    expect(
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual([expect.stringContaining('Canvas sneakers'), '2', '$53.26', '$106.51']);
    expect(screen.getByRole('region', { name: 'Refunds' })).toHaveTextContent(
      '$20.00 (€17.96) · Jun 20, 2026 2:00 AM · Late delivery',
    );
  });

  it('links the tracking number to the carrier, saying it opens a new tab', async () => {
    renderDetail();
    const tracking = await screen.findByRole('link', { name: /JD998433658/ });
    expect(tracking).toHaveAttribute('href', 'https://track.example.com/JD998433658');
    expect(tracking).toHaveAccessibleName('JD998433658 (opens in a new tab)');
    expect(screen.getByRole('region', { name: 'Delivery' })).toHaveTextContent('90012 Los Angeles');
  });

  it('lists each fulfilment with its carrier, tracking link, status and the items it shipped', async () => {
    renderDetail();
    const fulfilments = await screen.findByRole('region', { name: 'Fulfilments' });
    expect(fulfilments).toHaveTextContent('#1006.1FulfilledIn transit');
    expect(fulfilments).toHaveTextContent('CarrierUPS');
    const link = within(fulfilments).getByRole('link', { name: '1Z999 (opens in a new tab)' });
    expect(link).toHaveAttribute('href', 'https://www.ups.com/track?tracknum=1Z999');
    expect(within(fulfilments).getByRole('list', { name: 'Items shipped' })).toHaveTextContent(
      '2 × Canvas sneakers · S',
    );
    // The item links to its product's stock.
    expect(screen.getByRole('link', { name: 'Canvas sneakers' })).toHaveAttribute('href', '/products/p-1');
  });

  it('links a tracking URL only when it is http(s): a javascript: URL is shown as text', async () => {
    vi.mocked(fetchOrder).mockResolvedValue({
      ...ORDER,
      tracking_url: 'javascript:alert(document.cookie)',
      order_fulfillments: [{ ...ORDER.order_fulfillments[0], tracking_url: ' JavaScript:alert(1)' }],
    });
    renderDetail();
    const fulfilments = await screen.findByRole('region', { name: 'Fulfilments' });
    expect(within(fulfilments).queryByRole('link')).toBeNull();
    expect(fulfilments).toHaveTextContent('1Z999 · its link is not a web address and is not shown');
    expect(within(screen.getByRole('region', { name: 'Delivery' })).queryByRole('link')).toBeNull();
    expect(screen.getByRole('region', { name: 'Delivery' })).toHaveTextContent('JD998433658');
  });

  it('says when nothing has shipped yet', async () => {
    vi.mocked(fetchOrder).mockResolvedValue({ ...ORDER, order_fulfillments: [] });
    renderDetail();
    expect(await screen.findByRole('region', { name: 'Fulfilments' })).toHaveTextContent(
      'Nothing has shipped for this order yet.',
    );
  });

  it('says plainly when the order cannot be shown', async () => {
    vi.mocked(fetchOrder).mockResolvedValue(null);
    renderDetail();
    expect(await screen.findByRole('heading', { level: 1, name: 'Order not available' })).toBeInTheDocument();
    expect(
      screen.getByText('The order does not exist, or your role does not give you access to it.'),
    ).toBeInTheDocument();
  });
});
