import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { toast } from '@/stores/toast-store.ts';

import type { CustomFieldDefinition } from '@/api/custom-fields.ts';
import { useCustomFieldMutations } from '../hooks/use-custom-fields.ts';
import {
  CUSTOM_FIELD_TYPES,
  customFieldSchema,
  hasOptions,
  keyFromLabel,
  type CustomFieldFormValues,
  type CustomFieldInput,
} from '../schemas/custom-field.ts';
import { customFieldErrorKey } from '../utils/database-errors.ts';
import { CheckboxField } from './checkbox-field.tsx';

export interface CustomFieldDialogProps {
  open: boolean;
  /** The definition to edit, or null to create one. */
  field: CustomFieldDefinition | null;
  /** Where a new field goes in the forms (after the existing ones). */
  nextPosition: number;
  onOpenChange: (open: boolean) => void;
}

function valuesOf(field: CustomFieldDefinition | null, nextPosition: number): CustomFieldFormValues {
  return field
    ? {
        key: field.key,
        label: field.label,
        type: field.type,
        optionsText: field.options.join('\n'),
        required: field.required,
        active: field.active,
        position: field.position,
        helpText: field.help_text ?? '',
      }
    : {
        key: '',
        label: '',
        type: 'text',
        optionsText: '',
        required: false,
        active: true,
        position: nextPosition,
        helpText: '',
      };
}

/**
 * Create or edit a custom field. The key follows the label while creating (until typed by hand)
 * and is fixed afterwards: it names the values stored on customers.
 */
export function CustomFieldDialog({ open, field, nextPosition, onOpenChange }: CustomFieldDialogProps) {
  const { t } = useTranslation('settings');
  const title = t(field ? 'customFields.editTitle' : 'customFields.createTitle');
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title={title}>
      {/* The dialog's content mounts on open, so the form starts from the definition every time. */}
      <CustomFieldForm field={field} nextPosition={nextPosition} title={title} onDone={() => onOpenChange(false)} />
    </Dialog>
  );
}

interface CustomFieldFormProps {
  field: CustomFieldDefinition | null;
  nextPosition: number;
  title: string;
  onDone: () => void;
}

function CustomFieldForm({ field, nextPosition, title, onDone }: CustomFieldFormProps) {
  const { t } = useTranslation('settings');
  const { save } = useCustomFieldMutations();
  const [formError, setFormError] = useState<string | null>(null);
  const [keyTouched, setKeyTouched] = useState(false);
  const optionsId = useId();
  const {
    register,
    handleSubmit,
    setValue,
    control,
    formState: { errors, isSubmitting },
  } = useForm<CustomFieldFormValues, unknown, CustomFieldInput>({
    resolver: zodResolver(customFieldSchema),
    defaultValues: valuesOf(field, nextPosition),
  });
  const type = useWatch({ control, name: 'type' });

  const onSubmit = handleSubmit(async (input) => {
    setFormError(null);
    try {
      await save.mutateAsync({ id: field?.id ?? null, input });
      toast.success(t(field ? 'customFields.saved' : 'customFields.created', { label: input.label }));
      onDone();
    } catch (error) {
      setFormError(customFieldErrorKey(error, field ? 'update' : 'create'));
    }
  });

  const message = (key?: string) => (key ? t(key) : undefined);
  const keyField = register('key', { onChange: () => setKeyTouched(true) });
  // While creating, the key follows the label until someone types a key of their own.
  const labelField = register('label', {
    onChange: (event: { target: { value: string } }) => {
      if (!field && !keyTouched) setValue('key', keyFromLabel(event.target.value), { shouldValidate: false });
    },
  });
  return (
    <form className="settings-form" aria-label={title} noValidate onSubmit={onSubmit}>
      <TextField
        label={t('customFields.label')}
        autoComplete="off"
        error={message(errors.label?.message)}
        autoFocus
        {...labelField}
      />
      <TextField
        label={t('customFields.key')}
        autoComplete="off"
        spellCheck={false}
        readOnly={field !== null}
        error={message(errors.key?.message)}
        {...keyField}
      />
      <SelectField
        label={t('customFields.type')}
        options={CUSTOM_FIELD_TYPES.map((value) => ({ value, label: t(`customFields.types.${value}`) }))}
        {...register('type')}
      />
      {hasOptions(type) ? (
        <div className="field">
          <label htmlFor={optionsId}>{t('customFields.options')}</label>
          <textarea
            id={optionsId}
            rows={5}
            aria-invalid={errors.optionsText ? true : undefined}
            aria-describedby={`${optionsId}-help`}
            {...register('optionsText')}
          />
          <p id={`${optionsId}-help`} className={errors.optionsText ? 'field-error' : 'field-help'}>
            {message(errors.optionsText?.message) ?? t('customFields.optionsHelp')}
          </p>
        </div>
      ) : null}
      <TextField
        label={t('customFields.helpText')}
        autoComplete="off"
        error={message(errors.helpText?.message)}
        {...register('helpText')}
      />
      <CheckboxField
        label={t('customFields.required')}
        hint={t('customFields.requiredHint')}
        {...register('required')}
      />
      {field ? (
        <CheckboxField label={t('customFields.active')} hint={t('customFields.activeHint')} {...register('active')} />
      ) : null}
      <FormError message={formError && t(formError)} />
      <DialogActions onCancel={onDone}>
        <Button type="submit" pending={isSubmitting} pendingLabel={t('saving')}>
          {t(field ? 'save' : 'customFields.create')}
        </Button>
      </DialogActions>
    </form>
  );
}
