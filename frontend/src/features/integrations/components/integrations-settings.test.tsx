import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { createQueryClient } from '@/lib/query-client.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';

import {
  callShopifyConnect,
  ConnectError,
  fetchConnections,
  fetchDeliveryHealth,
  fetchImports,
  type ShopConnection,
} from '../api/shopify.ts';
import { IntegrationsSettings } from './integrations-settings.tsx';

// The options factory calls its own module's fetcher: both are swapped (src/testing/mock-query.ts).
vi.mock(import('../api/shopify.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchConnections = vi.fn();
  const fetchImports = vi.fn();
  const fetchDeliveryHealth = vi.fn();
  return {
    ...actual,
    fetchConnections,
    fetchImports,
    fetchDeliveryHealth,
    callShopifyConnect: vi.fn(),
    connectionsOptions: withRequest(actual.connectionsOptions, fetchConnections),
    importsOptions: withRequest(actual.importsOptions, fetchImports),
    deliveryHealthOptions: withRequest(actual.deliveryHealthOptions, fetchDeliveryHealth),
  };
});

const connection = (fields: Partial<ShopConnection> = {}): ShopConnection => ({
  shop_id: 'b0000000-0000-4000-8000-000000000001',
  auth_kind: 'client_credentials',
  client_id: 'cairn-demo-client-id',
  secret_last4: 'cret',
  token_last4: '9f3a',
  token_expires_at: '2026-12-08T09:00:00Z',
  token_error: null,
  token_error_at: null,
  webhooks: Object.fromEntries(
    Array.from({ length: 16 }, (_, i) => [`TOPIC_${i}`, `gid://shopify/WebhookSubscription/${i}`]),
  ),
  webhooks_checked_at: '2026-12-07T09:00:00Z',
  previous_secret_valid_until: null,
  connected_at: '2026-12-07T09:00:00Z',
  shop: { name: 'Cairn Demo Boutique', domain: 'cairn-demo.myshopify.com', currency: 'EUR', timezone: 'Europe/Madrid' },
  ...fields,
});

function renderPanel() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <IntegrationsSettings />
    </QueryClientProvider>,
  );
}

