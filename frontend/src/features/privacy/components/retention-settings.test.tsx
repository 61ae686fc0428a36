import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { useToastStore } from '@/stores/toast-store.ts';
import { renderWithToasts } from '@/testing/render.tsx';

import { RetentionNotAllowedError, updateRetentionSettings } from '../api/retention.ts';
import { RetentionSettings } from './retention-settings.tsx';

const { fetchRetentionSettings, fetchRetentionOverview } = vi.hoisted(() => ({
  fetchRetentionSettings: vi.fn(),
  fetchRetentionOverview: vi.fn(),
}));
vi.mock(import('../api/retention.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return {
    ...actual,
    retentionSettingsOptions: withRequest(actual.retentionSettingsOptions, fetchRetentionSettings),
    retentionOverviewOptions: withRequest(actual.retentionOverviewOptions, fetchRetentionOverview),
    updateRetentionSettings: vi.fn(),
  };
});

const SETTINGS = {
  alert_log_retention_days: 365,
  email_event_retention_days: 365,
  notification_retention_days: 90,
  webhook_payload_retention_days: 30,
  audit_log_retention_days: 730,
  export_log_retention_days: 730,
  privacy_request_retention_days: 1095,
  erasure_waits_for_open_orders: false,
};

describe('RetentionSettings', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    useToastStore.setState({ toasts: [] });
    usePreferencesStore.setState({ timeZone: 'UTC', language: 'en' });
    fetchRetentionSettings.mockResolvedValue(SETTINGS);
    fetchRetentionOverview.mockResolvedValue([
      {
        kind: 'audit_log',
        days: 730,
        cutoff: '2024-12-07T03:17:00Z',
        waiting: 0,
        last_run_at: '2026-12-07T03:17:00Z',
        last_removed: 1200,
        last_complete: true,
      },
      {
        kind: 'alert_log',
        days: 365,
        cutoff: '2025-12-07T03:17:00Z',
        waiting: 4,
        last_run_at: null,
        last_removed: null,
        last_complete: null,
      },
    ]);
  });

  it('keeps periods within their bounds, then saves them with the erasure rule', async () => {
    vi.mocked(updateRetentionSettings).mockResolvedValue();
    const { user } = renderWithToasts(<RetentionSettings />);
    const audit = await screen.findByRole('spinbutton', { name: 'Audit log (days)' });
    expect(audit).toHaveValue(730);
    expect(await screen.findByRole('cell', { name: 'Dec 7, 2026 3:17 AM: 1,200 removed' })).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: 'Not run yet' })).toBeInTheDocument();

    await user.clear(audit);
    await user.type(audit, '30');
    await user.click(screen.getByRole('button', { name: 'Save retention settings' }));
    expect(await screen.findByText('Enter between 365 and 3650 days.')).toBeInTheDocument();
    expect(updateRetentionSettings).not.toHaveBeenCalled();

    await user.clear(audit);
    await user.type(audit, '1000');
    await user.click(screen.getByRole('checkbox', { name: 'Erasure waits for open orders' }));
    await user.click(screen.getByRole('button', { name: 'Save retention settings' }));
    expect(await screen.findByText('Retention settings saved.')).toBeInTheDocument();
    expect(vi.mocked(updateRetentionSettings).mock.calls[0][0]).toEqual({
      ...SETTINGS,
      audit_log_retention_days: 1000,
      erasure_waits_for_open_orders: true,
    });
  });

  it('says so when the database changed nothing (not an admin)', async () => {
    vi.mocked(updateRetentionSettings).mockRejectedValue(new RetentionNotAllowedError());
    const { user } = renderWithToasts(<RetentionSettings />);
    await user.click(await screen.findByRole('checkbox', { name: 'Erasure waits for open orders' }));
    await user.click(screen.getByRole('button', { name: 'Save retention settings' }));
    expect(await screen.findByText('Only admins change retention settings.')).toBeInTheDocument();
  });
});
