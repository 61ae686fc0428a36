import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Store } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod/mini';

import { Button } from '@/components/ui/button.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { Dialog } from '@/components/ui/dialog.tsx';
import { DialogActions } from '@/components/ui/dialog-actions.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { FormError } from '@/components/ui/form-error.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { TextField } from '@/components/ui/text-field.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { signedInUserId } from '@/lib/viewer.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import {
  callShopifyConnect,
  ConnectError,
  connectionsOptions,
  deliveryHealthOptions,
  EXPECTED_WEBHOOKS,
  importErrorsCsv,
  importsOptions,
  integrationKeys,
  type ShopConnection,
  type ShopImport,
} from '../api/shopify.ts';
import { useIntegrationsRealtime } from '../hooks/use-integrations-realtime.ts';
import { rememberShops } from '../utils/known-shops.ts';

import styles from './integrations.module.css';

/** The translated sentence for a refusal of shopify-connect (Shopify's own reason kept as detail). */
function useErrorText() {
  const { t } = useTranslation('integrations');
  return (error: unknown) => {
    if (error instanceof ConnectError) {
      if (error.code === 'invalid_request') return t('errors.invalid_request', { detail: error.message });
      if (error.code === 'forbidden' || error.code === 'upstream_error' || error.code === 'not_found')
        return t(`errors.${error.code}`);
    }
    return t('errors.generic');
  };
}

/**
 * Settings → Integrations (admins): the connected Shopify stores with their credentials' state
 * and webhooks, and the form that connects another. Everything it does goes through the
 * shopify-connect function; the database refuses anyone but an admin.
 */
export function IntegrationsSettings() {
  const { t } = useTranslation('integrations');
  const connections = useQuery(connectionsOptions());
  useIntegrationsRealtime();
  // Next visit, the route asks for these stores' delivery health at once (routes/settings.tsx).
  useEffect(() => {
    const userId = signedInUserId();
    if (connections.data && userId)
      rememberShops(
        userId,
        connections.data.map((connection) => connection.shop_id),
      );
  }, [connections.data]);
  return (
    <section className="settings-section" aria-labelledby="integrations-heading">
      <h2 id="integrations-heading">{t('heading')}</h2>
      <p className="muted">{t('intro')}</p>
      {connections.isError ? (
        <ErrorState description={t('loadFailed')} onRetry={() => void connections.refetch()} />
      ) : !connections.data ? (
        <Skeleton lines={3} label={t('loading')} />
      ) : connections.data.length === 0 ? (
        <EmptyState icon={Store} headingLevel={3} title={t('empty.title')} description={t('empty.description')} />
      ) : (
        <ul className={styles.list} aria-label={t('heading')}>
          {connections.data.map((connection) => (
            <ConnectedShop key={connection.shop_id} connection={connection} />
          ))}
        </ul>
      )}
      <ConnectForm />
    </section>
  );
}

