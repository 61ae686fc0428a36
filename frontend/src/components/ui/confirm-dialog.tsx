import { useRef } from 'react';

import { Button } from './button.tsx';
import { Dialog } from './dialog.tsx';
import { DialogActions } from './dialog-actions.tsx';

export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  /** What the action does, read with the title. */
  description?: string;
  confirmLabel: string;
  pending: boolean;
  pendingLabel: string;
  onCancel: () => void;
  onConfirm: () => void;
}

/** Asks before a destructive action; Cancel has the focus, so Enter is harmless. */
export function ConfirmDialog({
  open,
  title,
  description,
  confirmLabel,
  pending,
  pendingLabel,
  onCancel,
  onConfirm,
}: ConfirmDialogProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => (next ? undefined : onCancel())}
      title={title}
      description={description}
      initialFocus={cancelRef}
    >
      <DialogActions onCancel={onCancel} cancelRef={cancelRef}>
        <Button className="button-danger" pending={pending} pendingLabel={pendingLabel} onClick={onConfirm}>
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
