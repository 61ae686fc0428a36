/**
 * Campaigns: the list, one campaign, its pre-send summary and its live results, and the writes
 * (create a draft, send, pause, resume, cancel). The database decides who may do each (managers
 * and admins send; RLS and the functions refuse the rest). One key root: `campaignKeys.all`.
 */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';
import type { Tables } from '@/types/database.types.ts';

import type { CampaignInput } from '../schemas/campaign.ts';

export type Campaign = Pick<
  Tables<'campaigns'>,
  | 'id'
  | 'name'
  | 'status'
  | 'status_reason'
  | 'schedule'
  | 'send_at'
  | 'local_date'
  | 'local_time'
  | 'segment_id'
  | 'template_id'
  | 'attribution_days'
  | 'variables'
  | 'skip_empty_variables'
  | 'created_at'
  | 'started_at'
  | 'finished_at'
>;

const COLUMNS =
  'id, name, status, status_reason, schedule, send_at, local_date, local_time, segment_id, template_id, attribution_days, variables, skip_empty_variables, created_at, started_at, finished_at';

export interface CampaignSummary {
  recipients: number;
  sendable: number;
  deferred: number;
  excluded: number;
  reasons: Record<string, number>;
  languages: Array<{ language: string; recipients: number; variant: string | null; missing: boolean }>;
  missing_variants: string[];
  empty_variables: Record<string, number>;
  /** The first 50 recipients with a variable still empty, from the same plan as the counts. */
  empty_recipients: EmptyVariableRecipients;
  first_send_at: string | null;
  last_send_at: string | null;
  postal_address_set: boolean;
}

export interface CampaignResults {
  status: Campaign['status'];
  status_reason: string | null;
  recipients: number;
  sent: number;
  queued: number;
  deferred: number;
  in_flight: number;
  failed: number;
  excluded: number;
  cancelled: number;
  remaining: number;
  rate_per_minute: number;
  eta_seconds: number | null;
  next_send_at: string | null;
  delivered: number;
  opened: number;
  clicked: number;
  bounced: number;
  complained: number;
  unsubscribed: number;
  orders: number;
  revenue_base: number;
  base_currency: string;
  attribution_days: number;
  by_language: Array<{ language: string; sent: number; opened: number; clicked: number }>;
  links: Array<{ url: string; clicks: number; recipients: number }>;
}

export const campaignKeys = {
  all: ['campaigns'] as const,
  list: ['campaigns', 'list'] as const,
  one: (id: string) => ['campaigns', 'one', id] as const,
  summary: (id: string) => ['campaigns', 'summary', id] as const,
  results: (id: string) => ['campaigns', 'results', id] as const,
  templates: ['campaigns', 'templates'] as const,
};

export const campaignListOptions = () =>
  queryOptions({
    queryKey: campaignKeys.list,
    queryFn: async (): Promise<Campaign[]> => {
      const { data, error } = await supabase
        .from('campaigns')
        .select(COLUMNS)
        .order('created_at', { ascending: false })
        .limit(200);
      if (error) throw error;
      return data;
    },
  });

export const campaignOptions = (id: string) =>
  queryOptions({
    queryKey: campaignKeys.one(id),
    queryFn: async (): Promise<Campaign | null> => {
      const { data, error } = await supabase.from('campaigns').select(COLUMNS).eq('id', id).maybeSingle();
      if (error) throw error;
      return data;
    },
  });

export const campaignSummaryOptions = (id: string) =>
  queryOptions({
    queryKey: campaignKeys.summary(id),
    queryFn: async (): Promise<CampaignSummary> => {
      const { data, error } = await supabase.rpc('campaign_summary', { campaign_id: id });
      if (error) throw error;
      return data as unknown as CampaignSummary;
    },
  });

