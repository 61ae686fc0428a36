import { screen, waitFor } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { renderWithProviders, testViewer } from '@/testing/render.tsx';
import { useToastStore } from '@/stores/toast-store.ts';

import { setDigestHour } from '../api/notifications.ts';
import { DigestHourSetting } from './digest-hour-setting.tsx';

// The api module is swapped so this test needs no server; the rules (own row only, 0–23, the
// digest at that hour once a day) are the database's: supabase/tests/database/notification-centre.test.ts.
const fetchDigestHour = vi.hoisted(() => vi.fn());
vi.mock(import('../api/notifications.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return {
    ...actual,
    setDigestHour: vi.fn(),
    digestHourOptions: withRequest(actual.digestHourOptions, fetchDigestHour),
  };
});
const setMock = vi.mocked(setDigestHour);

describe('DigestHourSetting', () => {
  beforeEach(() => {
    fetchDigestHour.mockReset();
    setMock.mockReset();
    useToastStore.setState({ toasts: [] });
  });

  it("shows the member's hour in their zone and saves the one they pick", async () => {
    fetchDigestHour.mockResolvedValue(8);
    setMock.mockResolvedValue();
    const { user } = renderWithProviders(<DigestHourSetting />, {
      viewer: testViewer({ userId: 'u-me', timeZone: 'Asia/Kolkata', language: 'en' }),
    });
    const select = screen.getByRole('combobox', { name: 'Daily email digest at (Asia/Kolkata time)' });
    await waitFor(() => expect(select).toHaveValue('8'));
    expect(screen.getAllByRole('option')).toHaveLength(24);
    expect(screen.getByRole('option', { name: '6:00 PM' })).toHaveValue('18');

    await user.selectOptions(select, '18');
    await waitFor(() => expect(setMock).toHaveBeenCalledWith('u-me', 18));
    await waitFor(() =>
      expect(useToastStore.getState().toasts.map((toast) => toast.message)).toContain('Digest hour saved.'),
    );
  });

  it('says so when the hour could not be saved', async () => {
    fetchDigestHour.mockResolvedValue(8);
    setMock.mockRejectedValue(new Error('not allowed'));
    const { user } = renderWithProviders(<DigestHourSetting />, { viewer: testViewer({ userId: 'u-me' }) });
    const select = screen.getByRole('combobox', { name: /Daily email digest at/ });
    await waitFor(() => expect(select).toHaveValue('8'));
    await user.selectOptions(select, '7');
    await waitFor(() =>
      expect(useToastStore.getState().toasts.map((toast) => toast.message)).toContain(
        'The digest hour could not be saved.',
      ),
    );
  });
});
