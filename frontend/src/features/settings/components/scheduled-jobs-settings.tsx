import { Clock } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { JobHealth } from '../api/scheduled-jobs.ts';
import { useJobHealth } from '../hooks/use-scheduled-jobs.ts';

import './settings.css';

/**
 * For admins: every scheduled job (pg_cron) with its last run, status and error, from
 * `public.job_health()` — where a job that calls a function counts as failed when the function
 * answered non-2xx, which pg_cron itself records as succeeded.
 */
export function ScheduledJobsSettings() {
  const { t } = useTranslation('settings');
  const jobs = useJobHealth();

  return (
    <section className="settings-section" aria-labelledby="scheduled-jobs-heading">
      <h2 id="scheduled-jobs-heading">{t('scheduledJobs.heading')}</h2>
      <p className="muted">{t('scheduledJobs.description')}</p>
      {jobs.isError ? (
        <ErrorState description={t('loadFailed')} onRetry={() => void jobs.refetch()} />
      ) : !jobs.data ? (
        <Skeleton lines={3} label={t('scheduledJobs.loading')} />
      ) : jobs.data.length === 0 ? (
        <EmptyState
          icon={Clock}
          headingLevel={3}
          title={t('scheduledJobs.emptyTitle')}
          description={t('scheduledJobs.emptyDescription')}
        />
      ) : (
        <JobTable jobs={jobs.data} />
      )}
    </section>
  );
}

function JobTable({ jobs }: { jobs: JobHealth[] }) {
  const { t } = useTranslation('settings');
  const zoneAndLanguage = useZoneAndLanguage();
  const failed = jobs.filter((job) => job.last_status === 'failed').length;
  return (
    <>
      <p className={failed > 0 ? 'job-summary job-summary-failed' : 'job-summary'}>
        {failed > 0 ? t('scheduledJobs.failedCount', { count: failed }) : t('scheduledJobs.allSucceeded')}
      </p>
      <Table
        className="card-table settings-table"
        caption={t('scheduledJobs.heading')}
        columns={[
          { label: t('scheduledJobs.name') },
          { label: t('scheduledJobs.schedule') },
          { label: t('scheduledJobs.lastRun') },
          { label: t('scheduledJobs.status') },
          { label: t('scheduledJobs.lastError') },
        ]}
      >
        {jobs.map((job) => (
          <tr key={job.job_name}>
            <th scope="row">{job.job_name}</th>
            <td data-label={t('scheduledJobs.schedule')}>
              <code>{job.schedule}</code>
              {job.active ? null : <span className="pill job-paused">{t('scheduledJobs.paused')}</span>}
            </td>
            <td data-label={t('scheduledJobs.lastRun')}>
              {job.last_run_at ? (
                formatDateTime(job.last_run_at, zoneAndLanguage)
              ) : (
                <span className="muted">{t('scheduledJobs.notYet')}</span>
              )}
            </td>
            <td data-label={t('scheduledJobs.status')}>
              <span className={`pill job-status job-status-${job.last_status}`}>
                {t(`scheduledJobs.statuses.${job.last_status}`)}
              </span>
            </td>
            <td data-label={t('scheduledJobs.lastError')} className="job-error">
              {job.last_error ?? <span className="muted">—</span>}
            </td>
          </tr>
        ))}
      </Table>
    </>
  );
}
