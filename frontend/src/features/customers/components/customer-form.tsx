import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo, useState } from 'react';
import { useForm, type FieldPath } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { SelectField, type SelectOption } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { timeZoneOptions } from '@/lib/time-zone-options.ts';
import { useViewer } from '@/lib/viewer.ts';

import type { CustomerRecord } from '../api/customers.ts';
import type { ReferenceData } from '../hooks/use-reference-data.ts';
import { useSaveCustomer } from '../hooks/use-customer-mutations.ts';
import { useDisplay } from '../hooks/use-display.ts';
import { customerSchema, formValuesOf, toCustomerWrite, type CustomerFormValues } from '../schemas/customer.ts';
import { problemsOf } from '../utils/customer-errors.ts';
import { CUSTOMER_STATUSES } from '../utils/list-params.ts';
import { abilitiesOf } from '../utils/abilities.ts';

import { CustomFieldInput } from './custom-field-input.tsx';

export interface CustomerFormProps {
  /** The customer being edited, or null to add one. */
  record: CustomerRecord | null;
  reference: ReferenceData;
  onSaved: (record: CustomerRecord) => void;
  onCancel: () => void;
}

/** Add or edit a customer: profile, classification, owner and the team's custom fields. */
export function CustomerForm({ record, reference, onSaved, onCancel }: CustomerFormProps) {
  const { t, i18n } = useTranslation('customers');
  const viewer = useViewer();
  const can = abilitiesOf(viewer.role);
  const show = useDisplay();
  const save = useSaveCustomer();
  const [formError, setFormError] = useState<string | null>(null);
  const definitions = reference.customFields;
  const {
    register,
    handleSubmit,
    control,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<CustomerFormValues>({
    resolver: zodResolver(customerSchema),
    defaultValues: formValuesOf(record, definitions, { ownerId: viewer.userId }),
  });

  const none: SelectOption = { value: '', label: t('form.notSet') };
  const options = useMemo(() => {
    const languageNames = new Intl.DisplayNames([i18n.language], { type: 'language' });
    const byLabel = (a: SelectOption, b: SelectOption) => a.label.localeCompare(b.label);
    return {
      countries: reference.countries
        .map((country) => ({ value: country.code, label: show.country(country.code, country.name) }))
        .sort(byLabel),
      languages: reference.languages
        .map((language) => ({ value: language.code, label: languageNames.of(language.code) ?? language.name }))
        .sort(byLabel),
      currencies: reference.currencies.map((currency) => ({
        value: currency.code,
        label: `${currency.code} · ${currency.name}`,
      })),
      zones: timeZoneOptions(record?.timezone ?? 'UTC'),
      owners: reference.team
        .filter((member) => member.active || member.user_id === record?.owner_id)
        .map((member) => ({ value: member.user_id, label: member.full_name })),
    };
  }, [reference, show, record, i18n.language]);

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const parsed = customerSchema.parse(values);
      const saved = await save.mutateAsync({ id: record?.id ?? null, values: toCustomerWrite(parsed, definitions) });
      onSaved(saved);
    } catch (error) {
      for (const problem of problemsOf(error)) {
        if (problem.field)
          setError(problem.field as FieldPath<CustomerFormValues>, { message: problem.message }, { shouldFocus: true });
        else setFormError(problem.message);
      }
    }
  });

  const message = (key?: string) => (key ? t(key) : undefined);
  const ownerName = reference.team.find((member) => member.user_id === (record?.owner_id ?? viewer.userId))?.full_name;

  return (
    <form
      className="customer-form"
      noValidate
      onSubmit={onSubmit}
      aria-label={record ? t('form.editTitle') : t('form.createTitle')}
    >
      {formError ? (
        <p className="form-error full-width" role="alert">
          {t(formError)}
        </p>
      ) : null}
      <TextField
        label={t('form.firstName')}
        autoComplete="off"
        error={message(errors.firstName?.message)}
        {...register('firstName')}
      />
      <TextField
        label={t('form.lastName')}
        autoComplete="off"
        error={message(errors.lastName?.message)}
        {...register('lastName')}
      />
      <TextField
        label={t('form.email')}
        type="email"
        autoComplete="off"
        error={message(errors.email?.message)}
        {...register('email')}
      />
      <TextField
        label={t('form.phone')}
        type="tel"
        placeholder="+49 30 1234567"
        error={message(errors.phone?.message)}
        {...register('phone')}
      />
      <TextField
        label={t('form.company')}
        className="full-width"
        error={message(errors.company?.message)}
        {...register('company')}
      />
      <SelectField label={t('form.country')} options={[none, ...options.countries]} {...register('country')} />
      <TextField label={t('form.region')} error={message(errors.region?.message)} {...register('region')} />
      <TextField label={t('form.city')} error={message(errors.city?.message)} {...register('city')} />
      <TextField label={t('form.postalCode')} error={message(errors.postalCode?.message)} {...register('postalCode')} />
      <SelectField label={t('form.language')} options={[none, ...options.languages]} {...register('language')} />
      <SelectField label={t('form.currency')} options={[none, ...options.currencies]} {...register('currency')} />
      <SelectField
        label={t('form.timeZone')}
        className="full-width"
        options={[none, ...options.zones]}
        error={message(errors.timezone?.message)}
        {...register('timezone')}
      />
      <SelectField
        label={t('form.status')}
        options={CUSTOMER_STATUSES.map((status) => ({ value: status, label: t(`status.${status}`) }))}
        {...register('status')}
      />
      <SelectField
        label={t('form.stage')}
        options={reference.stages.map((stage) => ({ value: stage.key, label: show.stage(stage.key, stage.label) }))}
        {...register('stage')}
      />
      {can.chooseOwner ? (
        <SelectField
          label={t('form.owner')}
          className="full-width"
          options={[{ value: '', label: t('filters.unassigned') }, ...options.owners]}
          {...register('ownerId')}
        />
      ) : (
        <p className="field-hint full-width">{t('form.ownerFixed', { name: ownerName ?? '' })}</p>
      )}
      {definitions.length > 0 ? (
        <fieldset>
          <legend>{t('form.customFields')}</legend>
          {definitions.map((definition) => (
            <CustomFieldInput
              key={definition.key}
              definition={definition}
              control={control}
              error={message(errors.customFields?.[definition.key]?.message)}
            />
          ))}
        </fieldset>
      ) : null}
      <div className="form-actions full-width">
        <Button variant="secondary" onClick={onCancel}>
          {t('common:actions.cancel')}
        </Button>
        <Button type="submit" pending={isSubmitting} pendingLabel={t('form.saving')}>
          {record ? t('form.save') : t('form.create')}
        </Button>
      </div>
    </form>
  );
}
