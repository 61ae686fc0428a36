import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';

import { startTotpEnrolment, verifyTotp, type TotpEnrolment } from '../api/mfa.ts';
import { signOut } from '../api/sign-out.ts';
import { totpCodeSchema, type TotpCodeInput } from '../schemas/password.ts';
import { TotpEnrolmentSteps } from './totp-enrolment-steps.tsx';

/**
 * The walk-through for a member whose workspace requires two-step verification and who has no
 * factor yet: scan the QR code (or type the key), then confirm with a code. Success raises the
 * session to aal2; the session store notices and the page around the form lets them in.
 */
export function MfaEnrolmentForm() {
  const { t } = useTranslation('auth');
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const factorName = t('enrol.factorName');
  // One enrolment per form: React runs effects twice in development, and two enrolments at once
  // would remove each other's unverified factor or clash on the factor's name.
  const enrolling = useRef<ReturnType<typeof startTotpEnrolment> | null>(null);

  useEffect(() => {
    let current = true;
    enrolling.current ??= startTotpEnrolment(factorName);
    void enrolling.current
      .then((started) => {
        if (!current) return;
        if ('error' in started) setFailure(started.error);
        else setEnrolment(started);
      })
      .catch(() => current && setFailure('auth:errors.generic'));
    return () => {
      current = false;
    };
  }, [factorName]);

  const {
    register,
    handleSubmit,
    setFocus,
    formState: { errors, isSubmitting },
  } = useForm<TotpCodeInput>({ resolver: zodResolver(totpCodeSchema), defaultValues: { code: '' } });

  const onSubmit = handleSubmit(async ({ code }) => {
    if (!enrolment) return;
    setFailure(null);
    const result = await verifyTotp(enrolment.factorId, code);
    if (!result.ok) {
      setFailure(result.messageKey);
      setFocus('code', { shouldSelect: true });
    }
  });

  return (
    <form className="auth-form enrolment" aria-label={t('enrol.form')} noValidate onSubmit={onSubmit}>
      <p>{t('enrol.intro')}</p>
      {failure ? (
        <p role="alert" className="form-error">
          {t(failure)}
        </p>
      ) : null}
      {enrolment ? (
        <TotpEnrolmentSteps
          enrolment={enrolment}
          text={{
            scan: t('enrol.scan'),
            qrAlt: t('enrol.qrAlt'),
            manual: t('enrol.manual'),
            secretLabel: t('enrol.secretLabel'),
            code: t('fields.code'),
          }}
          codeField={register('code')}
          codeError={errors.code?.message ? t(errors.code.message) : undefined}
        />
      ) : failure ? null : (
        <Skeleton lines={3} label={t('enrol.preparing')} />
      )}
      <Button type="submit" pending={isSubmitting} pendingLabel={t('mfa.verifying')} disabled={!enrolment}>
        {t('enrol.submit')}
      </Button>
      <Button variant="secondary" onClick={() => void signOut()}>
        {t('mfa.useAnotherAccount')}
      </Button>
    </form>
  );
}
