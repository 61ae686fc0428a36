import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { formatNumber } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import type { TagWithUsage } from '../api/tags.ts';
import { useTagMutations } from '../hooks/use-tags.ts';
import { tagErrorKey } from '../utils/database-errors.ts';

/** Deleting a tag takes it off every customer, so the dialog says how many; Cancel has the focus. */
export function DeleteTagDialog({ tag, onClose }: { tag: TagWithUsage | null; onClose: () => void }) {
  const { t } = useTranslation('settings');
  const { language } = useZoneAndLanguage();
  const { remove } = useTagMutations();

  const confirm = () => {
    if (!tag) return;
    remove.mutate(tag.id, {
      onSuccess: () => {
        toast.success(t('tags.deleted', { name: tag.name }));
        onClose();
      },
      onError: (error) => toast.error(t(tagErrorKey(error))),
    });
  };

  return (
    <ConfirmDialog
      open={tag !== null}
      title={t('tags.deleteTitle', { name: tag?.name ?? '' })}
      description={
        tag
          ? t('tags.deleteDescription', {
              count: tag.customer_count,
              formatted: formatNumber(tag.customer_count, language),
            })
          : undefined
      }
      confirmLabel={t('tags.delete')}
      pending={remove.isPending}
      pendingLabel={t('deleting')}
      onCancel={onClose}
      onConfirm={confirm}
    />
  );
}
