/** The one row of lifecycle rules the nightly job moves stages by (admins change it). */
import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';

import type { LifecycleRules } from '../schemas/lifecycle-rules.ts';

export const lifecycleRulesKey = ['lifecycle-rules'] as const;

export async function fetchLifecycleRules(): Promise<LifecycleRules & { updatedAt: string }> {
  const { data, error } = await supabase
    .from('lifecycle_rules')
    .select('enabled, vip_top_percent, at_risk_min_ratio, churned_after_days, updated_at')
    .single();
  if (error) throw error;
  return {
    enabled: data.enabled,
    vipTopPercent: Number(data.vip_top_percent),
    atRiskMinRatio: Number(data.at_risk_min_ratio),
    churnedAfterDays: data.churned_after_days,
    updatedAt: data.updated_at,
  };
}

export const lifecycleRulesOptions = () => queryOptions({ queryKey: lifecycleRulesKey, queryFn: fetchLifecycleRules });

export async function updateLifecycleRules(rules: LifecycleRules): Promise<void> {
  const { data, error } = await supabase
    .from('lifecycle_rules')
    .update({
      enabled: rules.enabled,
      vip_top_percent: rules.vipTopPercent,
      at_risk_min_ratio: rules.atRiskMinRatio,
      churned_after_days: rules.churnedAfterDays,
    })
    .eq('id', true)
    .select('id');
  if (error) throw error;
  if (data.length === 0) throw new Error('not allowed');
}
