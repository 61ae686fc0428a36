/**
 * The pipeline's data: pipelines and their stages, the board's cards (one request per column,
 * the first cards of each), the forecast (database totals for the whole column), moves through
 * `move_deal` and deal writes. Every read goes through RLS: an agent's board holds their
 * customers' deals.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables, TablesInsert } from '@/types/database.types.ts';

import type { BoardFilters } from '../utils/filters.ts';

export type Pipeline = Pick<Tables<'pipelines'>, 'id' | 'name' | 'names' | 'position'>;
export type DealStage = Pick<
  Tables<'deal_stages'>,
  'id' | 'pipeline_id' | 'name' | 'names' | 'position' | 'probability' | 'is_won' | 'is_lost'
>;

export interface Deal {
  id: string;
  title: string;
  customer_id: string;
  stage_id: string;
  amount: number;
  currency: string;
  amount_base: number | null;
  probability: number;
  expected_close: string | null;
  owner_id: string | null;
  position: number;
  stage_entered_at: string;
  closed_at: string | null;
  close_reason: string | null;
  notes: string | null;
  customer: { id: string; full_name: string | null; email: string | null; company: string | null } | null;
}

export interface ForecastRow {
  stage_id: string;
  close_month: string | null;
  deals: number;
  amount_base: number;
  weighted_base: number;
  unpriced: number;
}

/** Cards fetched per column; the column's totals still count every deal. */
export const CARDS_PER_COLUMN = 50;

export const DEAL_COLUMNS = `
  id, title, customer_id, stage_id, amount, currency, amount_base, probability, expected_close, owner_id,
  position, stage_entered_at, closed_at, close_reason, notes,
  customer:customers(id, full_name, email, company)
`;

export const pipelineKeys = {
  all: ['pipeline'] as const,
  pipelines: ['pipeline', 'pipelines'] as const,
  stages: ['pipeline', 'stages'] as const,
  board: (pipelineId: string, filters: BoardFilters) => ['pipeline', 'board', pipelineId, filters] as const,
  forecast: (pipelineId: string, filters: BoardFilters) => ['pipeline', 'forecast', pipelineId, filters] as const,
  forCustomer: (customerId: string) => ['pipeline', 'customer', customerId] as const,
};

export async function fetchPipelines(): Promise<Pipeline[]> {
  const { data, error } = await supabase.from('pipelines').select('id, name, names, position').order('position');
  if (error) throw error;
  return data;
}

export async function fetchStages(): Promise<DealStage[]> {
  const { data, error } = await supabase
    .from('deal_stages')
    .select('id, pipeline_id, name, names, position, probability, is_won, is_lost')
    .order('position');
  if (error) throw error;
  return data;
}

export const pipelinesOptions = () =>
  queryOptions({ queryKey: pipelineKeys.pipelines, queryFn: fetchPipelines, staleTime: 5 * 60_000 });
export const stagesOptions = () =>
  queryOptions({ queryKey: pipelineKeys.stages, queryFn: fetchStages, staleTime: 5 * 60_000 });

export type Board = Record<string, Deal[]>;

/**
 * The first cards of every column of the pipeline, in board order, with the board's filters: one
 * call (public.pipeline_board) instead of a request per column. Columns without cards are absent.
 */
export async function fetchBoard(pipelineId: string, filters: BoardFilters): Promise<Board> {
  const { data, error } = await supabase.rpc('pipeline_board', {
    pipeline: pipelineId,
    owner: filters.owner ?? undefined,
    customer: filters.customer ?? undefined,
    min_amount: filters.minAmount ?? undefined,
    max_amount: filters.maxAmount ?? undefined,
    close_from: filters.closeFrom ?? undefined,
    close_to: filters.closeTo ?? undefined,
    per_column: CARDS_PER_COLUMN,
  });
  if (error) throw error;
  const board: Board = {};
  // The customer comes back as the JSON object the embed used to give (or null).
  for (const deal of (data ?? []) as unknown as Deal[]) (board[deal.stage_id] ??= []).push(deal);
  return board;
}

export const boardOptions = (pipelineId: string, filters: BoardFilters) =>
  queryOptions({
    queryKey: pipelineKeys.board(pipelineId, filters),
    queryFn: () => fetchBoard(pipelineId, filters),
    enabled: pipelineId !== '',
  });

