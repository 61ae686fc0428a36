import { QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { createQueryClient } from '@/lib/query-client.ts';
import { usePreferencesStore } from '@/stores/preferences-store.ts';

import { fetchJobHealth, type JobHealth } from '../api/scheduled-jobs.ts';
import { ScheduledJobsSettings } from './scheduled-jobs-settings.tsx';

// The options factory calls its own module's fetcher: both are swapped (src/testing/mock-query.ts).
vi.mock(import('../api/scheduled-jobs.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  const fetchJobHealth = vi.fn();
  return { ...actual, fetchJobHealth, jobHealthOptions: withRequest(actual.jobHealthOptions, fetchJobHealth) };
});

const job = (fields: Partial<JobHealth>): JobHealth => ({
  job_name: 'check-alerts',
  schedule: '*/5 * * * *',
  active: true,
  last_run_at: '2026-12-07T09:05:00Z',
  last_status: 'succeeded',
  last_error: null,
  ...fields,
});

function renderPanel() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <ScheduledJobsSettings />
    </QueryClientProvider>,
  );
}

describe('ScheduledJobsSettings', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    usePreferencesStore.setState({ timeZone: 'Europe/Madrid', language: 'en' });
  });

  it('lists each job with its schedule, last run, status and error; a failed call stands out', async () => {
    vi.mocked(fetchJobHealth).mockResolvedValue([
      job({ last_status: 'failed', last_error: 'HTTP 401: {"error":{"code":"invalid_token"}}' }),
      job({
        job_name: 'purge-shopify-webhook-deliveries',
        schedule: '17 3 * * *',
        last_run_at: null,
        last_status: 'never_run',
      }),
      job({ job_name: 'retry-failed-shopify-webhooks', schedule: '* * * * *', active: false }),
    ]);
    renderPanel();
    const table = await screen.findByRole('table', { name: 'Scheduled jobs' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);

    const failed = within(rows[0]);
    expect(failed.getByRole('rowheader')).toHaveTextContent('check-alerts');
    expect(failed.getByText('*/5 * * * *')).toBeInTheDocument();
    // In the member's zone (Madrid, UTC+1).
    expect(failed.getByText('Dec 7, 2026 10:05 AM')).toBeInTheDocument();
    expect(failed.getByText('Failed')).toBeInTheDocument();
    expect(failed.getByText('HTTP 401: {"error":{"code":"invalid_token"}}')).toBeInTheDocument();

    expect(within(rows[1]).getByText('Never run')).toBeInTheDocument();
    expect(within(rows[1]).getByText('Not yet')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Succeeded')).toBeInTheDocument();
    expect(within(rows[2]).getByText('Paused')).toBeInTheDocument();
    expect(screen.getByText('1 job failed on its last run')).toBeInTheDocument();
  });

  it('says so when nothing is scheduled', async () => {
    vi.mocked(fetchJobHealth).mockResolvedValue([]);
    renderPanel();
    expect(await screen.findByRole('heading', { name: 'No scheduled jobs' })).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('shows a load failure with a retry that works', async () => {
    vi.mocked(fetchJobHealth).mockRejectedValue(new Error('offline'));
    const user = userEvent.setup();
    renderPanel();
    // After the query client's one retry.
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent('This could not be loaded');
    vi.mocked(fetchJobHealth).mockResolvedValue([job({})]);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: 'Scheduled jobs' })).toBeInTheDocument();
    expect(screen.getByText('All jobs succeeded on their last run')).toBeInTheDocument();
  });
});
