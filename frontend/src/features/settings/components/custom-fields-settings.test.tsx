import { screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { useToastStore } from '@/stores/toast-store.ts';

import type { CustomFieldDefinition } from '@/api/custom-fields.ts';
import { renderWithToasts } from '@/testing/render.tsx';

import { createCustomField, deleteCustomField, updateCustomField } from '../api/custom-fields.ts';
import { CustomFieldsSettings } from './custom-fields-settings.tsx';

// The shared list's options factory, with its request swapped (src/testing/mock-query.ts).
const fetchCustomFields = vi.hoisted(() => vi.fn());
vi.mock(import('@/api/custom-fields.ts'), async (original) => {
  const actual = await original();
  const { withRequest } = await import('@/testing/mock-query.ts');
  return { ...actual, customFieldsOptions: withRequest(actual.customFieldsOptions, fetchCustomFields) };
});
vi.mock(import('../api/custom-fields.ts'), async (original) => ({
  ...(await original()),
  createCustomField: vi.fn(),
  updateCustomField: vi.fn(),
  deleteCustomField: vi.fn(),
}));
const fetchMock = fetchCustomFields;
const createMock = vi.mocked(createCustomField);
const updateMock = vi.mocked(updateCustomField);
const deleteMock = vi.mocked(deleteCustomField);

const tier: CustomFieldDefinition = {
  id: 'f1',
  key: 'loyalty_tier',
  label: 'Loyalty tier',
  type: 'select',
  options: ['bronze', 'silver', 'gold'],
  required: true,
  position: 10,
  active: true,
  help_text: null,
};

function renderFields() {
  const { user } = renderWithToasts(<CustomFieldsSettings />);
  return user;
}

describe('CustomFieldsSettings', () => {
  beforeEach(() => {
    vi.resetAllMocks();
    useToastStore.setState({ toasts: [] });
    fetchMock.mockResolvedValue([tier]);
  });

  it('lists the definitions with key, type, options and rules', async () => {
    renderFields();
    const row = await screen.findByRole('row', { name: /Loyalty tier/ });
    expect(within(row).getByText('loyalty_tier')).toBeInTheDocument();
    expect(within(row).getByText('Choice (one)')).toBeInTheDocument();
    expect(within(row).getByText('bronze, silver, gold')).toBeInTheDocument();
    expect(within(row).getByText('Required')).toBeInTheDocument();
  });

  it('starts from an empty state with a way to add the first field', async () => {
    fetchMock.mockResolvedValue([]);
    renderFields();
    const empty = await screen.findByRole('region', { name: 'No custom fields yet' });
    expect(within(empty).getByRole('button', { name: 'New field' })).toBeInTheDocument();
  });

  it('creates a choice field: the key follows the label, options are required and unique', async () => {
    createMock.mockResolvedValue();
    const user = renderFields();
    await user.click(await screen.findByRole('button', { name: 'New field' }));
    const form = screen.getByRole('form', { name: 'New custom field' });
    expect(within(form).getByRole('textbox', { name: 'Label' })).toHaveFocus();
    await user.type(within(form).getByRole('textbox', { name: 'Label' }), 'VIP since (année)');
    expect(within(form).getByRole('textbox', { name: 'Key' })).toHaveValue('vip_since_annee');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Type' }), 'Choice (several)');
    const options = within(form).getByRole('textbox', { name: 'Options' });
    await user.click(within(form).getByRole('button', { name: 'Create field' }));
    expect(options).toHaveAccessibleDescription('Give at least one option');
    await user.type(options, 'Email{Enter}SMS{Enter}Email');
    await user.click(within(form).getByRole('button', { name: 'Create field' }));
    expect(options).toHaveAccessibleDescription('Each option may appear only once');
    await user.clear(options);
    await user.type(options, ' Email {Enter}{Enter}SMS');
    await user.click(within(form).getByRole('checkbox', { name: 'Required' }));
    await user.click(within(form).getByRole('button', { name: 'Create field' }));
    expect(createMock).toHaveBeenCalledWith({
      key: 'vip_since_annee',
      label: 'VIP since (année)',
      type: 'multiselect',
      options: ['Email', 'SMS'],
      required: true,
      active: true,
      position: 20,
      helpText: '',
    });
    expect(await screen.findByText('Field “VIP since (année)” created')).toBeInTheDocument();
  });

  it('keeps the key fixed when editing, and explains a change the database refuses', async () => {
    updateMock.mockRejectedValue({ code: '23503' });
    const user = renderFields();
    await user.click(await screen.findByRole('button', { name: 'Edit field Loyalty tier' }));
    const form = screen.getByRole('form', { name: 'Edit custom field' });
    expect(within(form).getByRole('textbox', { name: 'Key' })).toHaveAttribute('readonly');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Type' }), 'Text');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'Customers already have values for this field, so its type cannot change',
    );
    expect(updateMock).toHaveBeenCalledWith('f1', expect.objectContaining({ type: 'text', options: [] }));
  });

  it('archives instead of deleting a field in use, as the refusal explains', async () => {
    deleteMock.mockRejectedValue({ code: '23503' });
    const user = renderFields();
    await user.click(await screen.findByRole('button', { name: 'Delete field Loyalty tier' }));
    const dialog = screen.getByRole('dialog', { name: 'Delete the field “Loyalty tier”?' });
    await user.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText(/so it cannot be deleted\. Edit it and untick Active/)).toBeInTheDocument();
  });
});
