import { screen, within } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { renderWithProviders } from '@/testing/render.tsx';

import type { Deal, DealStage } from '../api/pipeline.ts';
import { FIRST_CARDS_PER_COLUMN, PipelineBoard, type PipelineBoardProps } from './pipeline-board.tsx';

const stage = (id: string, name: string, position: number): DealStage => ({
  id,
  pipeline_id: 'p1',
  name,
  names: {},
  position,
  probability: 20,
  is_won: false,
  is_lost: false,
});

const deal = (stageId: string, n: number): Deal => ({
  id: `${stageId}-${n}`,
  title: `Deal ${stageId} ${n}`,
  customer_id: 'c1',
  stage_id: stageId,
  amount: 100 * n,
  currency: 'EUR',
  amount_base: 100 * n,
  probability: 20,
  expected_close: '2026-12-31',
  owner_id: null,
  position: n,
  stage_entered_at: '2026-12-01T10:00:00Z',
  closed_at: null,
  close_reason: null,
  notes: null,
  customer: { id: 'c1', full_name: 'Carla Customer', email: null, company: null },
});

const props = (): PipelineBoardProps => ({
  stages: [stage('lead', 'Lead', 1), stage('won', 'Won', 2)],
  board: {
    lead: Array.from({ length: 30 }, (_, index) => deal('lead', index + 1)),
    won: Array.from({ length: 3 }, (_, index) => deal('won', index + 1)),
  },
  totals: {},
  baseCurrency: 'EUR',
  ownerName: () => 'Nobody',
  canMove: () => true,
  refusals: {},
  onMove: () => undefined,
  onOpen: () => undefined,
});

describe('PipelineBoard', () => {
  it('renders the first cards of each column first, then every card', async () => {
    // The first render (what a server render shows: no effects run) stops at the first cards.
    const first = renderToString(<PipelineBoard {...props()} />);
    expect(first.match(/data-deal-id=/g)).toHaveLength(FIRST_CARDS_PER_COLUMN + 3);
    expect(first).toContain('Deal lead 10<');
    expect(first).not.toContain('Deal lead 11<');

    renderWithProviders(<PipelineBoard {...props()} />);
    const lead = screen.getByRole('list', { name: 'Deals in Lead' });
    await within(lead).findByRole('button', { name: 'Deal lead 30' });
    expect(within(lead).getAllByRole('listitem')).toHaveLength(30);
    expect(within(screen.getByRole('list', { name: 'Deals in Won' })).getAllByRole('listitem')).toHaveLength(3);
    // Each card still has its own labels (the strings come from the board now).
    expect(screen.getByRole('button', { name: 'Move Deal lead 30' })).toBeTruthy();
  });
});
