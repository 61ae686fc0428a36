/**
 * Automation flows: the list, one flow's statistics and paths, writes and switching on. The
 * database checks every flow when it is saved (22023 naming the place) and decides who may write
 * (admins and managers) and whose paths a member sees (agents: their own customers).
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Json, Tables } from '@/types/database.types.ts';

export type Flow = Pick<
  Tables<'flows'>,
  | 'id'
  | 'name'
  | 'description'
  | 'trigger'
  | 'also_on'
  | 'steps'
  | 'goal'
  | 'status'
  | 'preset'
  | 'updated_at'
  | 'activated_at'
>;
const FLOW_COLUMNS = 'id, name, description, trigger, also_on, steps, goal, status, preset, updated_at, activated_at';

/** A step as the editor holds it: `id`, `kind` and the kind's fields; conditions hold branches. */
export interface Step {
  id: string;
  kind: string;
  then?: Step[];
  else?: Step[];
  [field: string]: unknown;
}

export interface FlowStats {
  entered: number;
  inProgress: number;
  completed: number;
  goalMet: number;
}

export interface FlowPath {
  enrolmentId: string;
  customerId: string;
  customerName: string;
  state: string;
  exitReason: string | null;
  enteredAt: string;
  steps: Array<{ stepKey: string; outcome: string; detail: string | null; occurredAt: string }>;
}

export const flowKeys = {
  all: ['flows'] as const,
  list: ['flows', 'list'] as const,
  stats: (id: string) => ['flows', 'stats', id] as const,
  paths: (id: string) => ['flows', 'paths', id] as const,
};

export async function fetchFlows(): Promise<Flow[]> {
  const { data, error } = await supabase.from('flows').select(FLOW_COLUMNS).order('name');
  if (error) throw error;
  return data;
}
export const flowsOptions = () => queryOptions({ queryKey: flowKeys.list, queryFn: fetchFlows });

async function countPassages(flowId: string, filter: { state?: string; exitReason?: string }): Promise<number> {
  let query = supabase.from('flow_enrolments').select('id', { count: 'exact', head: true }).eq('flow_id', flowId);
  if (filter.state) query = query.eq('state', filter.state);
  if (filter.exitReason) query = query.eq('exit_reason', filter.exitReason);
  const { count, error } = await query;
  if (error) throw error;
  return count ?? 0;
}

/** Entered, in progress, completed and left at the goal — of the customers the member may see. */
export async function fetchFlowStats(flowId: string): Promise<FlowStats> {
  const [entered, inProgress, completed, goalMet] = await Promise.all([
    countPassages(flowId, {}),
    countPassages(flowId, { state: 'active' }),
    countPassages(flowId, { state: 'completed' }),
    countPassages(flowId, { exitReason: 'goal_met' }),
  ]);
  return { entered, inProgress, completed, goalMet };
}
export const flowStatsOptions = (flowId: string) =>
  queryOptions({ queryKey: flowKeys.stats(flowId), queryFn: () => fetchFlowStats(flowId) });

/** The latest 20 passages with each customer's path, newest first. */
export async function fetchFlowPaths(flowId: string): Promise<FlowPath[]> {
  const { data, error } = await supabase
    .from('flow_enrolments')
    .select('id, customer_id, state, exit_reason, entered_at, customers(full_name, email)')
    .eq('flow_id', flowId)
    .order('entered_at', { ascending: false })
    .limit(20);
  if (error) throw error;
  const ids = data.map((row) => row.id);
  const runs = ids.length
    ? await supabase
        .from('flow_step_runs')
        .select('enrolment_id, step_key, outcome, detail, occurred_at')
        .in('enrolment_id', ids)
        .order('id')
    : { data: [], error: null };
  if (runs.error) throw runs.error;
  return data.map((row) => ({
    enrolmentId: row.id,
    customerId: row.customer_id,
    customerName: row.customers?.full_name ?? row.customers?.email ?? row.customer_id,
    state: row.state,
    exitReason: row.exit_reason,
    enteredAt: row.entered_at,
    steps: (runs.data ?? [])
      .filter((run) => run.enrolment_id === row.id)
      .map((run) => ({ stepKey: run.step_key, outcome: run.outcome, detail: run.detail, occurredAt: run.occurred_at })),
  }));
}
export const flowPathsOptions = (flowId: string) =>
  queryOptions({ queryKey: flowKeys.paths(flowId), queryFn: () => fetchFlowPaths(flowId) });

export interface FlowInput {
  name: string;
  trigger: Record<string, unknown>;
  /** Further triggers that start the flow (only customer created ↔ portal sign-up combine). */
  also_on: string[];
  steps: Step[];
  goal: Record<string, unknown> | null;
}

export async function createFlow(input: FlowInput): Promise<Flow> {
  const { data, error } = await supabase
    .from('flows')
    .insert({
      ...input,
      trigger: input.trigger as { [key: string]: Json },
      steps: input.steps as unknown as Json[],
      goal: input.goal as { [key: string]: Json } | null,
    })
    .select(FLOW_COLUMNS)
    .single();
  if (error) throw error;
  return data;
}

export async function updateFlow(id: string, input: FlowInput): Promise<Flow> {
  const { data, error } = await supabase
    .from('flows')
    .update({
      ...input,
      trigger: input.trigger as { [key: string]: Json },
      steps: input.steps as unknown as Json[],
      goal: input.goal as { [key: string]: Json } | null,
    })
    .eq('id', id)
    .select(FLOW_COLUMNS)
    .single();
  if (error) throw error;
  return data;
}

export async function pauseFlow(id: string): Promise<void> {
  const { error } = await supabase.from('flows').update({ status: 'paused' }).eq('id', id);
  if (error) throw error;
}

/** How many customers who already match would enter if the flow is switched on with them. */
export async function previewActivation(id: string): Promise<number> {
  const { data, error } = await supabase.rpc('preview_flow_activation', { flow_id: id });
  if (error) throw error;
  return data;
}

export async function activateFlow(id: string, enrolExisting: boolean): Promise<{ enrolled: number }> {
  const { data, error } = await supabase.rpc('activate_flow', { flow_id: id, enrol_existing: enrolExisting });
  if (error) throw error;
  return data as unknown as { enrolled: number };
}
