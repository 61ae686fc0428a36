import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import type { CustomFieldDefinition } from '@/api/custom-fields.ts';
import { ChipList } from '@/components/tag-chip.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { formatDate } from '@/lib/dates.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import type { Json } from '@/types/database.types.ts';
import { Card } from '@/components/card.tsx';

import type { Customer } from '../api/customer.ts';
import { useConsents, useCustomFieldDefinitions } from '../hooks/use-customer.ts';
import { displayNameOf } from '@/lib/format.ts';

/** Contact details, where they live, how to speak to them, custom fields, consent and tastes. */
export function OverviewPanel({ customer, tagEditor }: { customer: Customer; tagEditor: ReactNode }) {
  const { t } = useTranslation('customer');
  const { language } = useZoneAndLanguage();
  const location = [customer.city, customer.region, displayNameOf('region', customer.country, language)]
    .filter(Boolean)
    .join(', ');
  return (
    <div className="c360-overview">
      <Card title={t('overview.contact')}>
        <dl className="c360-details">
          <Detail label={t('overview.email')}>
            {customer.email ? <a href={`mailto:${customer.email}`}>{customer.email}</a> : null}
          </Detail>
          <Detail label={t('overview.phone')}>
            {customer.phone ? <a href={`tel:${customer.phone}`}>{customer.phone}</a> : null}
          </Detail>
          <Detail label={t('overview.company')}>{customer.company}</Detail>
          <Detail label={t('overview.location')}>{location || null}</Detail>
          <Detail label={t('overview.postalCode')}>{customer.postal_code}</Detail>
          <Detail label={t('overview.language')}>{displayNameOf('language', customer.language, language)}</Detail>
          <Detail label={t('overview.currency')}>{displayNameOf('currency', customer.currency, language)}</Detail>
          <Detail label={t('overview.source')}>
            {t(`sources.${customer.source}`, { defaultValue: customer.source })}
          </Detail>
        </dl>
      </Card>
      <Card title={t('overview.tags')}>{tagEditor}</Card>
      <Card title={t('overview.tastes')}>
        <dl className="c360-details">
          <Detail label={t('overview.styleInterests')}>
            {customer.style_interests.length ? <Chips values={customer.style_interests} /> : null}
          </Detail>
          <Detail label={t('overview.favouriteBrands')}>
            {customer.favourite_brands.length ? <Chips values={customer.favourite_brands} /> : null}
          </Detail>
        </dl>
      </Card>
      <ConsentCard customerId={customer.id} />
      <CustomFieldsCard values={customer.custom_fields} />
    </div>
  );
}

/** A label and its value; an empty value says "Not given" instead of leaving a hole. */
function Detail({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useTranslation('customer');
  const empty = children === null || children === undefined || children === '';
  return (
    <div>
      <dt>{label}</dt>
      <dd className={empty ? 'c360-muted' : undefined}>{empty ? t('overview.notGiven') : children}</dd>
    </div>
  );
}

function Chips({ values }: { values: string[] }) {
  return (
    <ChipList>
      {values.map((value) => (
        <li key={value} className="chip">
          {value}
        </li>
      ))}
    </ChipList>
  );
}

function ConsentCard({ customerId }: { customerId: string }) {
  const { t } = useTranslation('customer');
  const zone = useZoneAndLanguage();
  const consents = useConsents(customerId);
  return (
    <Card title={t('consent.title')}>
      {consents.isPending ? <Skeleton lines={2} /> : null}
      {consents.isError ? <p className="form-error">{t('consent.loadFailed')}</p> : null}
      {consents.data?.length === 0 ? <p className="c360-muted">{t('consent.none')}</p> : null}
      {consents.data?.length ? (
        <ul className="consent-list">
          {consents.data.map((consent) => (
            <li key={`${consent.channel}-${consent.purpose}`}>
              <span>
                <span className="c360-strong">
                  {t(`consent.purposes.${consent.purpose ?? ''}`, { defaultValue: consent.purpose ?? '' })}
                </span>
                {' · '}
                {t(`consent.channels.${consent.channel ?? ''}`, { defaultValue: consent.channel ?? '' })}
              </span>
              <span className={consent.granted ? 'consent-granted' : 'consent-withdrawn'}>
                {consent.granted ? t('consent.granted') : t('consent.withdrawn')}
              </span>
              {consent.since ? (
                <time className="c360-muted consent-since" dateTime={consent.since}>
                  {t('consent.sinceDate', { date: formatDate(consent.since, zone) })}
                </time>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

function CustomFieldsCard({ values }: { values: Json }) {
  const { t } = useTranslation('customer');
  const zone = useZoneAndLanguage();
  const definitions = useCustomFieldDefinitions();
  const stored = values && typeof values === 'object' && !Array.isArray(values) ? values : {};
  const shown = (definitions.data ?? []).filter((definition) => stored[definition.key] != null);
  return (
    <Card title={t('overview.customFields')}>
      {definitions.isPending ? <Skeleton lines={2} /> : null}
      {definitions.isSuccess && shown.length === 0 ? (
        <p className="c360-muted">{t('overview.noCustomFields')}</p>
      ) : null}
      {shown.length ? (
        <dl className="c360-details">
          {shown.map((definition) => (
            <Detail key={definition.key} label={definition.label}>
              {customFieldText(definition, stored[definition.key], zone, t)}
            </Detail>
          ))}
        </dl>
      ) : null}
    </Card>
  );
}

function customFieldText(
  definition: CustomFieldDefinition,
  value: Json | undefined,
  zone: ReturnType<typeof useZoneAndLanguage>,
  t: (key: string) => string,
): ReactNode {
  if (value === null || value === undefined) return null;
  if (definition.type === 'boolean') return value ? t('overview.yes') : t('overview.no');
  // A date-only value: shown as that calendar day, whatever the viewer's zone.
  if (definition.type === 'date' && typeof value === 'string')
    return formatDate(`${value}T12:00:00Z`, { ...zone, timeZone: 'UTC' });
  if (definition.type === 'url' && typeof value === 'string')
    return (
      <a href={value} target="_blank" rel="noreferrer">
        {value}
      </a>
    );
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}
