import { useTranslation } from 'react-i18next';

import { Dialog } from '@/components/ui/dialog.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { toast } from '@/stores/toast-store.ts';

import type { CustomerRecord } from '../api/customers.ts';
import { useCustomerRecord } from '../hooks/use-customer-mutations.ts';
import { useReferenceData } from '../hooks/use-reference-data.ts';

import { CustomerForm } from './customer-form.tsx';

export interface CustomerFormDialogProps {
  open: boolean;
  /** The customer to edit; null adds a new one. */
  customerId: string | null;
  onOpenChange: (open: boolean) => void;
  onSaved?: (record: CustomerRecord) => void;
}

/** The customer form in the app's dialog (focus trap, Escape closes); also usable from the 360 page. */
export function CustomerFormDialog({ open, customerId, onOpenChange, onSaved }: CustomerFormDialogProps) {
  const { t } = useTranslation('customers');
  const reference = useReferenceData();
  const record = useCustomerRecord(open ? customerId : null);
  const editing = customerId !== null;
  const failed = reference.isError || record.isError;
  const ready = reference.data && (!editing || record.data);

  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={editing ? t('form.editTitle') : t('form.createTitle')}
      description={t('form.description')}
      hideDescription
      className="customer-dialog"
    >
      {failed ? (
        <ErrorState
          description={t('errors.loadOne')}
          onRetry={() => {
            void reference.refetch();
            if (editing) void record.refetch();
          }}
        />
      ) : ready && reference.data ? (
        <CustomerForm
          // A fresh form for each customer, so one person's values never linger in another's.
          key={customerId ?? 'new'}
          record={record.data ?? null}
          reference={reference.data}
          onCancel={() => onOpenChange(false)}
          onSaved={(saved) => {
            toast.success(editing ? t('form.updated') : t('form.created'));
            onOpenChange(false);
            onSaved?.(saved);
          }}
        />
      ) : (
        <Skeleton lines={8} label={t('form.loading')} />
      )}
    </Dialog>
  );
}
