import { useId } from 'react';
import { Controller, type Control } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Checkbox } from '@/components/ui/checkbox.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import type { CustomFieldDefinition } from '@/api/custom-fields.ts';
import type { CustomerFormValues } from '../schemas/customer.ts';

const INPUT_TYPES: Partial<Record<CustomFieldDefinition['type'], string>> = {
  number: 'number',
  date: 'date',
  url: 'url',
  email: 'email',
};

export interface CustomFieldInputProps {
  definition: CustomFieldDefinition;
  control: Control<CustomerFormValues>;
  error?: string;
}

/** The input that fits a custom field's type; its help text and any refusal are read with it. */
export function CustomFieldInput({ definition, control, error }: CustomFieldInputProps) {
  const { t } = useTranslation('customers');
  const fieldId = useId();
  const hintId = `${fieldId}-hint`;
  const name = `customFields.${definition.key}` as const;
  const label = definition.required ? t('form.requiredLabel', { label: definition.label }) : definition.label;
  const archived = !definition.active;
  const hint = archived ? t('form.archivedField') : definition.help_text;

  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => {
        // The hint and the error (TextField / SelectField name it `${id}-error`) are both read.
        const describedBy =
          [hint ? hintId : null, error ? `${fieldId}-error` : null].filter(Boolean).join(' ') || undefined;
        const text = typeof field.value === 'string' ? field.value : '';
        if (definition.type === 'multiselect') {
          const chosen = Array.isArray(field.value) ? field.value : [];
          return (
            <fieldset
              className="field full-width"
              aria-describedby={describedBy}
              aria-invalid={error ? true : undefined}
            >
              <legend>{label}</legend>
              <div className="options-group">
                {definition.options.map((option) => (
                  <Checkbox
                    key={option}
                    label={option}
                    checked={chosen.includes(option)}
                    disabled={archived}
                    onChange={(event) =>
                      field.onChange(
                        event.currentTarget.checked ? [...chosen, option] : chosen.filter((item) => item !== option),
                      )
                    }
                  />
                ))}
              </div>
              {hint ? (
                <p id={hintId} className="field-hint">
                  {hint}
                </p>
              ) : null}
              {error ? (
                <p id={`${fieldId}-error`} className="field-error">
                  {error}
                </p>
              ) : null}
            </fieldset>
          );
        }
        const common = { id: fieldId, label, error, disabled: archived, 'aria-describedby': describedBy };
        const input =
          definition.type === 'select' || definition.type === 'boolean' ? (
            <SelectField
              {...common}
              name={field.name}
              ref={field.ref}
              value={text}
              onBlur={field.onBlur}
              onChange={(event) => field.onChange(event.currentTarget.value)}
              options={[
                { value: '', label: t('form.noValue') },
                ...(definition.type === 'boolean'
                  ? [
                      { value: 'true', label: t('form.yes') },
                      { value: 'false', label: t('form.no') },
                    ]
                  : definition.options.map((option) => ({ value: option, label: option }))),
              ]}
            />
          ) : (
            <TextField
              {...common}
              name={field.name}
              ref={field.ref}
              type={INPUT_TYPES[definition.type] ?? 'text'}
              value={text}
              onBlur={field.onBlur}
              onChange={(event) => field.onChange(event.currentTarget.value)}
            />
          );
        return (
          <div>
            {input}
            {hint ? (
              <p id={hintId} className="field-hint">
                {hint}
              </p>
            ) : null}
          </div>
        );
      }}
    />
  );
}
