import { useTranslation } from 'react-i18next';

import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';

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
  return (
    <ConfirmDialog
      open={member !== null}
      title={t('team.deactivateDialog.title', { name: member?.full_name ?? '' })}
      description={t('team.deactivateDialog.description')}
      confirmLabel={t('team.deactivateDialog.confirm')}
      pending={pending}
      pendingLabel={t('team.saving')}
      onCancel={onCancel}
      onConfirm={() => (member ? onConfirm(member) : undefined)}
    />
  );
}
