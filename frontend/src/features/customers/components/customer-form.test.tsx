import { screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { createCustomer, updateCustomer, type CustomerRecord } from '../api/customers.ts';

import { CustomerForm } from './customer-form.tsx';
import { ADA, ALBA, reference, renderWithCustomers } from './test-fixtures.tsx';

vi.mock(import('../api/customers.ts'), async (original) => ({
  ...(await original()),
  createCustomer: vi.fn(),
  updateCustomer: vi.fn(),
}));

const record: CustomerRecord = {
  id: '6f1c3a52-8d0e-4d7b-9a51-2c5f0e9b1d44',
  first_name: 'Leon',
  last_name: 'Fischer',
  email: 'leon@example.com',
  phone: '+49301234567',
  company: null,
  country: 'DE',
  region: null,
  city: 'Berlin',
  postal_code: null,
  timezone: 'Europe/Berlin',
  language: 'de',
  currency: 'EUR',
  status: 'vip',
  lifecycle_stage: 'vip',
  owner_id: ALBA,
  custom_fields: { loyalty_tier: 'gold' },
};

beforeEach(() => {
  vi.mocked(createCustomer).mockReset();
  vi.mocked(updateCustomer).mockReset();
});

function renderForm(options: { record?: CustomerRecord | null; role?: 'admin' | 'agent'; userId?: string } = {}) {
  const onSaved = vi.fn();
  const utils = renderWithCustomers(
    <CustomerForm record={options.record ?? null} reference={reference} onSaved={onSaved} onCancel={vi.fn()} />,
    { role: options.role ?? 'admin', userId: options.userId ?? ADA },
  );
  return { ...utils, onSaved };
}

describe('CustomerForm', () => {
  it('asks for at least a name or a way to reach the customer before sending anything', async () => {
    const { user } = renderForm();
    await user.click(screen.getByRole('button', { name: 'Add customer' }));
    expect(await screen.findByRole('textbox', { name: 'First name' })).toHaveAccessibleDescription(
      'Give at least a name, an email, a phone number or a company.',
    );
    await user.type(screen.getByRole('textbox', { name: 'Phone' }), '030 123');
    await user.click(screen.getByRole('button', { name: 'Add customer' }));
    expect(await screen.findByRole('textbox', { name: 'Phone' })).toHaveAccessibleDescription(
      'Enter the number with its country code, such as +49 30 1234567.',
    );
    expect(createCustomer).not.toHaveBeenCalled();
  });

  it('creates a customer with typed custom fields and pickers from the reference tables', async () => {
    vi.mocked(createCustomer).mockResolvedValue(record);
    const { user, onSaved } = renderForm();
    await user.type(screen.getByRole('textbox', { name: 'First name' }), 'Leon');
    await user.type(screen.getByRole('textbox', { name: 'Email' }), 'leon@example.com');
    await user.type(screen.getByRole('textbox', { name: 'Phone' }), '+49 30 1234567');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Country' }), 'DE');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Currency' }), 'EUR');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Time zone' }), 'Europe/Berlin');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Loyalty tier' }), 'gold');
    await user.click(screen.getByRole('button', { name: 'Add customer' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith(record));
    expect(createCustomer).toHaveBeenCalledWith(
      expect.objectContaining({
        first_name: 'Leon',
        last_name: null,
        email: 'leon@example.com',
        phone: '+49301234567',
        country: 'DE',
        currency: 'EUR',
        timezone: 'Europe/Berlin',
        owner_id: ADA,
        custom_fields: { loyalty_tier: 'gold', birthday: null },
      }),
    );
  });

  it('shows the database refusing a custom field value next to that field, in words', async () => {
    vi.mocked(updateCustomer).mockRejectedValue({
      code: '23514',
      message: 'custom field "birthday" must be a date (YYYY-MM-DD)',
    });
    const { user } = renderForm({ record });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    const birthday = await screen.findByLabelText('Birthday');
    await waitFor(() => expect(birthday).toHaveAccessibleDescription('For the birthday email Enter a real date.'));
    expect(screen.queryByText(/YYYY-MM-DD/)).not.toBeInTheDocument();
  });

  it('shows a duplicate email at the email field and a refused write for the whole form', async () => {
    vi.mocked(updateCustomer)
      .mockRejectedValueOnce({
        code: '23505',
        message: 'a customer with this email address already exists',
        hint: 'Ask a manager to find that customer or to share it with you.',
      })
      .mockRejectedValueOnce({
        code: '42501',
        message: 'new row violates row-level security policy for table "customers"',
      });
    const { user } = renderForm({ record });
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('textbox', { name: 'Email' })).toHaveAccessibleDescription(
      'A customer with this email address already exists. Ask a manager to find it or share it with you.',
    );
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('You are not allowed to make this change.');
  });

  it('does not let an agent hand a customer to someone else', async () => {
    renderForm({ record, role: 'agent', userId: ALBA });
    expect(screen.queryByRole('combobox', { name: 'Owner' })).not.toBeInTheDocument();
    expect(screen.getByText(/Owner: Alba Agent/)).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Edit customer' });
    expect(within(form).getByRole('combobox', { name: 'Loyalty tier' })).toHaveValue('gold');
  });
});
