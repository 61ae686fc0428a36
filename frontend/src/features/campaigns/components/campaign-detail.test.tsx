import { fireEvent, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { Toaster } from '@/components/ui/toaster.tsx';
import { renderWithProviders } from '@/testing/render.tsx';

import {
  chooseEmptyVariables,
  deleteCampaign,
  NotADraftError,
  type Campaign,
  type CampaignSummary,
} from '../api/campaigns.ts';
import { CampaignDetail } from './campaign-detail.tsx';

// Only the network is swapped; what the database allows (drafts only, the freeze honouring the
// choice) is tested against the stack in supabase/tests/database/campaigns.test.ts.
vi.mock(import('../api/campaigns.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const answer = (value: unknown) => vi.fn(async () => value);
  const campaign: Campaign = {
    id: 'c-1',
    name: 'Winter sale',
    status: 'draft',
    status_reason: null,
    schedule: 'now',
    send_at: null,
    local_date: null,
    local_time: null,
    segment_id: 's-1',
    template_id: 't-1',
    attribution_days: 5,
    variables: { offer_code: 'SNOW' },
    skip_empty_variables: false,
    created_at: '2026-12-01T10:00:00Z',
    started_at: null,
    finished_at: null,
  };
  const summary: Partial<CampaignSummary> = {
    recipients: 3,
    sendable: 3,
    deferred: 0,
    excluded: 0,
    reasons: {},
    languages: [],
    missing_variants: [],
    empty_variables: { first_name: 1 },
    postal_address_set: true,
    // The recipients with an empty variable come with the summary (one plan, one request).
    empty_recipients: {
      total: 1,
      recipients: [
        {
          customer_id: 'p-1',
          name: 'Nameless Ng',
          email: 'n@example.test',
          empty_variables: ['first_name'],
          excluded: false,
        },
      ],
    },
  };
  return {
    ...actual,
    campaignOptions: withRequest(actual.campaignOptions, answer(campaign)),
    campaignSummaryOptions: withRequest(actual.campaignSummaryOptions, answer(summary)),
    chooseEmptyVariables: vi.fn(),
    deleteCampaign: vi.fn(),
  };
});

function setup() {
  return renderWithProviders(
    <>
      <CampaignDetail id="c-1" onBack={vi.fn()} onEdit={vi.fn()} />
      <Toaster />
    </>,
  );
}

describe('a draft campaign', () => {
  beforeEach(() => vi.mocked(chooseEmptyVariables).mockReset());

  it('lists recipients whose variables would be empty and stores the sender’s choice with its fallbacks', async () => {
    vi.mocked(chooseEmptyVariables).mockResolvedValue();
    const { user } = setup();
    const table = await screen.findByRole('table', { name: 'Recipients whose template variables would be empty' });
    expect(within(table).getByRole('row', { name: /Nameless Ng \(n@example.test\) first_name/ })).toBeInTheDocument();
    await user.click(screen.getByRole('radio', { name: /^Exclude them/ }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Fallback for first_name' }), { target: { value: 'there' } });
    await user.click(screen.getByRole('button', { name: 'Save choice' }));
    expect(chooseEmptyVariables).toHaveBeenCalledWith('c-1', {
      skip: true,
      variables: { offer_code: 'SNOW', first_name: 'there' },
    });
  });

  it('is deleted after a confirmation; a campaign that has started meanwhile is said to be kept', async () => {
    vi.mocked(deleteCampaign).mockRejectedValue(new NotADraftError());
    const { user } = setup();
    await user.click(await screen.findByRole('button', { name: 'Delete draft' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete “Winter sale”?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete draft' }));
    expect(deleteCampaign).toHaveBeenCalledWith('c-1');
    expect(
      await screen.findByText('This campaign has started: only a draft can be deleted. Cancel it instead.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Edit draft' })).toBeInTheDocument();
  });
});
