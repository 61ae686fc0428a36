import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { usePreferencesStore } from '@/stores/preferences-store.ts';
import { useToastStore } from '@/stores/toast-store.ts';
import { renderWithToasts } from '@/testing/render.tsx';

import { createTag, deleteTag, updateTag, type TagWithUsage } from '../api/tags.ts';
import { TagsSettings, type TagsSettingsProps } from './tags-settings.tsx';

// The usage list's options factory calls its own module's fetcher: it is swapped with the
// request (src/testing/mock-query.ts).
const fetchTagUsage = vi.hoisted(() => vi.fn());
vi.mock(import('../api/tags.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return {
    ...actual,
    fetchTagUsage,
    tagUsageOptions: withRequest(actual.tagUsageOptions, fetchTagUsage),
    createTag: vi.fn(),
    updateTag: vi.fn(),
    deleteTag: vi.fn(),
  };
});
const fetchMock = vi.mocked(fetchTagUsage);
const createMock = vi.mocked(createTag);
const updateMock = vi.mocked(updateTag);
const deleteMock = vi.mocked(deleteTag);

const vip: TagWithUsage = {
  id: 't1',
  name: 'VIP',
  colour: '#be185d',
  description: 'Top spenders',
  customer_count: 1234,
};
const wholesale: TagWithUsage = {
  id: 't2',
  name: 'Wholesale',
  colour: '#1d4ed8',
  description: null,
  customer_count: 1,
};

function renderTags(props: TagsSettingsProps = { canEdit: true, canCreate: true }) {
  const { user } = renderWithToasts(<TagsSettings {...props} />);
  return user;
}

describe('TagsSettings', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    useToastStore.setState({ toasts: [] });
    usePreferencesStore.setState({ timeZone: 'UTC', language: 'en' });
    fetchMock.mockResolvedValue([vip, wholesale]);
  });

  it('shows a placeholder while loading, then every tag with its usage in the member’s number format', async () => {
    usePreferencesStore.setState({ timeZone: 'UTC', language: 'de' });
    renderTags();
    expect(screen.getByRole('status', { name: 'Loading tags…' })).toBeInTheDocument();
    const row = await screen.findByRole('row', { name: /VIP/ });
    expect(within(row).getByRole('cell', { name: '1.234' })).toBeInTheDocument();
    expect(within(row).getByText('Top spenders')).toBeInTheDocument();
  });

  it('offers no changes to a read-only member', async () => {
    renderTags({ canEdit: false, canCreate: false });
    await screen.findByRole('row', { name: /VIP/ });
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
    expect(screen.getByText(/Only admins and managers can rename/)).toBeInTheDocument();
  });

  it('lets an agent add a tag but not edit the shared ones', async () => {
    renderTags({ canEdit: false, canCreate: true });
    await screen.findByRole('row', { name: /VIP/ });
    expect(screen.getByRole('button', { name: 'New tag' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Edit tag/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Delete tag/ })).not.toBeInTheDocument();
  });

  it('creates a tag, and shows a duplicate name on the name field', async () => {
    createMock.mockRejectedValueOnce({ code: '23505' }).mockResolvedValueOnce();
    const user = renderTags();
    await user.click(await screen.findByRole('button', { name: 'New tag' }));
    const form = screen.getByRole('form', { name: 'New tag' });
    expect(within(form).getByRole('textbox', { name: 'Name' })).toHaveFocus();
    await user.click(within(form).getByRole('button', { name: 'Create tag' }));
    expect(within(form).getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription('Enter a name');
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), ' vip ');
    await user.click(within(form).getByRole('button', { name: 'Use colour #1d4ed8' }));
    expect(within(form).getByRole('button', { name: 'Use colour #1d4ed8' })).toHaveAttribute('aria-pressed', 'true');
    await user.click(within(form).getByRole('button', { name: 'Create tag' }));
    expect(createMock).toHaveBeenLastCalledWith({ name: 'vip', colour: '#1d4ed8', description: '' });
    expect(within(form).getByRole('textbox', { name: 'Name' })).toHaveAccessibleDescription(
      'A tag with this name already exists (names ignore upper and lower case).',
    );
    await user.clear(within(form).getByRole('textbox', { name: 'Name' }));
    await user.type(within(form).getByRole('textbox', { name: 'Name' }), 'Influencer{Enter}');
    expect(await screen.findByText('Tag “Influencer” created')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('renames a tag from a form filled with its current values', async () => {
    updateMock.mockResolvedValue();
    const user = renderTags();
    await user.click(await screen.findByRole('button', { name: 'Edit tag VIP' }));
    const form = screen.getByRole('form', { name: 'Edit tag' });
    const name = within(form).getByRole('textbox', { name: 'Name' });
    expect(name).toHaveValue('VIP');
    await user.clear(name);
    await user.type(name, 'VIP gold');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(updateMock).toHaveBeenCalledWith('t1', { name: 'VIP gold', colour: '#be185d', description: 'Top spenders' });
  });

  it('says how many customers carry a tag before deleting it', async () => {
    deleteMock.mockResolvedValue();
    const user = renderTags();
    await user.click(await screen.findByRole('button', { name: 'Delete tag VIP' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete the tag “VIP”?' });
    expect(dialog).toHaveAccessibleDescription(
      'It is on 1,234 customers, who will all lose it. This cannot be undone.',
    );
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Delete tag' }));
    expect(deleteMock).toHaveBeenCalledWith('t1');
    expect(await screen.findByText('Tag “VIP” deleted')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Delete tag Wholesale' }));
    expect(screen.getByRole('dialog', { name: 'Delete the tag “Wholesale”?' })).toHaveAccessibleDescription(
      'It is on 1 customer, who will lose it. This cannot be undone.',
    );
  });

  it('invites to create the first tag when there are none', async () => {
    fetchMock.mockResolvedValue([]);
    renderTags();
    const empty = await screen.findByRole('region', { name: 'No tags yet' });
    expect(within(empty).getByRole('button', { name: 'New tag' })).toBeInTheDocument();
  });

  it('explains a failed load and retries', async () => {
    fetchMock.mockRejectedValue(new Error('offline'));
    const user = renderTags();
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert).toHaveTextContent('This could not be loaded');
    fetchMock.mockResolvedValue([vip]);
    await user.click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('row', { name: /VIP/ })).toBeInTheDocument();
  });
});
