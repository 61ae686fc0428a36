import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { fetchTimelinePage, timelineKeys, type TimelineEntry } from '../api/timeline.ts';
import { renderWithProviders, testViewer } from '@/testing/render.tsx';
import { TimelinePanel } from './timeline-panel.tsx';

// The infinite query's factory calls the module's own fetcher: it is swapped too, a page at a time.
vi.mock(import('../api/timeline.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchTimelinePage = vi.fn();
  return {
    ...actual,
    fetchTimelinePage,
    timelineOptions: withRequest(actual.timelineOptions, fetchTimelinePage, ({ pageParam }) => [pageParam]),
  };
});
const fetchTeam = vi.hoisted(() => vi.fn());
vi.mock(import('@/api/team-members.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return { ...actual, teamMemberNamesOptions: withRequest(actual.teamMemberNamesOptions, fetchTeam) };
});
vi.mock('../api/activities.ts', () => ({ createActivity: vi.fn(), setTaskCompleted: vi.fn() }));
const pageMock = vi.mocked(fetchTimelinePage);

const note = (refId: string, actorId: string, summary: string): TimelineEntry => ({
  occurredAt: '2026-11-21T10:00:00Z',
  source: 'activity',
  kind: 'note',
  refId,
  title: null,
  summary,
  actorId,
  data: {},
});

describe('TimelinePanel', () => {
  beforeEach(() => {
    usePreferencesStore.getState().setPreferences({ timeZone: 'UTC', language: 'en' });
    fetchTeam.mockResolvedValue([
      { user_id: 'u-me', full_name: 'Marco Manager', role: 'manager', active: true },
      { user_id: 'u-other', full_name: 'Ada Admin', role: 'admin', active: true },
    ]);
    pageMock.mockReset();
  });

  it('loads older entries by keyset after the last one shown', async () => {
    pageMock
      .mockResolvedValueOnce({
        entries: [note('a-2', 'u-other', 'Newest')],
        next: { occurredAt: '2026-11-21T10:00:00Z', source: 'activity', refId: 'a-2' },
      })
      .mockResolvedValueOnce({ entries: [note('a-1', 'u-other', 'Oldest')], next: null });
    const { user } = renderWithProviders(<TimelinePanel customerId="c-1" />, {
      viewer: testViewer({ userId: 'u-me', role: 'manager' }),
    });
    await user.click(await screen.findByRole('button', { name: 'Load older' }));
    expect(await screen.findByText('Oldest')).toBeInTheDocument();
    expect(pageMock).toHaveBeenLastCalledWith('c-1', {
      occurredAt: '2026-11-21T10:00:00Z',
      source: 'activity',
      refId: 'a-2',
    });
    expect(screen.getByText('This is the beginning of the customer’s history.')).toBeInTheDocument();
    const items = within(screen.getByRole('list', { name: 'Customer timeline' })).getAllByRole('article');
    expect(items.map((item) => item.textContent)).toEqual([
      expect.stringContaining('Newest'),
      expect.stringContaining('Oldest'),
    ]);
  });

  it('announces an entry someone else added while the page was open, not the viewer’s own', async () => {
    pageMock.mockResolvedValue({ entries: [note('a-1', 'u-other', 'First')], next: null });
    const { queryClient, container } = renderWithProviders(<TimelinePanel customerId="c-1" />, {
      viewer: testViewer({ userId: 'u-me', role: 'manager' }),
    });
    await screen.findByText('First');
    const live = container.querySelector('[aria-live="polite"]');
    expect(live).toHaveTextContent('');

    pageMock.mockResolvedValue({ entries: [note('a-2', 'u-me', 'Mine'), note('a-1', 'u-other', 'First')], next: null });
    await queryClient.invalidateQueries({ queryKey: timelineKeys.all('c-1') });
    await screen.findByText('Mine');
    expect(live).toHaveTextContent('');

    pageMock.mockResolvedValue({
      entries: [note('a-3', 'u-other', 'Theirs'), note('a-2', 'u-me', 'Mine'), note('a-1', 'u-other', 'First')],
      next: null,
    });
    await queryClient.invalidateQueries({ queryKey: timelineKeys.all('c-1') });
    await waitFor(() => expect(live).toHaveTextContent('New on the timeline: Note'));
  });

  it('says so when nothing has happened yet', async () => {
    pageMock.mockResolvedValue({ entries: [], next: null });
    renderWithProviders(<TimelinePanel customerId="c-1" />, {
      viewer: testViewer({ userId: 'u-me', role: 'readonly' }),
    });
    expect(await screen.findByRole('heading', { name: 'Nothing has happened yet' })).toBeInTheDocument();
  });
});