function ImportProgress({ shopId }: { shopId: string }) {
  const { t } = useTranslation('integrations');
  const zoneAndLanguage = useZoneAndLanguage();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const imports = useQuery({
    ...importsOptions(),
    // Realtime brings changes; while an import runs, a slow poll also covers a lost channel.
    refetchInterval: (query) => (query.state.data?.some((row) => row.status === 'running') ? 5000 : false),
  });
  const latest: ShopImport | undefined = imports.data?.find((row) => row.shop_id === shopId);
  const reconciled = imports.data?.find(
    (row) => row.shop_id === shopId && row.kind === 'reconcile' && row.status === 'completed',
  );
  const start = useMutation({
    mutationFn: () => callShopifyConnect({ action: 'import', shop_id: shopId }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: integrationKeys.connections }),
    onError: (error) => toast.error(errorText(error)),
  });
  const download = async (importId: string) => {
    const csv = await importErrorsCsv(importId);
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `shopify-import-errors-${importId}.csv`;
    link.click();
    URL.revokeObjectURL(url);
  };
  if (!latest)
    return (
      <p className="muted">
        {t('import.none')}{' '}
        <Button
          variant="secondary"
          pending={start.isPending}
          pendingLabel={t('import.starting')}
          onClick={() => start.mutate()}
        >
          {t('import.start')}
        </Button>
      </p>
    );
  const total = latest.rows_total ?? 0;
  const elapsed = Math.max(1, (Date.parse(latest.updated_at) - Date.parse(latest.started_at)) / 1000);
  const rate = latest.rows_done / elapsed;
  const eta = rate > 0 && total > latest.rows_done ? Math.ceil((total - latest.rows_done) / rate) : null;
  return (
    <div className={styles.import} aria-live="polite">
      <p>
        <strong>
          {latest.kind === 'reconcile'
            ? t(`import.reconcileStatus.${latest.status}`)
            : t(`import.status.${latest.status}`)}
        </strong>
        {latest.status === 'running' ? ` — ${t(`import.phase.${latest.phase}`)}` : null}
        {latest.finished_at ? (
          <span className="muted"> ({formatDateTime(latest.finished_at, zoneAndLanguage)})</span>
        ) : null}
      </p>
      <progress
        max={Math.max(total, 1)}
        value={Math.min(latest.rows_done, Math.max(total, 1))}
        aria-label={t('import.progressLabel')}
      />
      <p className="muted">
        {t('import.counts', { done: latest.rows_done, total: total || '…' })}
        {latest.status === 'running' ? ` · ${t('import.rate', { rate: Math.round(rate) })}` : null}
        {latest.status === 'running' && eta !== null ? ` · ${t('import.eta', { seconds: eta })}` : null}
      </p>
      {latest.last_error ? <p className={styles.problem}>{latest.last_error}</p> : null}
      <p className="muted">
        {reconciled?.finished_at
          ? t('import.reconciled', {
              when: formatDateTime(reconciled.finished_at, zoneAndLanguage),
              count: reconciled.rows_fixed,
            })
          : t('import.notReconciled')}
      </p>
      <div className={styles.actions}>
        {latest.rows_failed > 0 ? (
          <Button variant="secondary" onClick={() => void download(latest.id)}>
            {t('import.downloadErrors', { count: latest.rows_failed })}
          </Button>
        ) : null}
        {latest.status !== 'running' ? (
          <Button
            variant="secondary"
            pending={start.isPending}
            pendingLabel={t('import.starting')}
            onClick={() => start.mutate()}
          >
            {t('import.again')}
          </Button>
        ) : null}
      </div>
    </div>
  );
}

function DeliveryHealthFacts({ shopId }: { shopId: string }) {
  const { t } = useTranslation('integrations');
  const zoneAndLanguage = useZoneAndLanguage();
  // Live: the `deliveries` broadcast (useIntegrationsRealtime) refetches it; no polling.
  const health = useQuery(deliveryHealthOptions(shopId));
  if (!health.data) return null;
  const data = health.data;
  return (
    <>
      <dt>{t('health.lastDelivery')}</dt>
      <dd>{data.last_received_at ? formatDateTime(data.last_received_at, zoneAndLanguage) : t('health.never')}</dd>
      <dt>{t('health.last24h')}</dt>
      <dd>{t('health.outcomes', { applied: data.applied, ignored: data.ignored, failed: data.failed })}</dd>
      {data.next_retry_at ? (
        <>
          <dt>{t('health.waitingRetry')}</dt>
          <dd className={styles.problem}>
            {t('health.waitingRetryValue', {
              count: data.waiting_retry,
              time: formatDateTime(data.next_retry_at, zoneAndLanguage),
            })}
          </dd>
        </>
      ) : null}
    </>
  );
}

