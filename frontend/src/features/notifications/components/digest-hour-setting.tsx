import { useTranslation } from 'react-i18next';

import { SelectField } from '@/components/ui/select-field.tsx';
import { dateTimeFormat } from '@/lib/intl-cache.ts';
import { useViewer } from '@/lib/viewer.ts';
import { toast } from '@/stores/toast-store.ts';

import { DIGEST_HOURS } from '../api/notifications.ts';
import { useDigestHour, useSetDigestHour } from '../hooks/use-notifications.ts';

/** An hour of the day as the language writes it ("08:00", "8:00 AM"). */
function hourLabel(hour: number, language: string): string {
  return dateTimeFormat(language, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(
    Date.UTC(2026, 0, 1, hour),
  );
}

/** The hour of the member's day (in their time zone) from which their daily email digest goes out. */
export function DigestHourSetting() {
  const { t } = useTranslation('notifications');
  const viewer = useViewer();
  const current = useDigestHour(viewer.userId);
  const save = useSetDigestHour(viewer.userId);
  return (
    <SelectField
      label={t('digestHour.label', { zone: viewer.timeZone })}
      options={DIGEST_HOURS.map((hour) => ({ value: String(hour), label: hourLabel(hour, viewer.language) }))}
      value={current.data === undefined ? '' : String(current.data)}
      disabled={current.data === undefined || save.isPending}
      error={current.isError ? t('loadFailed') : undefined}
      onChange={(event) =>
        save.mutate(Number(event.target.value), {
          onSuccess: () => toast.success(t('digestHour.saved')),
          onError: () => toast.error(t('digestHour.saveFailed')),
        })
      }
    />
  );
}
