import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { toast } from '@/stores/toast-store.ts';

import { retentionKey, retentionOptions, setRetentionDays } from '../api/notifications.ts';

/** Admins: how long notifications are kept before the daily purge removes them (7–3650 days). */
export function RetentionSetting() {
  const { t } = useTranslation('notifications');
  const queryClient = useQueryClient();
  const current = useQuery(retentionOptions());
  const [value, setValue] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  const save = useMutation({
    mutationFn: setRetentionDays,
    onSuccess: () => {
      toast.success(t('retention.saved'));
      void queryClient.invalidateQueries({ queryKey: retentionKey });
    },
    onError: () => toast.error(t('retention.saveFailed')),
  });
  const shown = value ?? (current.data === undefined ? '' : String(current.data));
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        const days = Number(shown);
        if (!Number.isInteger(days) || days < 7 || days > 3650) {
          setError(t('retention.invalid'));
          return;
        }
        setError(undefined);
        save.mutate(days);
      }}
    >
      <TextField
        label={t('retention.label')}
        inputMode="numeric"
        value={shown}
        error={error}
        onChange={(event) => setValue(event.target.value)}
      />
      <Button type="submit" pending={save.isPending}>
        {t('retention.save')}
      </Button>
    </form>
  );
}
