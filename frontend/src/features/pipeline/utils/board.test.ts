import { describe, expect, it } from 'vitest';

import type { Board, Deal, DealStage, ForecastRow } from '../api/pipeline.ts';
import { applyMove, daysInStage, forecastByMonth, keyboardTarget, localName, totalsByStage } from './board.ts';

const deal = (id: string, stageId: string): Deal => ({
  id,
  title: id,
  customer_id: 'c',
  stage_id: stageId,
  amount: 100,
  currency: 'EUR',
  amount_base: 100,
  probability: 10,
  expected_close: null,
  owner_id: null,
  position: 0,
  stage_entered_at: '2026-12-01T00:00:00Z',
  closed_at: null,
  close_reason: null,
  notes: null,
  customer: null,
});

const board = (): Board => ({
  lead: [deal('a', 'lead'), deal('b', 'lead'), deal('c', 'lead')],
  proposal: [deal('d', 'proposal')],
  won: [],
});
const ids = (value: Board) =>
  Object.fromEntries(Object.entries(value).map(([stage, deals]) => [stage, deals.map((d) => d.id)]));

describe('applyMove', () => {
  it('puts the card after the given one, or at the top, in its new column', () => {
    expect(ids(applyMove(board(), 'a', { stageId: 'proposal', afterId: 'd' }))).toEqual({
      lead: ['b', 'c'],
      proposal: ['d', 'a'],
      won: [],
    });
    expect(ids(applyMove(board(), 'c', { stageId: 'lead', afterId: null }))).toMatchObject({ lead: ['c', 'a', 'b'] });
    expect(applyMove(board(), 'a', { stageId: 'won', afterId: null }).won?.[0]?.stage_id).toBe('won');
  });

  it('leaves the board alone for a card it does not hold', () => {
    const before = board();
    expect(applyMove(before, 'zzz', { stageId: 'won', afterId: null })).toBe(before);
  });
});

describe('keyboardTarget', () => {
  const order = ['lead', 'proposal', 'won'];
  it('moves up and down within the column, stopping at the ends', () => {
    expect(keyboardTarget(board(), order, 'b', 'up')).toEqual({ stageId: 'lead', afterId: null });
    expect(keyboardTarget(board(), order, 'b', 'down')).toEqual({ stageId: 'lead', afterId: 'c' });
    expect(keyboardTarget(board(), order, 'c', 'up')).toEqual({ stageId: 'lead', afterId: 'a' });
    expect(keyboardTarget(board(), order, 'a', 'up')).toBeNull();
    expect(keyboardTarget(board(), order, 'c', 'down')).toBeNull();
  });

  it('moves to the neighbouring column at the same height or its end, stopping at the edges', () => {
    expect(keyboardTarget(board(), order, 'a', 'right')).toEqual({ stageId: 'proposal', afterId: null });
    expect(keyboardTarget(board(), order, 'c', 'right')).toEqual({ stageId: 'proposal', afterId: 'd' });
    expect(keyboardTarget(board(), order, 'd', 'right')).toEqual({ stageId: 'won', afterId: null });
    expect(keyboardTarget(board(), order, 'a', 'left')).toBeNull();
    expect(keyboardTarget(board(), order, 'd', 'left')).toEqual({ stageId: 'lead', afterId: null });
  });
});

describe('totals and forecast', () => {
  const stages = [
    { id: 'lead', is_won: false, is_lost: false },
    { id: 'won', is_won: true, is_lost: false },
  ] as DealStage[];
  const rows: ForecastRow[] = [
    { stage_id: 'lead', close_month: '2027-02-01', deals: 2, amount_base: 300, weighted_base: 30, unpriced: 0 },
    { stage_id: 'lead', close_month: null, deals: 1, amount_base: 100, weighted_base: 10, unpriced: 0 },
    { stage_id: 'lead', close_month: '2027-01-01', deals: 1, amount_base: 50, weighted_base: 5, unpriced: 0 },
    { stage_id: 'won', close_month: '2027-01-01', deals: 1, amount_base: 1000, weighted_base: 1000, unpriced: 0 },
  ];

  it('sums per stage and for the board', () => {
    const { byStage, board: all } = totalsByStage(rows);
    expect(byStage.lead).toEqual({ deals: 4, amount: 450, weighted: 45 });
    expect(all).toEqual({ deals: 5, amount: 1450, weighted: 1045 });
  });

  it('forecasts open deals by month, in order, undated last', () => {
    expect(forecastByMonth(rows, stages)).toEqual([
      { month: '2027-01-01', weighted: 5, amount: 50 },
      { month: '2027-02-01', weighted: 30, amount: 300 },
      { month: null, weighted: 10, amount: 100 },
    ]);
  });
});

describe('small helpers', () => {
  it('counts whole days in stage', () => {
    expect(daysInStage('2026-12-01T00:00:00Z', new Date('2026-12-04T12:00:00Z'))).toBe(3);
  });
  it('names a stage in the viewer language, else by its name', () => {
    expect(localName({ name: 'Lost', names: { de: 'Verloren' } }, 'de')).toBe('Verloren');
    expect(localName({ name: 'Lost', names: { de: 'Verloren' } }, 'fr')).toBe('Lost');
    expect(localName({ name: 'Lost', names: null }, 'de')).toBe('Lost');
  });
});
