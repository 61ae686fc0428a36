import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { searchEverything, type SearchResults } from '@/features/search/api/search.ts';
import { createQueryClient } from '@/lib/query-client.ts';

import { SearchDialog } from './search-dialog.tsx';

// The api module is swapped so the dialog runs without a server; the SQL behind it is tested
// against the local stack (supabase/tests/database/order-search.test.ts, scripts/e2e/search.test.ts).
// The options factory calls its own module's fetcher: both are swapped (src/testing/mock-query.ts).
vi.mock(import('@/features/search/api/search.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const searchEverything = vi.fn();
  return {
    ...actual,
    searchEverything,
    searchOptions: withRequest(actual.searchOptions, searchEverything, ({ signal }) => [signal]),
  };
});

const ada = { id: 'c-ada', full_name: 'Ada Lovelace', email: 'ada@example.com', company: 'Analytical', city: 'London' };
const adam = { id: 'c-adam', full_name: 'Adam Smith', email: 'adam@example.com', company: null, city: 'Kirkcaldy' };
const order1001 = {
  id: 'o-1001',
  order_number: '#1001',
  placed_at: '2026-03-05T23:30:00Z',
  total: 120.5,
  currency: 'EUR',
  financial_status: 'paid' as const,
  fulfillment_status: 'fulfilled' as const,
  customer_id: 'c-ada',
  customer_name: 'Ada Lovelace',
};

const results = (partial: Partial<SearchResults>): SearchResults => ({ customers: [], orders: [], ...partial });