describe('IntegrationsSettings', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    usePreferencesStore.setState({ timeZone: 'Europe/Madrid', language: 'en' });
    vi.mocked(fetchImports).mockResolvedValue([]);
    vi.mocked(fetchDeliveryHealth).mockResolvedValue({
      last_received_at: '2026-12-07T09:30:00Z',
      applied: 12,
      ignored: 1,
      failed: 0,
      received: 0,
      next_retry_at: null,
      waiting_retry: 0,
    });
  });

  it('shows each store with only the last 4 characters of its secrets, its token state and webhooks', async () => {
    vi.mocked(fetchConnections).mockResolvedValue([
      connection(),
      connection({
        shop_id: 'b0000000-0000-4000-8000-000000000002',
        webhooks: { ORDERS_CREATE: 'gid://shopify/WebhookSubscription/1' },
        token_error: 'Shopify refused the client ID or client secret',
        token_error_at: '2026-12-07T10:00:00Z',
        shop: { name: 'Outlet', domain: 'cairn-outlet.myshopify.com', currency: 'USD', timezone: 'UTC' },
      }),
    ]);
    renderPanel();
    const list = await screen.findByRole('list', { name: 'Shopify stores' });
    const [demo, outlet] = within(list).getAllByRole('listitem');
    expect(within(demo).getByRole('heading', { name: 'Cairn Demo Boutique' })).toBeInTheDocument();
    expect(demo).toHaveTextContent('••••cret');
    expect(demo).toHaveTextContent('All 16 registered');
    expect(outlet).toHaveTextContent('1 of 16 registered — repair them');
    expect(outlet).toHaveTextContent('Renewal failed');
    expect(within(outlet).getByText('Needs attention')).toBeInTheDocument();
    expect(await within(demo).findByText('12 applied, 1 ignored, 0 failed')).toBeInTheDocument();
  });

  it('says how many failed deliveries wait for a retry, and when the next one is', async () => {
    vi.mocked(fetchConnections).mockResolvedValue([connection()]);
    vi.mocked(fetchDeliveryHealth).mockResolvedValue({
      last_received_at: '2026-12-07T09:30:00Z',
      applied: 12,
      ignored: 1,
      failed: 2,
      received: 0,
      next_retry_at: '2026-12-07T10:05:00Z',
      waiting_retry: 5,
    });
    renderPanel();
    const list = await screen.findByRole('list', { name: 'Shopify stores' });
    expect(await within(list).findByText(/^5 waiting, next Dec 7, 2026/)).toBeInTheDocument();
    expect(within(list).getByText('Failed, waiting for retry')).toBeInTheDocument();
  });

  it('shows the running import with rows done of total, rate and time left, and needs attention until it finished', async () => {
    vi.mocked(fetchConnections).mockResolvedValue([connection()]);
    vi.mocked(fetchImports).mockResolvedValue([
      {
        id: 'i1',
        shop_id: 'b0000000-0000-4000-8000-000000000001',
        status: 'running',
        kind: 'history',
        rows_fixed: 0,
        phase: 'orders',
        rows_done: 600,
        rows_total: 1200,
        rows_failed: 0,
        last_error: null,
        started_at: '2026-12-07T09:00:00Z',
        finished_at: null,
        updated_at: '2026-12-07T09:00:10Z',
      },
    ]);
    renderPanel();
    expect(await screen.findByText(/600 of 1200 rows · 60 rows\/s · about 10 s left/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Import progress' })).toHaveAttribute('value', '600');
    expect(screen.getByText('Needs attention')).toBeInTheDocument();
  });

  it('says so when no store is connected, and validates the form before calling Shopify', async () => {
    vi.mocked(fetchConnections).mockResolvedValue([]);
    const user = userEvent.setup();
    renderPanel();
    expect(await screen.findByRole('heading', { name: 'No store connected yet' })).toBeInTheDocument();
    await user.type(screen.getByLabelText('Store domain'), 'not a domain!');
    await user.type(screen.getByLabelText('Client secret'), 'short');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText(/Enter the store's myshopify.com domain/)).toBeInTheDocument();
    expect(screen.getByText('The secret has at least 16 characters')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Store domain'));
    await user.type(screen.getByLabelText('Store domain'), 'my-store');
    await user.type(screen.getByLabelText('Client secret'), '-now-long-enough');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText("Enter the app's client ID")).toBeInTheDocument();
    expect(callShopifyConnect).not.toHaveBeenCalled();

    await user.click(screen.getByRole('radio', { name: /Legacy custom app/ }));
    await user.type(screen.getByLabelText('Admin API access token'), 'not-a-token');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('A legacy token starts with shpat_')).toBeInTheDocument();
  });

  it('connects with the client credentials and shows Shopify’s refusal in words', async () => {
    vi.mocked(fetchConnections).mockResolvedValue([]);
    vi.mocked(callShopifyConnect).mockRejectedValueOnce(
      new ConnectError('invalid_request', 'Shopify refused the client ID or client secret'),
    );
    const user = userEvent.setup();
    renderPanel();
    await user.type(await screen.findByLabelText('Store domain'), 'cairn-demo');
    await user.type(screen.getByLabelText('Client ID'), 'cairn-demo-client-id');
    await user.type(screen.getByLabelText('Client secret'), 'cairn-demo-shopify-webhook-secret');
    await user.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Shopify did not accept this: Shopify refused the client ID or client secret',
    );
    expect(callShopifyConnect).toHaveBeenCalledWith({
      action: 'connect',
      domain: 'cairn-demo',
      client_id: 'cairn-demo-client-id',
      client_secret: 'cairn-demo-shopify-webhook-secret',
    });
  });
});
