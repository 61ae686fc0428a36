import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { Checkbox } from '@/components/ui/checkbox.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { toast } from '@/stores/toast-store.ts';

import { lifecycleRulesKey, lifecycleRulesOptions, updateLifecycleRules } from '../api/lifecycle-rules.ts';
import { lifecycleRulesSchema, type LifecycleRules, type LifecycleRulesInput } from '../schemas/lifecycle-rules.ts';

/**
 * The rules the nightly job moves lifecycle stages by (VIP, at risk, churned), for admins. Each
 * move is logged in the customer's timeline with its reason.
 */
export function LifecycleRulesSettings() {
  const { t } = useTranslation('analytics');
  const rules = useQuery(lifecycleRulesOptions());
  return (
    <section className="settings-section" aria-labelledby="lifecycle-heading">
      <h2 id="lifecycle-heading">{t('lifecycle.heading')}</h2>
      <p className="field-help">{t('lifecycle.description')}</p>
      {rules.isError ? (
        <ErrorState onRetry={() => void rules.refetch()} />
      ) : rules.data ? (
        <LifecycleRulesForm rules={rules.data} />
      ) : (
        <Skeleton lines={3} />
      )}
    </section>
  );
}

function LifecycleRulesForm({ rules }: { rules: LifecycleRules }) {
  const { t } = useTranslation('analytics');
  const client = useQueryClient();
  const update = useMutation({
    mutationFn: updateLifecycleRules,
    onSuccess: () => client.invalidateQueries({ queryKey: lifecycleRulesKey }),
  });
  const {
    register,
    handleSubmit,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<LifecycleRulesInput, unknown, LifecycleRules>({
    resolver: zodResolver(lifecycleRulesSchema),
    defaultValues: rules,
  });
  const onSubmit = handleSubmit(async (values) => {
    try {
      await update.mutateAsync(values);
      reset(values);
      toast.success(t('lifecycle.saved'));
    } catch {
      toast.error(t('lifecycle.saveFailed'));
    }
  });
  const message = (key?: string) => (key ? t(key) : undefined);
  return (
    <form className="settings-form" aria-label={t('lifecycle.heading')} noValidate onSubmit={onSubmit}>
      <Checkbox label={t('lifecycle.enabled')} {...register('enabled')} />
      <TextField
        label={t('lifecycle.vipTopPercent')}
        type="number"
        step="0.01"
        error={message(errors.vipTopPercent?.message)}
        {...register('vipTopPercent')}
      />
      <TextField
        label={t('lifecycle.atRiskMinRatio')}
        type="number"
        step="0.01"
        error={message(errors.atRiskMinRatio?.message)}
        {...register('atRiskMinRatio')}
      />
      <TextField
        label={t('lifecycle.churnedAfterDays')}
        type="number"
        error={message(errors.churnedAfterDays?.message)}
        {...register('churnedAfterDays')}
      />
      <div className="form-actions">
        <Button type="submit" pending={isSubmitting} pendingLabel={t('lifecycle.saving')} disabled={!isDirty}>
          {t('lifecycle.save')}
        </Button>
      </div>
    </form>
  );
}