function ConnectedShop({ connection }: { connection: ShopConnection }) {
  const { t } = useTranslation('integrations');
  const zoneAndLanguage = useZoneAndLanguage();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const [rotating, setRotating] = useState(false);
  // When the panel was rendered first: enough to tell whether a grace period is still running.
  const [now] = useState(() => Date.now());
  const refresh = () => queryClient.invalidateQueries({ queryKey: integrationKeys.connections });
  const name = connection.shop?.name ?? connection.shop?.domain ?? '';

  const repair = useMutation({
    mutationFn: () =>
      callShopifyConnect<{ registered: number; expected: number }>({ action: 'repair', shop_id: connection.shop_id }),
    onSuccess: (result) => {
      toast.success(t('shop.repaired', { registered: result.registered, expected: result.expected }));
      void refresh();
    },
    onError: (error) => toast.error(errorText(error)),
  });
  const disconnect = useMutation({
    mutationFn: () => callShopifyConnect({ action: 'disconnect', shop_id: connection.shop_id }),
    onSuccess: () => {
      setConfirming(false);
      toast.success(t('shop.disconnected', { name }));
      void refresh();
    },
    onError: (error) => toast.error(errorText(error)),
  });

  const registered = Object.keys(connection.webhooks ?? {}).length;
  const when = (iso: string) => formatDateTime(iso, zoneAndLanguage);
  const imports = useQuery(importsOptions());
  const latest = imports.data?.find((row) => row.shop_id === connection.shop_id);
  const healthy =
    registered >= EXPECTED_WEBHOOKS &&
    !connection.token_error &&
    latest?.status === 'completed' &&
    latest.rows_failed === 0;
  return (
    <li className={styles.shop}>
      <div className={styles.shopHeader}>
        <h3>{name}</h3>
        <span className="muted">{connection.shop?.domain}</span>
        <span className={`pill ${healthy ? styles.healthy : styles.attention}`} role="status">
          {healthy ? t('health.healthy') : t('health.attention')}
        </span>
      </div>
      <dl className={styles.facts}>
        <dt>{t('shop.signIn')}</dt>
        <dd>
          {connection.auth_kind === 'client_credentials'
            ? t('shop.authApp', { clientId: connection.client_id })
            : t('shop.authLegacy')}
        </dd>
        <dt>{t('shop.secretLabel')}</dt>
        <dd>
          <code>••••{connection.secret_last4}</code>
          {connection.previous_secret_valid_until && Date.parse(connection.previous_secret_valid_until) > now ? (
            <span className="muted"> — {t('shop.grace', { when: when(connection.previous_secret_valid_until) })}</span>
          ) : null}
        </dd>
        <dt>{t('shop.tokenLabel')}</dt>
        <dd>
          <code>••••{connection.token_last4}</code>{' '}
          {connection.token_error ? (
            <span className={styles.problem} role="status">
              {t('shop.tokenError', { when: when(connection.token_error_at ?? ''), error: connection.token_error })}
            </span>
          ) : connection.token_expires_at ? (
            <span className="muted">{t('shop.tokenExpires', { when: when(connection.token_expires_at) })}</span>
          ) : (
            <span className="muted">{t('shop.tokenNeverExpires')}</span>
          )}
        </dd>
        <dt>{t('shop.webhooksLabel')}</dt>
        <dd className={registered >= EXPECTED_WEBHOOKS ? styles.ok : styles.problem}>
          {registered >= EXPECTED_WEBHOOKS
            ? t('shop.webhooksOk', { expected: EXPECTED_WEBHOOKS })
            : t('shop.webhooksMissing', { registered, expected: EXPECTED_WEBHOOKS })}
        </dd>
        <DeliveryHealthFacts shopId={connection.shop_id} />
      </dl>
      <ImportProgress shopId={connection.shop_id} />
      <div className={styles.actions}>
        <Button
          variant="secondary"
          pending={repair.isPending}
          pendingLabel={t('shop.repairing')}
          onClick={() => repair.mutate()}
        >
          {t('shop.repair')}
        </Button>
        <Button variant="secondary" onClick={() => setRotating(true)}>
          {t('shop.rotate')}
        </Button>
        <Button variant="secondary" className="button-danger" onClick={() => setConfirming(true)}>
          {t('shop.disconnect')}
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={t('shop.confirmDisconnect.title', { name })}
        description={t('shop.confirmDisconnect.description')}
        confirmLabel={t('shop.disconnect')}
        pending={disconnect.isPending}
        pendingLabel={t('shop.disconnecting')}
        onCancel={() => setConfirming(false)}
        onConfirm={() => disconnect.mutate()}
      />
      {rotating ? <RotateDialog connection={connection} onClose={() => setRotating(false)} /> : null}
    </li>
  );
}

const secretField = z.string().check(z.minLength(16, 'validation.secret'), z.maxLength(500, 'validation.secret'));
const rotateSchema = z.object({ secret: secretField });

