import { queryOptions } from '@tanstack/react-query';

import { supabase } from '@/lib/supabase.ts';

export type JobStatus = 'succeeded' | 'failed' | 'running' | 'waiting' | 'unknown' | 'never_run';

/** One row of `public.job_health()` (admins only): a pg_cron job and how its last run went. */
export interface JobHealth {
  job_name: string;
  schedule: string;
  active: boolean;
  last_run_at: string | null;
  last_status: JobStatus;
  /** The run's error, or the HTTP answer of the function it called when that was not 2xx. */
  last_error: string | null;
}

export const scheduledJobKeys = {
  health: ['scheduled-jobs', 'health'] as const,
};

export async function fetchJobHealth(): Promise<JobHealth[]> {
  const { data, error } = await supabase.rpc('job_health');
  if (error) throw error;
  // Generated types cannot tell which columns may be null; the function's comment says.
  return data as JobHealth[];
}

/** The health of every scheduled job (read when the page opens; the cache keeps it a minute). */
export const jobHealthOptions = () => queryOptions({ queryKey: scheduledJobKeys.health, queryFn: fetchJobHealth });
