import { useTranslation } from 'react-i18next';

import { formatMoney, formatNumber } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { Customer } from '../api/customer.ts';
import { displayName } from '../utils/display.ts';
import { LocalTime } from './local-time.tsx';

export interface CustomerHeaderProps {
  customer: Customer;
  /** Undefined until workspace_settings arrives; the figures wait, the name does not. */
  baseCurrency: string | undefined;
}

/** Name, status, stage, owner, the figures in the base currency and the customer's local time. */
export function CustomerHeader({ customer, baseCurrency }: CustomerHeaderProps) {
  const { t } = useTranslation('customer');
  const { language } = useZoneAndLanguage();
  const name = displayName(customer) ?? t('unnamed');
  const money = (amount: number | null) => (baseCurrency ? formatMoney(amount ?? 0, baseCurrency, language) : '…');
  return (
    <div className="c360-header-main">
      <h1 className="c360-name">{name}</h1>
      <div className="c360-badges">
        <span className={`c360-badge c360-status-${customer.status}`}>{t(`status.${customer.status}`)}</span>
        <span className="c360-badge">
          {t(`stages.${customer.lifecycle_stage}`, { defaultValue: customer.stage?.label ?? customer.lifecycle_stage })}
        </span>
      </div>
      <dl className="c360-facts">
        <div>
          <dt>{t('header.owner')}</dt>
          <dd>{customer.owner?.full_name ?? t('header.noOwner')}</dd>
        </div>
        <div>
          <dt>{t('header.localTime')}</dt>
          <dd>
            <LocalTime timeZone={customer.timezone} />
          </dd>
        </div>
      </dl>
      <div role="group" aria-label={t('header.figures')}>
        <dl className="c360-figures">
          <div>
            <dt>{t('header.lifetimeValue')}</dt>
            <dd>{money(customer.lifetime_value)}</dd>
          </div>
          <div>
            <dt>{t('header.orders')}</dt>
            <dd>{formatNumber(customer.order_count, language)}</dd>
          </div>
          <div>
            <dt>{t('header.averageOrderValue')}</dt>
            <dd>{money(customer.average_order_value)}</dd>
          </div>
        </dl>
      </div>
    </div>
  );
}
