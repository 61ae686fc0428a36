import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { Toaster } from '@/components/ui/toaster.tsx';
import { renderWithProviders } from '@/testing/render.tsx';

import { actOnSegment, cancelSegmentAction, fetchSegmentAction, type SegmentActionJob } from '../api/customers.ts';
import type { ReferenceData } from '../hooks/use-reference-data.ts';
import { SegmentActionsBar } from './segment-actions-bar.tsx';

// Only the network is swapped; the job itself (batches, exactly once, as the asker) is tested
// against the stack in supabase/tests/database/segment-actions.test.ts.
vi.mock(import('../api/customers.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchSegmentAction = vi.fn();
  return {
    ...actual,
    actOnSegment: vi.fn(),
    cancelSegmentAction: vi.fn(),
    fetchSegmentAction,
    segmentActionOptions: (id: string) => ({
      ...withRequest(actual.segmentActionOptions, fetchSegmentAction)(id),
      refetchInterval: (query: { state: { data?: { status: string } } }) =>
        query.state.data?.status === 'running' ? 20 : false,
    }),
  };
});

const reference = {
  countries: [],
  currencies: [],
  languages: [],
  stages: [{ key: 'vip', label: 'VIP' }],
  tags: [],
  team: [],
  customFields: [],
} as unknown as ReferenceData;
const can = { create: true, bulkEdit: true, assign: false, chooseOwner: true, export: true } as never;
const job = (fields: Partial<SegmentActionJob>): SegmentActionJob => ({
  id: 'j-1',
  status: 'running',
  total: 1200,
  processed: 500,
  changed: 500,
  error: null,
  ...fields,
});

describe('SegmentActionsBar', () => {
  beforeEach(() => vi.resetAllMocks());

  it('follows a large segment’s job: progress with Stop, then says how many changed', async () => {
    vi.mocked(actOnSegment).mockResolvedValue(job({ status: 'running' }));
    vi.mocked(fetchSegmentAction)
      .mockResolvedValueOnce(job({ status: 'running', processed: 1000, changed: 1000 }))
      .mockResolvedValue(job({ status: 'done', processed: 1200, changed: 1150 }));
    const { user } = renderWithProviders(
      <>
        <SegmentActionsBar segmentId="s-1" reference={reference} can={can} />
        <Toaster />
      </>,
    );
    const stage = screen.getByRole('form', { name: 'Change stage' });
    await user.selectOptions(within(stage).getByRole('combobox'), 'vip');
    await user.click(within(stage).getByRole('button', { name: 'Apply' }));
    await user.click(await screen.findByRole('button', { name: 'Change all members' }));
    expect(actOnSegment).toHaveBeenCalledWith('s-1', 'stage', 'vip');
    expect(await screen.findByText(/Changing members: 1,000 of 1,200 done/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Stop' })).toBeInTheDocument();
    expect(await screen.findByText('Changed 1,150 customers')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Stop' })).not.toBeInTheDocument();
  });

  it('stops a running job when asked', async () => {
    vi.mocked(actOnSegment).mockResolvedValue(job({ status: 'running' }));
    vi.mocked(fetchSegmentAction).mockResolvedValue(job({ status: 'running' }));
    vi.mocked(cancelSegmentAction).mockResolvedValue(job({ status: 'cancelled' }));
    const { user } = renderWithProviders(
      <>
        <SegmentActionsBar segmentId="s-1" reference={reference} can={can} />
        <Toaster />
      </>,
    );
    const stage = screen.getByRole('form', { name: 'Change stage' });
    await user.selectOptions(within(stage).getByRole('combobox'), 'vip');
    await user.click(within(stage).getByRole('button', { name: 'Apply' }));
    await user.click(await screen.findByRole('button', { name: 'Change all members' }));
    await user.click(await screen.findByRole('button', { name: 'Stop' }));
    expect(cancelSegmentAction).toHaveBeenCalledWith('j-1');
    expect(await screen.findByText('Stopped: 500 customers were changed, the rest were not.')).toBeInTheDocument();
  });
});
