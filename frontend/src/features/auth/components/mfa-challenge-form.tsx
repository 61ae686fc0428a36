import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { TextField } from '@/components/ui/text-field.tsx';

import { firstVerifiedTotp, verifyTotp } from '../api/mfa.ts';
import { signOut } from '../api/sign-out.ts';
import { totpCodeSchema, type TotpCodeInput } from '../schemas/password.ts';

/**
 * The second sign-in step for accounts with an authenticator app. Success raises the session
 * to aal2; the session store notices and the page around the form moves on.
 */
export function MfaChallengeForm() {
  const { t } = useTranslation('auth');
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<TotpCodeInput>({ resolver: zodResolver(totpCodeSchema), defaultValues: { code: '' } });

  const onSubmit = handleSubmit(async ({ code }) => {
    setFailure(null);
    const factorId = await firstVerifiedTotp();
    const result = factorId
      ? await verifyTotp(factorId, code)
      : { ok: false as const, messageKey: 'auth:errors.generic' };
    if (!result.ok) {
      setFailure(result.messageKey);
      setFocus('code', { shouldSelect: true });
    }
  });

  return (
    <form className="auth-form" aria-label={t('mfa.challengeForm')} noValidate onSubmit={onSubmit}>
      <p>{t('mfa.challengeIntro')}</p>
      {failure ? (
        <p role="alert" className="form-error">
          {t(failure)}
        </p>
      ) : null}
      <TextField
        label={t('fields.code')}
        inputMode="numeric"
        autoComplete="one-time-code"
        autoFocus
        error={errors.code?.message ? t(errors.code.message) : undefined}
        {...register('code')}
      />
      <Button type="submit" pending={isSubmitting} pendingLabel={t('mfa.verifying')}>
        {t('mfa.verify')}
      </Button>
      <Button variant="secondary" onClick={() => void signOut()}>
        {t('mfa.useAnotherAccount')}
      </Button>
    </form>
  );
}
