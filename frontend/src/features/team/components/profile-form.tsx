import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from '@/lib/i18n.ts';
import { timeZoneOptions } from '@/lib/time-zone-options.ts';
import { useViewer } from '@/lib/viewer.ts';
import { toast } from '@/stores/toast-store.ts';

import { useUpdateOwnProfile } from '../hooks/use-own-profile.ts';
import { profileSchema, type ProfileInput } from '../schemas/profile.ts';

/** Own name, language and time zone; saved to team_members and applied to the app at once. */
export function ProfileForm() {
  const { t } = useTranslation('settings');
  const viewer = useViewer();
  const update = useUpdateOwnProfile();
  const zones = useMemo(() => timeZoneOptions(viewer.timeZone), [viewer.timeZone]);
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<ProfileInput>({
    resolver: zodResolver(profileSchema),
    defaultValues: {
      fullName: viewer.fullName,
      language: isLanguage(viewer.language) ? viewer.language : 'en',
      timeZone: viewer.timeZone,
    },
  });

  const onSubmit = handleSubmit(async (values) => {
    try {
      await update.mutateAsync(values);
      reset(values);
      toast.success(t('profile.saved'));
    } catch {
      toast.error(t('profile.saveFailed'));
    }
  });

  const message = (key?: string) => (key ? t(key) : undefined);
  return (
    <form className="settings-form" aria-label={t('profile.form')} noValidate onSubmit={onSubmit}>
      <TextField label={t('profile.email')} value={viewer.email} readOnly />
      <TextField
        label={t('profile.fullName')}
        autoComplete="name"
        error={message(errors.fullName?.message)}
        {...register('fullName')}
      />
      <SelectField
        label={t('profile.language')}
        options={LANGUAGES.map((language) => ({ value: language, label: LANGUAGE_NAMES[language], lang: language }))}
        error={message(errors.language?.message)}
        {...register('language')}
      />
      <SelectField
        label={t('profile.timeZone')}
        options={zones}
        error={message(errors.timeZone?.message)}
        {...register('timeZone')}
      />
      <div className="form-actions">
        <Button type="submit" pending={isSubmitting} pendingLabel={t('profile.saving')} disabled={!isDirty}>
          {t('profile.save')}
        </Button>
      </div>
    </form>
  );
}
