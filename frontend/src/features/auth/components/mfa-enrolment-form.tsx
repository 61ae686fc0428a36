import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';

import { startTotpEnrolment, verifyTotp, type TotpEnrolment } from '../api/mfa.ts';
import { useAuthForm } from '../hooks/use-auth-form.ts';
import { totpCodeSchema } from '../schemas/password.ts';
import { AuthForm, UseAnotherAccountButton } from './auth-form.tsx';
import { TotpEnrolmentSteps } from './totp-enrolment-steps.tsx';

/**
 * The walk-through for a member whose workspace requires two-step verification and who has no
 * factor yet: scan the QR code (or type the key), then confirm with a code. Success raises the
 * session to aal2; the session store notices and the page around the form lets them in.
 */
export function MfaEnrolmentForm() {
  const { t } = useTranslation('auth');
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const { register, failure, setFailure, submitWith, fieldError, formState } = useAuthForm({
    schema: totpCodeSchema,
    defaultValues: { code: '' },
    refocus: 'code',
  });

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
  }, [factorName, setFailure]);

  // The code field and the enabled submit button both come with the enrolment.
  const onSubmit = submitWith(async ({ code }) =>
    enrolment ? verifyTotp(enrolment.factorId, code) : { ok: false, messageKey: 'auth:errors.generic' },
  );

  return (
    <AuthForm
      label={t('enrol.form')}
      intro={t('enrol.intro')}
      className="enrolment"
      failure={failure}
      onSubmit={onSubmit}
    >
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
          codeError={fieldError('code')}
        />
      ) : failure ? null : (
        <Skeleton lines={3} label={t('enrol.preparing')} />
      )}
      <Button type="submit" pending={formState.isSubmitting} pendingLabel={t('mfa.verifying')} disabled={!enrolment}>
        {t('enrol.submit')}
      </Button>
      <UseAnotherAccountButton />
    </AuthForm>
  );
}
