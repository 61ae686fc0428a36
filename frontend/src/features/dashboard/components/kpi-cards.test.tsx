import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { setLanguage } from '@/lib/i18n.ts';

import type { DashboardKpis } from '../api/dashboard.ts';
import { KpiCards } from './kpi-cards.tsx';

// Intl separates some units with no-break spaces; compare with plain ones.
const plain = (text: string | null) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

const november: DashboardKpis = {
  base_currency: 'EUR',
  customers: 1250,
  new_customers_this_month: 50,
  new_customers_last_month: 40,
  orders_this_month: 120,
  orders_last_month: 100,
  revenue_this_month: 12340.5,
  revenue_last_month: 10000,
  average_order_value_this_month: 102.84,
  // 100 orders for 10 000 last month: an average of 100.
};

function card(name: string) {
  return screen.getByRole('group', { name });
}

describe('KpiCards', () => {
  it('formats each figure and its comparison with Intl, in English', () => {
    render(<KpiCards kpis={november} language="en" />);
    expect(screen.getByRole('heading', { name: 'Key figures' })).toBeInTheDocument();

    const revenue = card('Revenue this month');
    expect(within(revenue).getByText('€12,340.50')).toBeInTheDocument();
    expect(within(revenue).getByText('+23% vs last month')).toBeInTheDocument();
    expect(within(revenue).getByText('Last month: €10,000.00')).toBeInTheDocument();

    expect(within(card('Customers')).getByText('1,250')).toBeInTheDocument();
    // 1 200 on the 1st, 1 250 now.
    expect(within(card('Customers')).getByText('+4.2% since the 1st')).toBeInTheDocument();
    expect(within(card('New customers this month')).getByText('+25% vs last month')).toBeInTheDocument();
    expect(within(card('Orders this month')).getByText('+20% vs last month')).toBeInTheDocument();
    expect(within(card('Average order value this month')).getByText('€102.84')).toBeInTheDocument();
    expect(within(card('Average order value this month')).getByText('+2.8% vs last month')).toBeInTheDocument();
  });

  it('writes numbers, money and percentages the German way', async () => {
    await setLanguage('de');
    render(<KpiCards kpis={november} language="de" />);
    const revenue = card('Umsatz in diesem Monat');
    expect(plain(within(revenue).getByText(/12\.340,50/).textContent)).toBe('12.340,50 €');
    expect(plain(within(revenue).getByText(/Vormonat$/).textContent)).toBe('+23 % gegenüber dem Vormonat');
    expect(within(card('Kunden')).getByText('1.250')).toBeInTheDocument();
  });

  it('shows a fall as a fall, and says so when last month has nothing to compare with', () => {
    render(
      <KpiCards
        kpis={{ ...november, orders_this_month: 80, new_customers_last_month: 0, orders_last_month: 100 }}
        language="en"
      />,
    );
    expect(within(card('Orders this month')).getByText('-20% vs last month')).toBeInTheDocument();
    const fresh = card('New customers this month');
    expect(within(fresh).queryByText(/vs last month/)).not.toBeInTheDocument();
    expect(within(fresh).getByText('Last month: 0')).toBeInTheDocument();

    render(<KpiCards kpis={{ ...november, orders_last_month: 0, revenue_last_month: 0 }} language="en" />);
    const averages = screen.getAllByRole('group', { name: 'Average order value this month' });
    expect(within(averages[1]).getByText('Nothing last month to compare with')).toBeInTheDocument();
  });
});
