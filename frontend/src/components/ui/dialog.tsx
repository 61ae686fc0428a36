import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import type { ReactNode, RefObject } from 'react';
import { useTranslation } from 'react-i18next';

export interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  /** Read with the title; hidden visually when the dialog's content explains itself. */
  description?: string;
  hideDescription?: boolean;
  className?: string;
  /** The element to focus on open; by default the first focusable one (the close button). */
  initialFocus?: RefObject<HTMLElement | null>;
  children: ReactNode;
}

/** The one wrapper around Radix Dialog: focus trap, Escape, labelled title, a close button. */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  hideDescription,
  className,
  initialFocus,
  children,
}: DialogProps) {
  const { t } = useTranslation('common');
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className={['dialog', className].filter(Boolean).join(' ')}
          onOpenAutoFocus={(event) => {
            if (!initialFocus?.current) return;
            event.preventDefault();
            initialFocus.current.focus();
          }}
          // Radix links the Description itself; an explicit undefined says "none on purpose".
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <div className="dialog-header">
            <RadixDialog.Title className="dialog-title">{title}</RadixDialog.Title>
            <RadixDialog.Close className="icon-button" aria-label={t('actions.close')}>
              <X aria-hidden="true" size={18} />
            </RadixDialog.Close>
          </div>
          {description ? (
            <RadixDialog.Description className={hideDescription ? 'visually-hidden' : 'dialog-description'}>
              {description}
            </RadixDialog.Description>
          ) : null}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
