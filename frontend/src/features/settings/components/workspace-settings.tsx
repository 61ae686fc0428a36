import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import type { ReferenceItem } from '@/api/reference.ts';
import type { WorkspaceSettingsRow } from '@/api/workspace.ts';
import {
  useCurrencies,
  useLanguages,
  useUpdateWorkspaceSettings,
  useWorkspaceSettings,
} from '../hooks/use-workspace.ts';
import { workspaceSchema, type WorkspaceInput } from '../schemas/workspace.ts';
import { workspaceErrorKey } from '../utils/database-errors.ts';
import { CheckboxField } from './checkbox-field.tsx';

import './settings.css';

/**
 * Workspace-wide settings for admins: the base currency revenue is reported in, the default
 * language, and whether every member must use two-step verification.
 */
export function WorkspaceSettings() {
  const { t } = useTranslation('settings');
  const settings = useWorkspaceSettings();
  const currencies = useCurrencies();
  const languages = useLanguages();
  const queries = [settings, currencies, languages];

  return (
    <section className="settings-section" aria-labelledby="workspace-heading">
      <h2 id="workspace-heading">{t('workspace.heading')}</h2>
      {queries.some((query) => query.isError) ? (
        <ErrorState description={t('loadFailed')} onRetry={() => queries.forEach((query) => void query.refetch())} />
      ) : settings.data && currencies.data && languages.data ? (
        <WorkspaceForm settings={settings.data} currencies={currencies.data} languages={languages.data} />
      ) : (
        <Skeleton lines={3} label={t('workspace.loading')} />
      )}
    </section>
  );
}

interface WorkspaceFormProps {
  settings: WorkspaceSettingsRow;
  currencies: ReferenceItem[];
  languages: ReferenceItem[];
}

function WorkspaceForm({ settings, currencies, languages }: WorkspaceFormProps) {
  const { t } = useTranslation('settings');
  const zoneAndLanguage = useZoneAndLanguage();
  const update = useUpdateWorkspaceSettings();
  const {
    register,
    handleSubmit,
    reset,
    control,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<WorkspaceInput>({
    resolver: zodResolver(workspaceSchema),
    defaultValues: {
      baseCurrency: settings.base_currency,
      defaultLanguage: settings.default_language,
      requireMfa: settings.require_mfa,
      postalAddress: settings.postal_address ?? '',
    },
  });
  const baseCurrency = useWatch({ control, name: 'baseCurrency' });

  const onSubmit = handleSubmit(async (values) => {
    try {
      await update.mutateAsync(values);
      reset(values);
      toast.success(t('workspace.saved'));
    } catch (error) {
      toast.error(t(workspaceErrorKey(error)));
    }
  });

  const message = (key?: string) => (key ? t(key) : undefined);
  return (
    <form className="settings-form" aria-label={t('workspace.heading')} noValidate onSubmit={onSubmit}>
      <SelectField
        label={t('workspace.baseCurrency')}
        options={currencies.map(({ code, name }) => ({ value: code, label: `${code} — ${name}` }))}
        error={message(errors.baseCurrency?.message)}
        {...register('baseCurrency')}
      />
      {baseCurrency !== settings.base_currency ? (
        <p className="form-note" role="note">
          {t('workspace.currencyChangeNote', { from: settings.base_currency, to: baseCurrency })}
        </p>
      ) : (
        <p className="field-help">{t('workspace.baseCurrencyHelp')}</p>
      )}
      <SelectField
        label={t('workspace.defaultLanguage')}
        options={languages.map(({ code, name }) => ({ value: code, label: name, lang: code }))}
        error={message(errors.defaultLanguage?.message)}
        {...register('defaultLanguage')}
      />
      <p className="field-help">{t('workspace.defaultLanguageHelp')}</p>
      <CheckboxField
        label={t('workspace.requireMfa')}
        hint={t('workspace.requireMfaHelp')}
        {...register('requireMfa')}
      />
      <TextField
        label={t('campaigns:postalAddress.label')}
        error={message(errors.postalAddress?.message)}
        {...register('postalAddress')}
      />
      <p className="field-help">{t('campaigns:postalAddress.help')}</p>
      <p className="muted">
        {t('workspace.updatedAt', { when: formatDateTime(settings.updated_at, zoneAndLanguage) })}
      </p>
      <div className="form-actions">
        <Button type="submit" pending={isSubmitting} pendingLabel={t('saving')} disabled={!isDirty}>
          {t('save')}
        </Button>
      </div>
    </form>
  );
}
