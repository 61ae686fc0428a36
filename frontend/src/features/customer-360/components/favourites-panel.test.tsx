import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { fetchAlertHistory, fetchFavourites, type Favourite } from '../api/favourites.ts';
import { renderWithProviders } from '@/testing/render.tsx';
import { FavouritesPanel } from './favourites-panel.tsx';

// The module's options factories call its own fetchers: both are swapped (src/testing/mock-query.ts).
vi.mock(import('../api/favourites.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchFavourites = vi.fn();
  const fetchAlertHistory = vi.fn();
  return {
    ...actual,
    fetchFavourites,
    fetchAlertHistory,
    favouritesOptions: withRequest(actual.favouritesOptions, fetchFavourites),
    alertHistoryOptions: withRequest(actual.alertHistoryOptions, fetchAlertHistory),
  };
});

const favourite = (fields: Partial<Favourite> & { variant: Favourite['variant'] }): Favourite => ({
  id: 'f-1',
  created_at: '2026-10-01T10:00:00Z',
  price_at_favorite: 100,
  currency: 'EUR',
  ...fields,
});

const product = (title: string) => ({
  id: `p-${title}`,
  title,
  vendor: 'Vela',
  status: 'active' as const,
  image_url: null,
});

describe('FavouritesPanel', () => {
  beforeEach(() => {
    usePreferencesStore.getState().setPreferences({ timeZone: 'UTC', language: 'en' });
    vi.mocked(fetchFavourites).mockResolvedValue([
      favourite({
        variant: {
          id: 'v-1',
          title: 'M',
          sku: null,
          price: 80,
          currency: 'EUR',
          inventory_quantity: 0,
          product: product('Linen shirt'),
        },
      }),
      favourite({
        id: 'f-2',
        price_at_favorite: 50,
        variant: {
          id: 'v-2',
          title: 'Default Title',
          sku: null,
          price: 50,
          currency: 'EUR',
          inventory_quantity: null,
          product: product('Tote bag'),
        },
      }),
    ]);
    vi.mocked(fetchAlertHistory).mockResolvedValue([
      {
        id: 7,
        variant_id: 'v-1',
        kind: 'price_drop',
        state: 'sent',
        reason: null,
        old_price: 100,
        new_price: 80,
        currency: 'EUR',
        created_at: '2026-11-02T09:00:00Z',
        sent_at: '2026-11-02T09:01:00Z',
      },
    ]);
  });

  it('shows the price when saved and now, with the change, and the stock', async () => {
    renderWithProviders(<FavouritesPanel customerId="c-1" />);
    const table = await screen.findByRole('table', { name: 'Favourited products' });
    const [, shirt, bag] = within(table).getAllByRole('row');
    expect(
      within(shirt)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['Linen shirt · M · Vela', '€100.00', '€80.00 (-20%)', 'Out of stock']);
    expect(bag).toHaveTextContent('Tote bag · Vela');
    expect(bag).toHaveTextContent('Not tracked');
  });

  it('lists the alerts sent about the favourites', async () => {
    renderWithProviders(<FavouritesPanel customerId="c-1" />);
    const history = await screen.findByRole('region', { name: 'Alert history' });
    expect(await within(history).findByText('Price-drop alert')).toBeInTheDocument();
    expect(history).toHaveTextContent('Linen shirt · M');
    expect(history).toHaveTextContent('€100.00 → €80.00');
    expect(history).toHaveTextContent('Sent');
  });

  it('says so when the customer has no favourites', async () => {
    vi.mocked(fetchFavourites).mockResolvedValue([]);
    renderWithProviders(<FavouritesPanel customerId="c-1" />);
    expect(await screen.findByRole('heading', { name: 'No favourites yet' })).toBeInTheDocument();
  });
});
