import { zodResolver } from '@hookform/resolvers/zod';
import { useId, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { SelectField } from '@/components/ui/select-field.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { TEAM_ROLES } from '@/lib/permissions.ts';
import { toast } from '@/stores/toast-store.ts';

import { useInviteMember } from '../hooks/use-team.ts';
import { inviteSchema, type InviteInput } from '../schemas/invite.ts';
import { inviteErrorKey } from '../utils/team-errors.ts';

const EMPTY: InviteInput = { email: '', fullName: '', role: 'agent' };

export interface InviteMemberDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/**
 * Email, name and role; the invitation email carries a link to /accept-invite. A refusal that is
 * about the address (already on the team) is shown on the email field; anything else above the
 * buttons, and the form keeps what was typed.
 */
export function InviteMemberDialog({ open, onOpenChange }: InviteMemberDialogProps) {
  const { t } = useTranslation('settings');
  const invite = useInviteMember();
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    reset,
    setError,
    control,
    formState: { errors, isSubmitting },
  } = useForm<InviteInput>({ resolver: zodResolver(inviteSchema), defaultValues: EMPTY });

  const close = (next: boolean) => {
    if (!next) {
      reset(EMPTY);
      setFormError(null);
    }
    onOpenChange(next);
  };

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    try {
      const result = await invite.mutateAsync(values);
      if (result.ok) {
        toast.success(t(result.resent ? 'team.invite.resent' : 'team.invite.sent', { email: values.email }));
        close(false);
        return;
      }
      const key = inviteErrorKey(result.code);
      if (result.code === 'already_member' || result.code === 'email_in_use') {
        setError('email', { message: key }, { shouldFocus: true });
      } else {
        setFormError(key);
      }
    } catch {
      setFormError('settings:team.invite.errors.failed');
    }
  });

  const message = (key?: string) => (key ? t(key) : undefined);
  const role = useWatch({ control, name: 'role' });
  const roleHelpId = useId();
  return (
    <Dialog open={open} onOpenChange={close} title={t('team.invite.title')} description={t('team.invite.description')}>
      <form className="settings-form" aria-label={t('team.invite.form')} noValidate onSubmit={onSubmit}>
        <TextField
          label={t('team.invite.email')}
          type="email"
          autoComplete="off"
          error={message(errors.email?.message)}
          // Focus lands where typing starts (Radix keeps a focus already inside the dialog).
          autoFocus
          {...register('email')}
        />
        <TextField
          label={t('team.invite.fullName')}
          autoComplete="off"
          error={message(errors.fullName?.message)}
          {...register('fullName')}
        />
        <SelectField
          label={t('team.invite.role')}
          options={TEAM_ROLES.map((value) => ({ value, label: t(`team.roles.${value}`) }))}
          error={message(errors.role?.message)}
          {...register('role')}
          // The error, when there is one, describes the field instead (SelectField links it).
          {...(errors.role ? {} : { 'aria-describedby': roleHelpId })}
        />
        <p id={roleHelpId} className="field-help">
          {t(`team.roleHelp.${role}`)}
        </p>
        <FormError message={formError && t(formError)} />
        <DialogActions onCancel={() => close(false)}>
          <Button type="submit" pending={isSubmitting} pendingLabel={t('team.invite.sending')}>
            {t('team.invite.submit')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
