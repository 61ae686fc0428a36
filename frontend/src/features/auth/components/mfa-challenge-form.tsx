import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import { firstVerifiedTotp, verifyTotp } from '../api/mfa.ts';
import { useAuthForm } from '../hooks/use-auth-form.ts';
import { totpCodeSchema } from '../schemas/password.ts';
import { AuthForm, UseAnotherAccountButton } from './auth-form.tsx';

/**
 * The second sign-in step for accounts with an authenticator app. Success raises the session
 * to aal2; the session store notices and the page around the form moves on.
 */
export function MfaChallengeForm() {
  const { t } = useTranslation('auth');
  const { register, failure, submitWith, fieldError, formState } = useAuthForm({
    schema: totpCodeSchema,
    defaultValues: { code: '' },
    refocus: 'code',
  });

  const onSubmit = submitWith(async ({ code }) => {
    const factorId = await firstVerifiedTotp();
    return factorId ? verifyTotp(factorId, code) : { ok: false, messageKey: 'auth:errors.generic' };
  });

  return (
    <AuthForm label={t('mfa.challengeForm')} intro={t('mfa.challengeIntro')} failure={failure} onSubmit={onSubmit}>
      <TextField
        label={t('fields.code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        autoFocus
        error={fieldError('code')}
        {...register('code')}
      />
      <Button type="submit" pending={formState.isSubmitting} pendingLabel={t('mfa.verifying')}>
        {t('mfa.verify')}
      </Button>
      <UseAnotherAccountButton />
    </AuthForm>
  );
}
