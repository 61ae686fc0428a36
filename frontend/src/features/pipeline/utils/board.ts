/**
 * The board's pure logic: where a card lands (optimistic moves), where the keyboard takes a
 * picked-up card, and the totals and weighted forecast shown per column and per month.
 */
import type { Board, Deal, DealStage, ForecastRow } from '../api/pipeline.ts';

/** A drop point: a column and the card the moved one goes right after (null: the top). */
export interface DropTarget {
  stageId: string;
  afterId: string | null;
}

/** The board as it will look once the move lands (what the screen shows while it is saved). */
export function applyMove(board: Board, dealId: string, target: DropTarget): Board {
  let moving: Deal | undefined;
  const without: Board = {};
  for (const [stageId, deals] of Object.entries(board)) {
    without[stageId] = deals.filter((deal) => {
      if (deal.id !== dealId) return true;
      moving = deal;
      return false;
    });
  }
  if (!moving) return board;
  const column = [...(without[target.stageId] ?? [])];
  const index = target.afterId === null ? 0 : column.findIndex((deal) => deal.id === target.afterId) + 1;
  column.splice(index, 0, { ...moving, stage_id: target.stageId });
  return { ...without, [target.stageId]: column };
}

/** Where a card is now, as a drop target (the card above it, or the top). */
export function currentTarget(board: Board, dealId: string): DropTarget | null {
  for (const [stageId, deals] of Object.entries(board)) {
    const index = deals.findIndex((deal) => deal.id === dealId);
    if (index >= 0) return { stageId, afterId: index === 0 ? null : (deals[index - 1]?.id ?? null) };
  }
  return null;
}

export type Direction = 'up' | 'down' | 'left' | 'right';

/**
 * Where the keyboard takes a picked-up card: up / down within its column, left / right to the
 * neighbouring column at the same height (or its end). Null at an edge.
 */
export function keyboardTarget(
  board: Board,
  stageOrder: string[],
  dealId: string,
  direction: Direction,
): DropTarget | null {
  const here = currentTarget(board, dealId);
  if (!here) return null;
  const column = (board[here.stageId] ?? []).filter((deal) => deal.id !== dealId);
  const index = here.afterId === null ? 0 : column.findIndex((deal) => deal.id === here.afterId) + 1;
  if (direction === 'up') {
    if (index === 0) return null;
    return { stageId: here.stageId, afterId: index - 2 >= 0 ? (column[index - 2]?.id ?? null) : null };
  }
  if (direction === 'down') {
    if (index >= column.length) return null;
    return { stageId: here.stageId, afterId: column[index]?.id ?? null };
  }
  const stageIndex = stageOrder.indexOf(here.stageId) + (direction === 'left' ? -1 : 1);
  const nextStage = stageOrder[stageIndex];
  if (!nextStage) return null;
  const nextColumn = board[nextStage] ?? [];
  const at = Math.min(index, nextColumn.length);
  return { stageId: nextStage, afterId: at === 0 ? null : (nextColumn[at - 1]?.id ?? null) };
}

/** Position of a card in its column (1-based) and the column's length, for announcements. */
export function placeOf(board: Board, dealId: string): { stageId: string; index: number; count: number } | null {
  for (const [stageId, deals] of Object.entries(board)) {
    const index = deals.findIndex((deal) => deal.id === dealId);
    if (index >= 0) return { stageId, index: index + 1, count: deals.length };
  }
  return null;
}

export interface ColumnTotals {
  deals: number;
  amount: number;
  weighted: number;
}

/** Totals per stage and for the board, from the database's forecast (every deal, not just the cards shown). */
export function totalsByStage(rows: ForecastRow[]): { byStage: Record<string, ColumnTotals>; board: ColumnTotals } {
  const byStage: Record<string, ColumnTotals> = {};
  const board: ColumnTotals = { deals: 0, amount: 0, weighted: 0 };
  for (const row of rows) {
    const totals = (byStage[row.stage_id] ??= { deals: 0, amount: 0, weighted: 0 });
    totals.deals += row.deals;
    totals.amount += row.amount_base;
    totals.weighted += row.weighted_base;
    board.deals += row.deals;
    board.amount += row.amount_base;
    board.weighted += row.weighted_base;
  }
  return { byStage, board };
}

/**
 * The weighted forecast of open deals by month of expected close (closed deals are history, not
 * forecast), months in order, deals without a date last.
 */
export function forecastByMonth(
  rows: ForecastRow[],
  stages: DealStage[],
): Array<{ month: string | null; weighted: number; amount: number }> {
  const open = new Set(stages.filter((stage) => !stage.is_won && !stage.is_lost).map((stage) => stage.id));
  const months = new Map<string | null, { weighted: number; amount: number }>();
  for (const row of rows) {
    if (!open.has(row.stage_id)) continue;
    const entry = months.get(row.close_month) ?? { weighted: 0, amount: 0 };
    entry.weighted += row.weighted_base;
    entry.amount += row.amount_base;
    months.set(row.close_month, entry);
  }
  return [...months.entries()]
    .map(([month, sums]) => ({ month, ...sums }))
    .sort((a, b) => (a.month === null ? 1 : b.month === null ? -1 : a.month.localeCompare(b.month)));
}

/** Whole days a deal has spent in its stage. */
export function daysInStage(enteredAt: string, now = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - new Date(enteredAt).getTime()) / 86_400_000));
}

/** A stage's or pipeline's name in the viewer's language, else its own name. */
export function localName(item: { name: string; names: unknown }, language: string): string {
  const names = item.names && typeof item.names === 'object' ? (item.names as Record<string, unknown>) : {};
  const translated = names[language];
  return typeof translated === 'string' && translated.trim() ? translated : item.name;
}
