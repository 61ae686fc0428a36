import { useRef } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';

import type { DirectoryMember } from '../api/team.ts';

export interface DeactivateMemberDialogProps {
  /** The member to deactivate; null keeps the dialog closed. */
  member: DirectoryMember | null;
  pending: boolean;
  onCancel: () => void;
  onConfirm: (member: DirectoryMember) => void;
}

/** Says what deactivation does before doing it; Cancel has the focus, so Enter is harmless. */
export function DeactivateMemberDialog({ member, pending, onCancel, onConfirm }: DeactivateMemberDialogProps) {
  const { t } = useTranslation('settings');
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={member !== null}
      onOpenChange={(open) => (open ? undefined : onCancel())}
      title={t('team.deactivateDialog.title', { name: member?.full_name ?? '' })}
      description={t('team.deactivateDialog.description')}
      initialFocus={cancelRef}
    >
      <div className="form-actions dialog-actions">
        <Button ref={cancelRef} variant="secondary" onClick={onCancel}>
          {t('common:actions.cancel')}
        </Button>
        <Button
          className="button-danger"
          pending={pending}
          pendingLabel={t('team.saving')}
          onClick={() => (member ? onConfirm(member) : undefined)}
        >
          {t('team.deactivateDialog.confirm')}
        </Button>
      </div>
    </Dialog>
  );
}
