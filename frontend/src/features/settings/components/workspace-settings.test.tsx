import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { useToastStore } from '@/stores/toast-store.ts';
import { renderWithToasts } from '@/testing/render.tsx';

import { updateWorkspaceSettings } from '../api/workspace.ts';
import { WorkspaceSettings } from './workspace-settings.tsx';

// The shared queries' options factories, with their requests swapped (src/testing/mock-query.ts).
const { fetchWorkspaceSettings, fetchCurrencies, fetchLanguages } = vi.hoisted(() => ({
  fetchWorkspaceSettings: vi.fn(),
  fetchCurrencies: vi.fn(),
  fetchLanguages: vi.fn(),
}));
vi.mock(import('@/api/workspace.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return { ...actual, workspaceSettingsOptions: withRequest(actual.workspaceSettingsOptions, fetchWorkspaceSettings) };
});
vi.mock(import('@/api/reference.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return {
    ...actual,
    currenciesOptions: withRequest(actual.currenciesOptions, fetchCurrencies),
    languagesOptions: withRequest(actual.languagesOptions, fetchLanguages),
  };
});
vi.mock(import('../api/workspace.ts'), async (original) => ({
  ...(await original()),
  updateWorkspaceSettings: vi.fn(),
}));

describe('WorkspaceSettings', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    useToastStore.setState({ toasts: [] });
    usePreferencesStore.setState({ timeZone: 'Europe/Madrid', language: 'en' });
    fetchWorkspaceSettings.mockResolvedValue({
      base_currency: 'EUR',
      default_language: 'en',
      require_mfa: false,
      updated_at: '2026-11-20T15:30:00Z',
    });
    fetchCurrencies.mockResolvedValue([
      { code: 'EUR', name: 'Euro' },
      { code: 'USD', name: 'US Dollar' },
    ]);
    fetchLanguages.mockResolvedValue([
      { code: 'en', name: 'English' },
      { code: 'es', name: 'Spanish' },
    ]);
  });

  it('warns what a new base currency means, then saves it', async () => {
    vi.mocked(updateWorkspaceSettings).mockResolvedValue({
      base_currency: 'USD',
      default_language: 'es',
      require_mfa: false,
      postal_address: '1 Harbour Road, Leith',
      updated_at: '2026-11-21T08:00:00Z',
    });
    const { user } = renderWithToasts(<WorkspaceSettings />);
    const currency = await screen.findByRole('combobox', { name: 'Base currency' });
    expect(currency).toHaveValue('EUR');
    // In the member's zone (Madrid, UTC+1).
    expect(screen.getByText('Last changed Nov 20, 2026 4:30 PM')).toBeInTheDocument();
    const save = screen.getByRole('button', { name: 'Save changes' });
    expect(save).toBeDisabled();
    await user.selectOptions(currency, 'USD — US Dollar');
    expect(screen.getByRole('note')).toHaveTextContent('Orders keep the amounts already converted to EUR');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Default language' }), 'Spanish');
    await user.type(
      screen.getByRole('textbox', { name: 'Postal address (printed in marketing email)' }),
      '1 Harbour Road, Leith',
    );
    await user.click(save);
    expect(updateWorkspaceSettings).toHaveBeenCalledWith({
      baseCurrency: 'USD',
      defaultLanguage: 'es',
      requireMfa: false,
      postalAddress: '1 Harbour Road, Leith',
    });
    expect(await screen.findByText('Workspace settings saved')).toBeInTheDocument();
  });

  it('requires two-step verification for everyone, and says to enrol first when the session has not', async () => {
    vi.mocked(updateWorkspaceSettings)
      .mockRejectedValueOnce(Object.assign(new Error('refused'), { code: '42501', details: 'aal2_required' }))
      .mockResolvedValueOnce({
        base_currency: 'EUR',
        default_language: 'en',
        require_mfa: true,
        postal_address: null,
        updated_at: '2026-11-21T08:00:00Z',
      });
    const { user } = renderWithToasts(<WorkspaceSettings />);
    const required = await screen.findByRole('checkbox', { name: 'Require two-step verification for everyone' });
    expect(required).not.toBeChecked();
    expect(required).toHaveAccessibleDescription(/asked to set one up before they can use Cairn/);
    await user.click(required);
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(updateWorkspaceSettings).toHaveBeenCalledWith({
      baseCurrency: 'EUR',
      defaultLanguage: 'en',
      requireMfa: true,
      postalAddress: '',
    });
    expect(
      await screen.findByText(
        'Set up two-step verification for yourself and sign in with it before requiring it for the team.',
      ),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Workspace settings saved')).toBeInTheDocument();
  });
});
