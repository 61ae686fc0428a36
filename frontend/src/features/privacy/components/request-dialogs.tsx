import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';
import { Field } from '@/components/ui/field.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';

import { privacyAssigneesOptions, type PrivacyRequest } from '../api/privacy-requests.ts';
import { reassignSchema, refuseSchema, type ReassignInput, type RefuseInput } from '../schemas/privacy-request.ts';

interface RequestDialogProps<T> {
  /** The request the dialog acts on; null: closed. */
  request: PrivacyRequest | null;
  name: string;
  onClose: () => void;
  /** Carries the change out; a rejection is shown in the dialog. */
  onSubmit: (request: PrivacyRequest, values: T) => Promise<void>;
}

/** Why an error happened, in the console's words (the database's codes). */
function failureKey(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === '55000') return 'console.refuse.alreadyDone';
  if (code === '23514') return 'console.reassign.notAllowed';
  if (code === '42501') return 'console.notAllowed';
  return 'console.dialogFailed';
}

/** Refuse a request: the reason is written for the customer, who reads it in the portal. */
export function RefuseDialog({ request, name, onClose, onSubmit }: RequestDialogProps<RefuseInput>) {
  const { t } = useTranslation('portal');
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<RefuseInput>({ resolver: zodResolver(refuseSchema), defaultValues: { reason: '' } });
  const close = () => {
    setFailure(null);
    reset();
    onClose();
  };
  const submit = handleSubmit(async (values) => {
    if (!request) return;
    setFailure(null);
    try {
      await onSubmit(request, values);
      close();
    } catch (error) {
      setFailure(t(failureKey(error)));
    }
  });
  const error = errors.reason?.message;
  return (
    <Dialog
      open={request !== null}
      onOpenChange={(next) => (next ? undefined : close())}
      title={t('console.refuse.title', { name })}
      description={t('console.refuse.description')}
    >
      <form noValidate onSubmit={submit} aria-label={t('console.refuse.title', { name })}>
        <Field label={t('console.refuse.reason')} error={error ? t(error) : undefined}>
          {(control) => <textarea rows={5} maxLength={2000} {...control} {...register('reason')} />}
        </Field>
        <FormError message={failure} />
        <DialogActions onCancel={close}>
          <Button type="submit" pending={isSubmitting} pendingLabel={t('console.refuse.saving')}>
            {t('console.refuse.save')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/** Hand a request to another admin or manager (the database refuses anyone else). */
export function ReassignDialog({ request, name, onClose, onSubmit }: RequestDialogProps<ReassignInput>) {
  const { t } = useTranslation('portal');
  const assignees = useQuery({ ...privacyAssigneesOptions(), enabled: request !== null });
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<ReassignInput>({
    resolver: zodResolver(reassignSchema),
    values: { assigneeId: request?.assignee_id ?? '' },
  });
  const close = () => {
    setFailure(null);
    reset();
    onClose();
  };
  const submit = handleSubmit(async (values) => {
    if (!request) return;
    setFailure(null);
    try {
      await onSubmit(request, values);
      close();
    } catch (error) {
      setFailure(t(failureKey(error)));
    }
  });
  const error = errors.assigneeId?.message;
  return (
    <Dialog
      open={request !== null}
      onOpenChange={(next) => (next ? undefined : close())}
      title={t('console.reassign.title', { name })}
      description={t('console.reassign.description')}
    >
      <form noValidate onSubmit={submit} aria-label={t('console.reassign.title', { name })}>
        <SelectField
          label={t('console.reassign.assignee')}
          options={[
            { value: '', label: assignees.isPending ? t('console.reassign.loading') : t('console.reassign.choose') },
            ...(assignees.data ?? []).map((member) => ({
              value: member.user_id,
              label: `${member.full_name} (${t(`console.reassign.roles.${member.role}`)})`,
            })),
          ]}
          error={error ? t(error) : undefined}
          {...register('assigneeId')}
        />
        <FormError message={assignees.isError ? t('console.reassign.loadFailed') : failure} />
        <DialogActions onCancel={close}>
          <Button type="submit" pending={isSubmitting} pendingLabel={t('console.reassign.saving')}>
            {t('console.reassign.save')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
