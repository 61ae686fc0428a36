import { zodResolver } from '@hookform/resolvers/zod';
import { useMemo } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { LANGUAGES, LANGUAGE_NAMES, isLanguage } from '@/lib/i18n.ts';
import { toast } from '@/stores/toast-store.ts';

import type { TeamMember } from '../api/members.ts';
import { useUpdateOwnProfile } from '../hooks/use-current-member.ts';
import { profileSchema, type ProfileInput } from '../schemas/profile.ts';
import { timeZoneOptions } from '../utils/time-zone-options.ts';

/** Own name, language and time zone; saved to team_members and applied to the app at once. */
export function ProfileForm({ member }: { member: TeamMember }) {
  const { t } = useTranslation('settings');
  const update = useUpdateOwnProfile();
  const zones = useMemo(() => timeZoneOptions(member.timezone), [member.timezone]);
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<ProfileInput>({
    resolver: zodResolver(profileSchema),
    defaultValues: {
      fullName: member.full_name,
      language: isLanguage(member.language) ? member.language : 'en',
      timeZone: member.timezone,
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
      <TextField label={t('profile.email')} value={member.email} readOnly />
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
