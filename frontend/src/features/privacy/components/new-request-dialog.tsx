import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod/mini';

import { Button } from '@/components/ui/button.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { toast } from '@/stores/toast-store.ts';

import { enterPrivacyRequest, PrivacyRequestError, privacyRequestKeys } from '../api/privacy-requests.ts';

/** Messages are translation keys. The note fits privacy_requests_note_length (2 000). */
const newRequestSchema = z.object({
  email: z.string().check(z.trim(), z.email('portal:console.new.emailInvalid')),
  kind: z.enum(['access', 'erasure'], 'portal:console.new.kindInvalid'),
  note: z.string().check(z.trim(), z.maxLength(2000, 'portal:console.new.noteTooLong')),
});
type NewRequestInput = z.infer<typeof newRequestSchema>;

/** "New request": a request a customer made to the team, entered with its 30-day clock. */
export function NewRequestButton() {
  const { t } = useTranslation('portal');
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<NewRequestInput>({
    resolver: zodResolver(newRequestSchema),
    defaultValues: { email: '', kind: 'access', note: '' },
  });
  const close = () => {
    setOpen(false);
    setFailure(null);
    reset();
  };
  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      await enterPrivacyRequest(values);
      await queryClient.invalidateQueries({ queryKey: privacyRequestKeys.all });
      toast.success(t('console.new.entered'));
      close();
    } catch (error) {
      setFailure(error instanceof PrivacyRequestError ? t(`console.new.${error.reason}`) : t('console.new.failed'));
    }
  });
  const message = (key?: string) => (key ? t(key) : undefined);
  return (
    <>
      <Button variant="secondary" onClick={() => setOpen(true)}>
        {t('console.new.open')}
      </Button>
      <Dialog
        open={open}
        onOpenChange={(next) => (next ? setOpen(true) : close())}
        title={t('console.new.title')}
        description={t('console.new.description')}
      >
        <form noValidate onSubmit={onSubmit} aria-label={t('console.new.title')}>
          <TextField
            label={t('console.new.email')}
            type="email"
            autoComplete="off"
            error={message(errors.email?.message)}
            {...register('email')}
          />
          <SelectField
            label={t('console.new.kind')}
            options={[
              { value: 'access', label: t('console.kinds.access') },
              { value: 'erasure', label: t('console.kinds.erasure') },
            ]}
            error={message(errors.kind?.message)}
            {...register('kind')}
          />
          <TextField label={t('console.new.note')} error={message(errors.note?.message)} {...register('note')} />
          <FormError message={failure} />
          <DialogActions onCancel={close}>
            <Button type="submit" pending={isSubmitting} pendingLabel={t('console.new.saving')}>
              {t('console.new.save')}
            </Button>
          </DialogActions>
        </form>
      </Dialog>
    </>
  );
}