export async function fetchForecast(pipelineId: string, filters: BoardFilters): Promise<ForecastRow[]> {
  const { data, error } = await supabase.rpc('pipeline_forecast', {
    pipeline: pipelineId,
    owner: filters.owner ?? undefined,
    customer: filters.customer ?? undefined,
    min_amount: filters.minAmount ?? undefined,
    max_amount: filters.maxAmount ?? undefined,
    close_from: filters.closeFrom ?? undefined,
    close_to: filters.closeTo ?? undefined,
  });
  if (error) throw error;
  return (data ?? []).map((row) => ({
    ...row,
    deals: Number(row.deals),
    amount_base: Number(row.amount_base),
    weighted_base: Number(row.weighted_base),
    unpriced: Number(row.unpriced),
  }));
}

export const forecastOptions = (pipelineId: string, filters: BoardFilters) =>
  queryOptions({
    queryKey: pipelineKeys.forecast(pipelineId, filters),
    queryFn: () => fetchForecast(pipelineId, filters),
  });

export async function fetchCustomerDeals(customerId: string): Promise<Deal[]> {
  const { data, error } = await supabase
    .from('deals')
    .select(DEAL_COLUMNS)
    .eq('customer_id', customerId)
    .order('created_at', { ascending: false })
    .limit(100);
  if (error) throw error;
  return data as unknown as Deal[];
}

export const customerDealsOptions = (customerId: string) =>
  queryOptions({ queryKey: pipelineKeys.forCustomer(customerId), queryFn: () => fetchCustomerDeals(customerId) });

export interface MoveRequest {
  dealId: string;
  toStageId: string;
  afterDealId: string | null;
  reason?: string;
}

/** A database refusal as the card shows it: the message Postgres gave. */
export class MoveRefused extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

export async function moveDeal({ dealId, toStageId, afterDealId, reason }: MoveRequest): Promise<void> {
  const { error } = await supabase.rpc('move_deal', {
    deal_id: dealId,
    to_stage_id: toStageId,
    after_deal_id: afterDealId ?? undefined,
    reason: reason ?? undefined,
  });
  if (error) throw new MoveRefused(error.message, error.code);
}

export interface DealWrite {
  title: string;
  customer_id: string;
  stage_id: string;
  amount: number;
  currency: string;
  probability: number | null;
  expected_close: string | null;
  owner_id: string | null;
  notes: string | null;
}

export async function saveDeal(id: string | null, values: DealWrite): Promise<void> {
  // No probability: the database takes the stage's (prepare_deal), so the generated insert type's
  // "required" probability may be left out.
  const { probability, ...rest } = values;
  const row = (probability === null ? rest : { ...rest, probability }) as TablesInsert<'deals'>;
  const { error } = id
    ? await supabase.from('deals').update(row).eq('id', id)
    : await supabase.from('deals').insert(row);
  if (error) throw new MoveRefused(error.message, error.code);
}

// The deal form's customer picker: shared with My tasks' filter.
export { customerSearchOptions, searchCustomers, type CustomerChoice } from '@/api/customer-choices.ts';

// ─── Admin: pipelines and stages (RLS: admins only; others' writes are refused) ────────────

/** A write the database refused, with its message (a stage that still holds deals, a duplicate name…). */
async function checked<T extends { error: { message: string } | null }>(request: PromiseLike<T>): Promise<T> {
  const result = await request;
  if (result.error) throw new Error(result.error.message);
  return result;
}

export type Names = Partial<Record<'en' | 'de' | 'fr' | 'es' | 'zh', string>>;

export async function savePipeline(id: string | null, values: { name: string; names: Names; position?: number }) {
  if (id) await checked(supabase.from('pipelines').update({ name: values.name, names: values.names }).eq('id', id));
  else
    await checked(
      supabase.from('pipelines').insert({ name: values.name, names: values.names, position: values.position ?? 10 }),
    );
}

export async function removePipeline(id: string) {
  await checked(supabase.from('pipelines').delete().eq('id', id));
}

export interface StageValues {
  name: string;
  names: Names;
  probability: number;
  outcome: 'open' | 'won' | 'lost';
}

export async function saveStage(id: string | null, pipelineId: string, values: StageValues, position?: number) {
  const row = {
    name: values.name,
    names: values.names,
    probability: values.outcome === 'won' ? 100 : values.outcome === 'lost' ? 0 : values.probability,
    is_won: values.outcome === 'won',
    is_lost: values.outcome === 'lost',
  };
  if (id) await checked(supabase.from('deal_stages').update(row).eq('id', id));
  else
    await checked(supabase.from('deal_stages').insert({ ...row, pipeline_id: pipelineId, position: position ?? 10 }));
}

export async function removeStage(id: string) {
  await checked(supabase.from('deal_stages').delete().eq('id', id));
}

/** Swaps two stages' places, in one statement (the database refuses it to anyone but admins). */
export async function swapStages(a: { id: string }, b: { id: string }) {
  await checked(supabase.rpc('swap_stage_positions', { first: a.id, second: b.id }));
}
