import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
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
  const cancelRef = useRef<HTMLButtonElement>(null);

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
    <Dialog
      open={tag !== null}
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={t('tags.deleteTitle', { name: tag?.name ?? '' })}
      description={
        tag
          ? t('tags.deleteDescription', {
              count: tag.customer_count,
              formatted: formatNumber(tag.customer_count, language),
            })
          : undefined
      }
      initialFocus={cancelRef}
    >
      <div className="form-actions dialog-actions">
        <Button ref={cancelRef} variant="secondary" onClick={onClose}>
          {t('common:actions.cancel')}
        </Button>
        <Button className="button-danger" pending={remove.isPending} pendingLabel={t('deleting')} onClick={confirm}>
          {t('tags.delete')}
        </Button>
      </div>
    </Dialog>
  );
}