function RotateDialog({ connection, onClose }: { connection: ShopConnection; onClose: () => void }) {
  const { t } = useTranslation('integrations');
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<z.infer<typeof rotateSchema>>({ resolver: zodResolver(rotateSchema), defaultValues: { secret: '' } });
  const onSubmit = handleSubmit(async ({ secret }) => {
    setFailure(null);
    try {
      await callShopifyConnect({ action: 'rotate', shop_id: connection.shop_id, client_secret: secret });
      toast.success(t('rotate.rotated'));
      void queryClient.invalidateQueries({ queryKey: integrationKeys.connections });
      onClose();
    } catch (error) {
      setFailure(errorText(error));
    }
  });
  return (
    <Dialog
      open
      onOpenChange={(open) => (open ? undefined : onClose())}
      title={t('rotate.title')}
      description={t('rotate.description')}
    >
      <form noValidate onSubmit={onSubmit}>
        <TextField
          label={t('rotate.secret')}
          type="password"
          autoComplete="off"
          error={errors.secret?.message ? t(errors.secret.message) : undefined}
          {...register('secret')}
        />
        <FormError message={failure} />
        <DialogActions onCancel={onClose}>
          <Button type="submit" pending={isSubmitting} pendingLabel={t('rotate.rotating')}>
            {t('rotate.submit')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

const DOMAIN = /^(https?:\/\/)?[a-z0-9][a-z0-9-]{0,60}(\.myshopify\.com)?\/?$/i;
const connectSchema = z
  .object({
    method: z.enum(['app', 'legacy']),
    domain: z.string().check(z.regex(DOMAIN, 'validation.domain')),
    clientId: z.string().check(z.maxLength(200)),
    clientSecret: secretField,
    accessToken: z.string().check(z.maxLength(500)),
  })
  .check(
    z.refine((value) => value.method !== 'app' || value.clientId.trim() !== '', {
      path: ['clientId'],
      message: 'validation.clientId',
    }),
    z.refine((value) => value.method !== 'legacy' || /^shpat_\S{8,}$/.test(value.accessToken), {
      path: ['accessToken'],
      message: 'validation.token',
    }),
  );
type ConnectInput = z.infer<typeof connectSchema>;

function ConnectForm() {
  const { t } = useTranslation('integrations');
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    reset,
    control,
    formState: { errors, isSubmitting },
  } = useForm<ConnectInput>({
    resolver: zodResolver(connectSchema),
    defaultValues: { method: 'app', domain: '', clientId: '', clientSecret: '', accessToken: '' },
  });
  const method = useWatch({ control, name: 'method' });
  const message = (key?: string) => (key ? t(key) : undefined);

  const onSubmit = handleSubmit(async (values) => {
    setFailure(null);
    try {
      const result = await callShopifyConnect<{
        name: string;
        webhooks: { registered: number; expected: number };
      }>({
        action: 'connect',
        domain: values.domain,
        client_secret: values.clientSecret,
        ...(values.method === 'app' ? { client_id: values.clientId } : { access_token: values.accessToken }),
      });
      toast.success(
        t('connect.connected', {
          name: result.name,
          registered: result.webhooks.registered,
          expected: result.webhooks.expected,
        }),
      );
      reset();
      void queryClient.invalidateQueries({ queryKey: integrationKeys.connections });
    } catch (error) {
      setFailure(errorText(error));
    }
  });

  return (
    <form className="settings-form" aria-labelledby="connect-heading" noValidate onSubmit={onSubmit}>
      <h3 id="connect-heading">{t('connect.heading')}</h3>
      <p className="field-help">{t('connect.help')}</p>
      <fieldset className={styles.methods}>
        <legend>{t('connect.method')}</legend>
        {(['app', 'legacy'] as const).map((option) => (
          <label key={option}>
            <input type="radio" value={option} {...register('method')} />
            <span>{t(`connect.methods.${option}`)}</span>
          </label>
        ))}
      </fieldset>
      <TextField
        label={t('connect.domain')}
        placeholder="your-store.myshopify.com"
        autoComplete="off"
        error={message(errors.domain?.message)}
        {...register('domain')}
      />
      {method === 'app' ? (
        <TextField
          label={t('connect.clientId')}
          autoComplete="off"
          error={message(errors.clientId?.message)}
          {...register('clientId')}
        />
      ) : (
        <TextField
          label={t('connect.accessToken')}
          type="password"
          autoComplete="off"
          error={message(errors.accessToken?.message)}
          {...register('accessToken')}
        />
      )}
      <TextField
        label={method === 'app' ? t('connect.clientSecret') : t('connect.apiSecret')}
        type="password"
        autoComplete="off"
        error={message(errors.clientSecret?.message)}
        {...register('clientSecret')}
      />
      <FormError message={failure} />
      <div className="form-actions">
        <Button type="submit" pending={isSubmitting} pendingLabel={t('connect.connecting')}>
          {t('connect.submit')}
        </Button>
      </div>
    </form>
  );
}
