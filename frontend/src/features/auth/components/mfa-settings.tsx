import { zodResolver } from '@hookform/resolvers/zod';
import { ShieldCheck } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { toast } from '@/stores/toast-store.ts';

import type { TotpEnrolment } from '../api/mfa.ts';
import { useRemoveFactor, useStartTotpEnrolment, useTotpFactors, useVerifyTotp } from '../hooks/use-totp-factors.ts';
import { totpCodeSchema, type TotpCodeInput } from '../schemas/password.ts';
import { TotpEnrolmentSteps } from './totp-enrolment-steps.tsx';

/** Two-step verification in the profile: enrol an authenticator app, list and remove factors. */
export function MfaSettings() {
  const { t } = useTranslation('settings');
  const factors = useTotpFactors();
  const start = useStartTotpEnrolment(t('mfa.defaultFactorName'));
  const remove = useRemoveFactor();

  const verified = factors.data?.filter((factor) => factor.status === 'verified') ?? [];
  const enrolment = start.data && !verified.some((factor) => factor.id === start.data.factorId) ? start.data : null;

  async function handleRemove(factorId: string) {
    try {
      await remove.mutateAsync(factorId);
      toast.success(t('mfa.removed'));
    } catch (error) {
      toast.error(t(error instanceof Error ? error.message : 'auth:errors.generic'));
    }
  }

  return (
    <section className="settings-section" aria-labelledby="mfa-heading">
      <h2 id="mfa-heading">{t('mfa.title')}</h2>
      <p className="section-description">{t('mfa.description')}</p>
      {factors.isPending ? <Skeleton lines={2} /> : null}
      {factors.isError ? <ErrorState onRetry={() => void factors.refetch()} /> : null}
      {verified.length > 0 ? (
        <ul className="factor-list" aria-label={t('mfa.listLabel')}>
          {verified.map((factor) => (
            <li key={factor.id} className="factor">
              <ShieldCheck aria-hidden="true" size={18} />
              <span>{factor.friendly_name ?? t('mfa.defaultFactorName')}</span>
              <Button
                variant="secondary"
                pending={remove.isPending && remove.variables === factor.id}
                onClick={() => void handleRemove(factor.id)}
                aria-label={t('mfa.remove', { name: factor.friendly_name ?? t('mfa.defaultFactorName') })}
              >
                {t('mfa.removeShort')}
              </Button>
            </li>
          ))}
        </ul>
      ) : factors.isSuccess ? (
        <p>{t('mfa.none')}</p>
      ) : null}
      {enrolment ? (
        <TotpEnrolmentStep enrolment={enrolment} onCancel={() => start.reset()} />
      ) : factors.isSuccess && verified.length === 0 ? (
        <Button pending={start.isPending} onClick={() => start.mutate()}>
          {t('mfa.start')}
        </Button>
      ) : null}
      {start.isError ? (
        <p role="alert" className="form-error">
          {t(start.error.message)}
        </p>
      ) : null}
    </section>
  );
}

function TotpEnrolmentStep({ enrolment, onCancel }: { enrolment: TotpEnrolment; onCancel: () => void }) {
  const { t } = useTranslation('settings');
  const verify = useVerifyTotp();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<TotpCodeInput>({ resolver: zodResolver(totpCodeSchema), defaultValues: { code: '' } });

  const onSubmit = handleSubmit(async ({ code }) => {
    try {
      await verify.mutateAsync({ factorId: enrolment.factorId, code });
      toast.success(t('mfa.enabled'));
    } catch {
      // The message is shown from verify.error below.
    }
  });

  return (
    <form className="enrolment" aria-label={t('mfa.enrolForm')} noValidate onSubmit={onSubmit}>
      <TotpEnrolmentSteps
        enrolment={enrolment}
        text={{
          scan: t('mfa.scan'),
          qrAlt: t('mfa.qrAlt'),
          manual: t('mfa.manual'),
          secretLabel: t('mfa.secretLabel'),
          code: t('auth:fields.code'),
        }}
        codeField={register('code')}
        codeError={errors.code?.message ? t(errors.code.message) : undefined}
      />
      {verify.isError ? (
        <p role="alert" className="form-error">
          {t(verify.error.message)}
        </p>
      ) : null}
      <div className="form-actions">
        <Button type="submit" pending={verify.isPending} pendingLabel={t('auth:mfa.verifying')}>
          {t('mfa.confirm')}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          {t('common:actions.cancel')}
        </Button>
      </div>
    </form>
  );
}
