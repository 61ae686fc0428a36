import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';

export interface CloseDealDialogProps {
  /** The deal being closed and how; null while closed. */
  closing: { title: string; outcome: 'won' | 'lost' } | null;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}

/** Moving a deal to won or lost asks why (the database refuses a close without a reason). */
export function CloseDealDialog({ closing, onConfirm, onCancel }: CloseDealDialogProps) {
  const { t } = useTranslation('pipeline');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement | null>(null);
  const outcome = closing?.outcome ?? 'won';
  return (
    <Dialog
      open={closing !== null}
      onOpenChange={(open) => (open ? undefined : onCancel())}
      title={t(`close.title.${outcome}`, { title: closing?.title ?? '' })}
      description={t('close.description')}
      initialFocus={field}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (!reason.trim()) {
            setError(t('close.reasonRequired'));
            return;
          }
          onConfirm(reason.trim());
        }}
      >
        <div className="field">
          <label htmlFor="close-reason">{t(`close.reason.${outcome}`)}</label>
          <textarea
            id="close-reason"
            ref={field}
            rows={3}
            maxLength={500}
            value={reason}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? 'close-reason-error' : undefined}
            onChange={(event) => setReason(event.target.value)}
          />
          {error ? (
            <p id="close-reason-error" className="field-error">
              {error}
            </p>
          ) : null}
        </div>
        <DialogActions onCancel={onCancel}>
          <Button type="submit">{t(`close.confirm.${outcome}`)}</Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
