import { Heart } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { formatDateTime } from '@/lib/dates.ts';
import { formatMoney, formatNumber, formatPercent } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { AlertEntry, Favourite } from '../api/favourites.ts';
import { useAlertHistory, useFavourites } from '../hooks/use-customer.ts';

/** Favourited variants with the price then and now, stock, and the alerts sent about them. */
export function FavouritesPanel({ customerId }: { customerId: string }) {
  const { t } = useTranslation('customer');
  const favourites = useFavourites(customerId);
  const alerts = useAlertHistory(customerId);
  if (favourites.isPending) return <Skeleton lines={4} label={t('favourites.loading')} />;
  if (favourites.isError) return <ErrorState onRetry={() => void favourites.refetch()} />;
  if (favourites.data.length === 0) {
    return (
      <EmptyState icon={Heart} title={t('favourites.emptyTitle')} description={t('favourites.emptyDescription')} />
    );
  }
  const names = new Map(favourites.data.map((favourite) => [favourite.variant?.id, productName(favourite)]));
  return (
    <div className="c360-stack">
      <div className="table-scroll">
        <Table
          className="c360-table"
          caption={t('favourites.caption')}
          columns={[
            { label: t('favourites.product') },
            { label: t('favourites.priceThen'), className: 'numeric' },
            { label: t('favourites.priceNow'), className: 'numeric' },
            { label: t('favourites.stock') },
          ]}
        >
          {favourites.data.map((favourite) => (
            <FavouriteRow key={favourite.id} favourite={favourite} />
          ))}
        </Table>
      </div>
      <AlertHistory entries={alerts.data} pending={alerts.isPending} failed={alerts.isError} names={names} />
    </div>
  );
}

function productName(favourite: Favourite): string {
  const product = favourite.variant?.product?.title ?? '';
  const variant = favourite.variant?.title;
  return variant && variant !== 'Default Title' ? `${product} · ${variant}` : product;
}

function FavouriteRow({ favourite }: { favourite: Favourite }) {
  const { t } = useTranslation('customer');
  const { language } = useZoneAndLanguage();
  const variant = favourite.variant;
  const sameCurrency = variant?.currency === favourite.currency;
  const change =
    variant && sameCurrency && favourite.price_at_favorite > 0
      ? (variant.price - favourite.price_at_favorite) / favourite.price_at_favorite
      : null;
  return (
    <tr>
      <td>
        <span className="c360-strong">{productName(favourite)}</span>
        {variant?.product?.vendor ? <span className="c360-muted"> · {variant.product.vendor}</span> : null}
      </td>
      <td className="numeric">{formatMoney(favourite.price_at_favorite, favourite.currency, language)}</td>
      <td className="numeric">
        {variant ? formatMoney(variant.price, variant.currency, language) : '—'}
        {change !== null && change !== 0 ? (
          <span className={change < 0 ? 'price-down' : 'price-up'}>
            {' '}
            ({change > 0 ? '+' : ''}
            {formatPercent(change, language)})
          </span>
        ) : null}
      </td>
      <td>
        {variant?.inventory_quantity == null
          ? t('favourites.notTracked')
          : variant.inventory_quantity > 0
            ? t('favourites.inStock', { quantity: formatNumber(variant.inventory_quantity, language) })
            : t('favourites.outOfStock')}
      </td>
    </tr>
  );
}

function AlertHistory({
  entries,
  pending,
  failed,
  names,
}: {
  entries: AlertEntry[] | undefined;
  pending: boolean;
  failed: boolean;
  names: Map<string | undefined, string>;
}) {
  const { t } = useTranslation('customer');
  const zone = useZoneAndLanguage();
  return (
    <section aria-labelledby="alert-history-title">
      <h2 id="alert-history-title" className="c360-section-title">
        {t('favourites.alertsTitle')}
      </h2>
      {pending ? <Skeleton lines={2} /> : null}
      {failed ? <p className="form-error">{t('favourites.alertsFailed')}</p> : null}
      {entries?.length === 0 ? <p className="c360-muted">{t('favourites.noAlerts')}</p> : null}
      {entries?.length ? (
        <ul className="c360-alerts">
          {entries.map((entry) => (
            <li key={entry.id}>
              <span className="c360-strong">{t(`alerts.kinds.${entry.kind}`)}</span>
              {' · '}
              {names.get(entry.variant_id ?? undefined) ?? t('favourites.unknownProduct')}
              {entry.kind === 'price_drop' && entry.old_price != null && entry.new_price != null && entry.currency ? (
                <span>
                  {' · '}
                  {formatMoney(entry.old_price, entry.currency, zone.language)} →{' '}
                  {formatMoney(entry.new_price, entry.currency, zone.language)}
                </span>
              ) : null}
              <span className={`alert-state alert-state-${entry.state}`}>{t(`alerts.states.${entry.state}`)}</span>
              <time className="c360-muted" dateTime={entry.created_at}>
                {formatDateTime(entry.created_at, zone)}
              </time>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
