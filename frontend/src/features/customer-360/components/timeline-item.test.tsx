import { screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';

import type { TimelineEntry } from '../api/timeline.ts';
import { renderWithProviders } from '@/testing/render.tsx';
import { TimelineItem } from './timeline-item.tsx';

const NOW = new Date('2026-11-21T12:00:00Z');
const names = new Map([
  ['u-author', 'Ada Admin'],
  ['u-agent', 'Alba Agent'],
]);

function entry(fields: Partial<TimelineEntry>): TimelineEntry {
  return {
    occurredAt: '2026-11-21T11:00:00Z',
    source: 'activity',
    kind: 'note',
    refId: 'ref-1',
    title: null,
    summary: null,
    actorId: null,
    data: {},
    ...fields,
  };
}

function renderItem(item: TimelineEntry, onToggleTask?: (entry: TimelineEntry, completed: boolean) => void) {
  return renderWithProviders(
    <ol>
      <TimelineItem entry={item} names={names} onToggleTask={onToggleTask} />
    </ol>,
  );
}

describe('TimelineItem', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    usePreferencesStore.getState().setPreferences({ timeZone: 'Europe/Madrid', language: 'en' });
  });
  afterEach(() => vi.useRealTimers());

  it('shows a note with its text, its author and how long ago it was, with the exact time on hover', () => {
    renderItem(entry({ summary: 'Prefers email over phone.', actorId: 'u-author' }));
    const note = screen.getByRole('article', { name: 'Note' });
    expect(note).toHaveTextContent('Prefers email over phone.');
    expect(note).toHaveTextContent('by Ada Admin');
    const time = within(note).getByText('1 hour ago');
    expect(time).toHaveAttribute('dateTime', '2026-11-21T11:00:00Z');
    // 11:00 UTC is 12:00 in Madrid.
    expect(time).toHaveAttribute('title', 'Nov 21, 2026 12:00 PM');
  });

  it('names the direction of a call', () => {
    renderItem(entry({ kind: 'call', title: 'About the return', data: { direction: 'inbound' } }));
    expect(screen.getByRole('article', { name: 'Incoming call' })).toHaveTextContent('About the return');
  });

  it('shows an order with its total in its own currency, linked to the order', () => {
    renderItem(
      entry({
        source: 'order',
        kind: 'order_placed',
        refId: 'order-9',
        title: '#1042',
        data: { total: 129.5, currency: 'USD', financial_status: 'paid' },
      }),
    );
    const order = screen.getByRole('article', { name: 'Order #1042 placed' });
    expect(within(order).getByRole('link', { name: '$129.50' })).toHaveAttribute('href', '/orders/order-9');
    expect(order).toHaveTextContent('Paid');
  });

  it('words consent changes and alerts in the reader’s language', () => {
    renderItem(entry({ source: 'consent', kind: 'withdrawn', data: { purpose: 'marketing', channel: 'sms' } }));
    expect(screen.getByRole('article', { name: 'Consent withdrawn: Marketing by SMS' })).toBeInTheDocument();
  });

  it('shows what the email provider reported about emails and alerts', () => {
    renderItem(entry({ source: 'message', kind: 'outbound', title: 'Your order', data: { status: 'bounced' } }));
    expect(screen.getByRole('article', { name: 'Email sent · Your order' })).toHaveTextContent('Bounced');
  });

  it('says when an alert was opened and clicked', () => {
    renderItem(
      entry({
        source: 'alert',
        kind: 'price_drop',
        data: { state: 'sent', opened_at: '2026-11-20T09:00:00Z', clicked_at: '2026-11-20T09:05:00Z' },
      }),
    );
    const alert = screen.getByRole('article', { name: 'Price-drop alert · Sent' });
    expect(alert).toHaveTextContent('Opened Nov 20, 2026 10:00 AM');
    expect(alert).toHaveTextContent('Clicked Nov 20, 2026 10:05 AM');
  });

  it('shows an open task with its due date and assignee, and offers to tick it off', async () => {
    const onToggle = vi.fn();
    vi.useRealTimers();
    const { user } = renderItem(
      entry({
        kind: 'task',
        title: 'Send the size guide',
        actorId: 'u-author',
        data: { due_at: '2026-11-24T08:00:00Z', assignee_id: 'u-agent', completed_at: null },
      }),
      onToggle,
    );
    const task = screen.getByRole('article', { name: 'Task' });
    expect(task).toHaveTextContent('Send the size guide');
    expect(task).toHaveTextContent('Due Nov 24, 2026 9:00 AM');
    expect(task).toHaveTextContent('Assigned to Alba Agent');
    const toggle = within(task).getByRole('button', { name: 'Mark as done' });
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    expect(onToggle).toHaveBeenCalledWith(expect.objectContaining({ refId: 'ref-1' }), true);
  });

  it('offers no toggle to someone who may not complete the task', () => {
    renderItem(entry({ kind: 'task', title: 'Call back', data: { completed_at: '2026-11-20T10:00:00Z' } }));
    const task = screen.getByRole('article', { name: 'Task' });
    expect(task).toHaveTextContent('Done Nov 20, 2026 11:00 AM');
    expect(within(task).queryByRole('button')).not.toBeInTheDocument();
  });
});