function renderDialog() {
  function Harness() {
    const [open, setOpen] = useState(true);
    return <SearchDialog open={open} onOpenChange={setOpen} />;
  }
  const router = createMemoryRouter(
    [
      { path: '/', element: <Harness /> },
      { path: '/customers/:id', element: <h1>Customer page</h1> },
      { path: '/orders/:id', element: <h1>Order page</h1> },
    ],
    { initialEntries: ['/'] },
  );
  render(
    <QueryClientProvider client={createQueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  const input = screen.getByRole('combobox', { name: 'Search customers and orders' });
  return { router, input, user: userEvent.setup() };
}

const activeOption = (input: HTMLElement) => {
  const id = input.getAttribute('aria-activedescendant');
  return id ? document.getElementById(id) : null;
};

describe('SearchDialog', () => {
  beforeEach(() => {
    vi.mocked(searchEverything).mockImplementation(async (query) =>
      /^#?10/.test(query)
        ? results({ orders: [order1001] })
        : query.startsWith('ad')
          ? results({ customers: [ada, adam], orders: [] })
          : results({}),
    );
  });
  afterEach(() => vi.mocked(searchEverything).mockReset());

  it('focuses the search box and says what to type', async () => {
    const { input, user } = renderDialog();
    await waitFor(() => expect(input).toHaveFocus());
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(screen.getByText('Type to search customers and orders')).toBeInTheDocument();
    await user.type(input, 'a');
    expect(screen.getByText('Keep typing: at least 2 characters')).toBeInTheDocument();
    expect(searchEverything).not.toHaveBeenCalled();
  });

  it('searches once the typing pauses and groups the results, the query marked', async () => {
    const { input, user } = renderDialog();
    await user.type(input, 'ada');
    const listbox = await screen.findByRole('listbox', { name: 'Search results' });
    // One request for the pause, not one per keystroke.
    expect(searchEverything).toHaveBeenCalledTimes(1);
    expect(vi.mocked(searchEverything).mock.calls[0]?.[0]).toBe('ada');
    const customers = within(listbox).getByRole('group', { name: 'Customers' });
    const options = within(customers).getAllByRole('option');
    expect(options.map((option) => option.textContent)).toEqual([
      'Ada Lovelaceada@example.com · Analytical · London',
      'Adam Smithadam@example.com · Kirkcaldy',
    ]);
    expect(within(customers).getAllByText('Ada', { selector: 'mark' })).toHaveLength(2);
    expect(input).toHaveAttribute('aria-expanded', 'true');
    expect(input).toHaveAttribute('aria-controls', listbox.id);
    expect(screen.getByText('Results: 2')).toBeInTheDocument();
  });

  it('cannot send more than the database accepts (200 characters)', async () => {
    const { input, user } = renderDialog();
    await user.click(input);
    await user.paste('ad' + 'x'.repeat(300));
    expect(input).toHaveValue('ad' + 'x'.repeat(198));
    await waitFor(() => expect(searchEverything).toHaveBeenCalled());
    for (const [query] of vi.mocked(searchEverything).mock.calls) expect(query.length).toBeLessThanOrEqual(200);
  });

  it('says why a search refused for its length failed, without offering to retry it', async () => {
    vi.mocked(searchEverything).mockRejectedValue({ code: '22023', message: 'search is limited to 200 characters' });
    const { input, user } = renderDialog();
    await user.type(input, 'ada');
    expect(
      await screen.findByText(
        'Searches are limited to 200 characters: shorten it to the start of a name, email or order number.',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Search again' })).not.toBeInTheDocument();
  });

  it('moves through the results with the arrow keys, wrapping round, and opens one with Enter', async () => {
    const { input, user, router } = renderDialog();
    await user.type(input, 'ada');
    await screen.findByRole('listbox');
    const [first, second] = screen.getAllByRole('option');
    // The best match is active at once, so Enter alone opens it.
    expect(activeOption(input)).toBe(first);
    expect(first).toHaveAttribute('aria-selected', 'true');
    await user.keyboard('{ArrowDown}');
    expect(activeOption(input)).toBe(second);
    expect(first).toHaveAttribute('aria-selected', 'false');
    await user.keyboard('{ArrowDown}');
    expect(activeOption(input)).toBe(first);
    await user.keyboard('{ArrowUp}');
    expect(activeOption(input)).toBe(second);
    expect(input).toHaveFocus();

    await user.keyboard('{Enter}');
    expect(router.state.location.pathname).toBe('/customers/c-adam');
    expect(await screen.findByRole('heading', { name: 'Customer page' })).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('puts orders first for an order number, and opens the order', async () => {
    const { input, user, router } = renderDialog();
    await user.type(input, '#10');
    const orders = await screen.findByRole('group', { name: 'Orders' });
    const option = within(orders).getByRole('option', { name: /#1001/ });
    expect(option).toHaveTextContent('Ada Lovelace · Mar 5, 2026');
    expect(option).toHaveTextContent('€120.50');
    expect(within(option).getByText('10', { selector: 'mark' })).toBeInTheDocument();
    await user.click(option);
    expect(router.state.location.pathname).toBe('/orders/o-1001');
  });

  it('says when nothing matches', async () => {
    const { input, user } = renderDialog();
    await user.type(input, 'zebra');
    expect(await screen.findByText('No results for “zebra”')).toBeInTheDocument();
    expect(input).toHaveAttribute('aria-expanded', 'false');
    expect(input).not.toHaveAttribute('aria-activedescendant');
  });

  it('explains a failure without the server message, and searches again on request', async () => {
    vi.mocked(searchEverything).mockRejectedValue(new Error('canceling statement due to statement timeout'));
    const { input, user } = renderDialog();
    await user.type(input, 'ada');
    expect(
      await screen.findByText(
        'Search is not available right now. Check your connection and try again.',
        {},
        { timeout: 5000 },
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText(/statement timeout/)).not.toBeInTheDocument();
    vi.mocked(searchEverything).mockResolvedValue(results({ customers: [ada] }));
    await user.click(screen.getByRole('button', { name: 'Search again' }));
    expect(await screen.findByRole('option', { name: /Ada Lovelace/ })).toBeInTheDocument();
  });

  it('shows the answer to the latest query even when an older one arrives later', async () => {
    let answerSlowly: (value: SearchResults) => void = () => undefined;
    vi.mocked(searchEverything).mockImplementation((query) =>
      query === 'ad'
        ? new Promise<SearchResults>((resolve) => (answerSlowly = resolve))
        : Promise.resolve(results({ customers: [adam] })),
    );
    const { input, user } = renderDialog();
    await user.type(input, 'ad');
    await waitFor(() => expect(searchEverything).toHaveBeenCalledWith('ad', expect.anything()));
    await user.type(input, 'am');
    expect(await screen.findByRole('option', { name: /Adam Smith/ })).toBeInTheDocument();
    // The first request answers last: it must not replace what is on screen.
    answerSlowly(results({ customers: [ada] }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.getAllByRole('option').map((option) => option.textContent)).toEqual([
      'Adam Smithadam@example.com · Kirkcaldy',
    ]);
  });
});
