import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { renderWithProviders } from '@/testing/render.tsx';

import { fetchProduct, type ProductDetail } from '../api/products.ts';
import { ProductPage } from './product-stock.tsx';

// The api module is swapped so this test needs no server; the query's RLS (team members read
// locations and levels) is tested in supabase/tests/database/fulfilments-matrix.ts.
vi.mock(import('../api/products.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchProduct = vi.fn();
  return { ...actual, fetchProduct, productOptions: withRequest(actual.productOptions, fetchProduct) };
});

const location = (id: string, name: string | null, active = true) => ({
  id,
  name,
  external_id: Number(id.replace(/\D/g, '')) || 99,
  active,
  city: name ? 'Madrid' : null,
  country: name ? 'ES' : null,
});

const PRODUCT: ProductDetail = {
  id: 'p-1',
  title: 'Linen midi dress',
  vendor: 'Atelier Nord',
  product_type: 'Apparel',
  status: 'active',
  image_url: null,
  source: 'shopify',
  shop: { name: 'Cairn Demo Boutique' },
  product_variants: [
    {
      id: 'v-s',
      title: 'S',
      sku: 'LINEN-S',
      price: 89.99,
      currency: 'EUR',
      inventory_quantity: 7,
      position: 1,
      inventory_levels: [
        { available: 5, external_updated_at: '2026-06-01T00:00:00Z', location: location('l-1', 'Madrid warehouse') },
        { available: 2, external_updated_at: '2026-06-01T00:00:00Z', location: location('l-2', null) },
      ],
    },
    {
      id: 'v-m',
      title: 'M',
      sku: 'LINEN-M',
      price: 89.99,
      currency: 'EUR',
      inventory_quantity: 0,
      position: 2,
      inventory_levels: [
        { available: null, external_updated_at: '2026-06-01T00:00:00Z', location: location('l-1', 'Madrid warehouse') },
        { available: 0, external_updated_at: '2026-06-01T00:00:00Z', location: location('l-3', 'Old shop', false) },
      ],
    },
  ],
};

describe('ProductPage', () => {
  beforeEach(() => {
    usePreferencesStore.getState().setPreferences({ timeZone: 'Europe/Madrid', language: 'en' });
    vi.mocked(fetchProduct).mockResolvedValue(PRODUCT);
  });

  it('shows each variant’s stock per location, unnamed and inactive locations said so, and the total', async () => {
    renderWithProviders(<ProductPage productId="p-1" />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Linen midi dress' })).toBeInTheDocument();
    const table = screen.getByRole('table', { name: 'Stock by location' });
    const [head, small, medium] = within(table).getAllByRole('row');
    expect(
      within(head)
        .getAllByRole('columnheader')
        .map((cell) => cell.textContent),
    ).toEqual(['Variant', 'Price', 'Madrid warehouse', 'Location 2', 'Old shop (inactive)', 'Total in stock']);
    expect(
      within(small)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['S · LINEN-S', '€89.99', '5', '2', '—', '7']);
    expect(
      within(medium)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['M · LINEN-M', '€89.99', 'Not tracked', '—', '0', '0']);
  });

  it('says when Shopify has reported no stock per location, and when the product is not there', async () => {
    vi.mocked(fetchProduct).mockResolvedValue({
      ...PRODUCT,
      product_variants: PRODUCT.product_variants.map((variant) => ({ ...variant, inventory_levels: [] })),
    });
    const { unmount } = renderWithProviders(<ProductPage productId="p-1" />);
    expect(await screen.findByText(/has not reported stock per location/)).toBeInTheDocument();
    unmount();
    vi.mocked(fetchProduct).mockResolvedValue(null);
    renderWithProviders(<ProductPage productId="p-1" />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Product not found' })).toBeInTheDocument();
  });
});
