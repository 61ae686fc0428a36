import type { ReactNode, Ref } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from './button.tsx';

export interface DialogActionsProps {
  onCancel: () => void;
  /** For `Dialog`'s `initialFocus`, where Cancel should have the focus. */
  cancelRef?: Ref<HTMLButtonElement>;
  /** The dialog's own action, after Cancel. */
  children: ReactNode;
}

/** A dialog's footer: Cancel, then the action the dialog is for. */
export function DialogActions({ onCancel, cancelRef, children }: DialogActionsProps) {
  const { t } = useTranslation('common');
  return (
    <div className="form-actions dialog-actions">
      <Button ref={cancelRef} variant="secondary" onClick={onCancel}>
        {t('actions.cancel')}
      </Button>
      {children}
    </div>
  );
}