/** Live while the campaign is on its way: asked again every 2 s until it is done, paused or cancelled. */
export const campaignResultsOptions = (id: string) =>
  queryOptions({
    queryKey: campaignKeys.results(id),
    queryFn: async (): Promise<CampaignResults | null> => {
      const { data, error } = await supabase.rpc('campaign_results', { campaign_id: id });
      if (error) throw error;
      return data as unknown as CampaignResults | null;
    },
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'sending' || status === 'scheduled' ? 2000 : false;
    },
  });

/** Recipients whose template variables would still be empty after the campaign's fallbacks. */
export interface EmptyVariableRecipients {
  total: number;
  recipients: Array<{
    customer_id: string;
    name: string;
    email: string | null;
    empty_variables: string[];
    /** Excluded because of the empty variables (the campaign excludes them). */
    excluded: boolean;
  }>;
}

export interface MarketingTemplate {
  id: string;
  name: string;
  key: string;
}

export const marketingTemplatesOptions = () =>
  queryOptions({
    queryKey: campaignKeys.templates,
    queryFn: async (): Promise<MarketingTemplate[]> => {
      const { data, error } = await supabase
        .from('email_templates')
        .select('id, name, key')
        .eq('purpose', 'marketing')
        .order('name');
      if (error) throw error;
      return data;
    },
  });

/** The columns a campaign form writes; `variables` keeps the fallbacks the summary set. */
function campaignRow(input: CampaignInput, variables: Record<string, unknown>) {
  const rest = Object.fromEntries(Object.entries(variables).filter(([name]) => name !== 'offer_code'));
  return {
    name: input.name,
    segment_id: input.segment_id,
    template_id: input.template_id,
    schedule: input.schedule,
    send_at: input.schedule === 'at' ? new Date(input.send_at ?? '').toISOString() : null,
    local_date: input.schedule === 'local_time' ? (input.local_date ?? null) : null,
    local_time: input.schedule === 'local_time' ? (input.local_time ?? null) : null,
    variables: (input.offer_code ? { ...rest, offer_code: input.offer_code } : rest) as Record<string, string>,
    attribution_days: input.attribution_days,
  };
}

export async function createCampaign(input: CampaignInput): Promise<string> {
  const { data, error } = await supabase.from('campaigns').insert(campaignRow(input, {})).select('id').single();
  if (error) throw error;
  return data.id;
}

/** Only a draft changes: the database refuses a started campaign (55000), said in words by the form. */
export async function updateCampaign(
  id: string,
  input: CampaignInput,
  variables: Record<string, unknown>,
): Promise<void> {
  const { error } = await supabase.from('campaigns').update(campaignRow(input, variables)).eq('id', id);
  if (error) throw error;
}

/** The sender's answer to "some variables would be empty": fallbacks, and send anyway or exclude them. */
export async function chooseEmptyVariables(
  id: string,
  choice: { skip: boolean; variables: Record<string, string> },
): Promise<void> {
  const { error } = await supabase
    .from('campaigns')
    .update({ skip_empty_variables: choice.skip, variables: choice.variables })
    .eq('id', id);
  if (error) throw error;
}

/** Raised when the database kept the campaign: only drafts are deleted (RLS), and this one has started. */
export class NotADraftError extends Error {
  constructor() {
    super('only a draft campaign can be deleted');
    this.name = 'NotADraftError';
  }
}

export async function deleteCampaign(id: string): Promise<void> {
  const { data, error } = await supabase.from('campaigns').delete().eq('id', id).select('id');
  if (error) throw error;
  if (data.length === 0) throw new NotADraftError();
}

export type CampaignAction = 'send' | 'pause' | 'resume' | 'cancel';

export async function actOnCampaign(id: string, action: CampaignAction): Promise<void> {
  const { error } =
    action === 'send'
      ? await supabase.rpc('send_campaign', { campaign_id: id })
      : action === 'pause'
        ? await supabase.rpc('pause_campaign', { campaign_id: id })
        : action === 'resume'
          ? await supabase.rpc('resume_campaign', { campaign_id: id })
          : await supabase.rpc('cancel_campaign', { campaign_id: id });
  if (error) throw error;
}
