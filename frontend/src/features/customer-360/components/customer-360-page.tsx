import { ArrowLeft, CheckSquare, Phone, StickyNote, UserX } from 'lucide-react';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Tabs } from '@/components/ui/tabs.tsx';
import { can, seesAllCustomers } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import { useCustomerRealtime } from '../hooks/use-customer-realtime.ts';
import { useBaseCurrency, useCustomer } from '../hooks/use-customer.ts';
import type { ActivityKind } from '../schemas/activity.ts';
import { displayName } from '../utils/display.ts';
import { ActivityDialog } from './activity-dialog.tsx';
import { CustomerHeader } from './customer-header.tsx';
import { Customer360Skeleton } from './customer-360-skeleton.tsx';
import { FavouritesPanel } from './favourites-panel.tsx';
import { OverviewPanel } from './overview-panel.tsx';
import { TagEditor } from './tag-editor.tsx';
import { TimelinePanel } from './timeline-panel.tsx';
import './customer-360.css';

export const CUSTOMER_TABS = ['overview', 'orders', 'timeline', 'messages', 'deals', 'favourites'] as const;
export type CustomerTab = (typeof CUSTOMER_TABS)[number];

const isTab = (value: string | null): value is CustomerTab => CUSTOMER_TABS.includes(value as CustomerTab);

export interface Customer360PageProps {
  customerId: string;
  /** The Orders tab's content, composed by the route from the orders feature. */
  orders: ReactNode;
  /** Query keys of `orders`, refreshed with the rest of the page when this customer changes. */
  ordersQueryKeys?: readonly (readonly unknown[])[];
  /** The Messages tab (its label and content), composed by the route from the conversations feature. */
  messages?: { label: string; panel: ReactNode };
  /** The Deals tab (issue 15), composed by the route from the pipeline feature: its label and content. */
  deals?: { label: string; render: (customer: { id: string; name: string; ownerId: string | null }) => ReactNode };
}

/** Customer 360: who they are, what they bought, everything that happened, what they love. */
export function Customer360Page({ customerId, orders, ordersQueryKeys = [], messages, deals }: Customer360PageProps) {
  const { t } = useTranslation('customer');
  const viewer = useViewer();
  const customer = useCustomer(customerId);
  const baseCurrency = useBaseCurrency();
  const [searchParams, setSearchParams] = useSearchParams();
  const [activityKind, setActivityKind] = useState<ActivityKind | null>(null);
  useCustomerRealtime(customerId, ordersQueryKeys);

  const requested = searchParams.get('tab');
  const tab: CustomerTab = isTab(requested) && (requested !== 'messages' || messages) ? requested : 'overview';
  const selectTab = (next: CustomerTab) =>
    setSearchParams(
      (params) => {
        const updated = new URLSearchParams(params);
        if (next === 'overview') updated.delete('tab');
        else updated.set('tab', next);
        return updated;
      },
      // A tab is a view of the same page: switching tabs should not fill the Back history.
      { replace: true },
    );

  const name = customer.data ? (displayName(customer.data) ?? t('unnamed')) : null;
  useEffect(() => {
    document.title = `${name ?? t('title')} · Cairn`;
  }, [name, t]);

  const back = (
    <Link to="/customers" className="back-link">
      <ArrowLeft aria-hidden="true" size={16} />
      {t('backToCustomers')}
    </Link>
  );

  if (customer.isPending) return <Customer360Skeleton />;
  if (customer.isError) {
    return (
      <>
        {back}
        <h1 className="page-title">{t('title')}</h1>
        <ErrorState description={t('loadFailed')} onRetry={() => void customer.refetch()} />
      </>
    );
  }
  if (!customer.data) {
    // RLS answers "no such row" both for a customer that does not exist and for one this member
    // may not see; the page says both plainly rather than guessing which.
    return (
      <>
        {back}
        <h1 className="page-title">{t('notFound.title')}</h1>
        <EmptyState
          icon={UserX}
          title={t('notFound.heading')}
          description={!seesAllCustomers(viewer.role) ? t('notFound.agentDescription') : t('notFound.description')}
          action={
            <Link to="/customers" className="button button-secondary">
              {t('backToCustomers')}
            </Link>
          }
        />
      </>
    );
  }

  const data = customer.data;
  const mayWork = can(viewer, 'editCustomers', { ownerId: data.owner_id });
  const tags = data.customer_tags.flatMap((entry) => (entry.tag ? [entry.tag] : []));
  return (
    <div className="c360">
      {back}
      <header className="c360-header">
        <CustomerHeader customer={data} baseCurrency={baseCurrency.data} />
        {mayWork ? (
          <div className="c360-actions" role="group" aria-label={t('actions.label')}>
            <Button variant="secondary" onClick={() => setActivityKind('note')}>
              <StickyNote aria-hidden="true" size={16} />
              {t('actions.addNote')}
            </Button>
            <Button variant="secondary" onClick={() => setActivityKind('call')}>
              <Phone aria-hidden="true" size={16} />
              {t('actions.logCall')}
            </Button>
            <Button variant="secondary" onClick={() => setActivityKind('task')}>
              <CheckSquare aria-hidden="true" size={16} />
              {t('actions.createTask')}
            </Button>
          </div>
        ) : null}
      </header>
      <Tabs
        label={t('tabs.label')}
        tabs={CUSTOMER_TABS.flatMap((id): Array<{ id: CustomerTab; label: string }> => {
          if (id === 'messages') return messages ? [{ id, label: messages.label }] : [];
          if (id === 'deals') return deals ? [{ id, label: deals.label }] : [];
          return [{ id, label: t(`tabs.${id}`) }];
        })}
        selected={tab}
        onSelect={selectTab}
      >
        {tab === 'overview' ? (
          <OverviewPanel
            customer={data}
            tagEditor={
              <TagEditor
                customerId={data.id}
                tags={tags}
                canEdit={can(viewer, 'tagCustomers', { ownerId: data.owner_id })}
                canCreate={mayWork && can(viewer, 'createTags')}
              />
            }
          />
        ) : null}
        {tab === 'orders' ? orders : null}
        {tab === 'deals' && deals
          ? deals.render({ id: data.id, name: data.full_name ?? data.email ?? '', ownerId: data.owner_id })
          : null}
        {tab === 'timeline' ? <TimelinePanel customerId={data.id} /> : null}
        {tab === 'messages' ? messages?.panel : null}
        {tab === 'favourites' ? <FavouritesPanel customerId={data.id} /> : null}
      </Tabs>
      {mayWork ? (
        <ActivityDialog customerId={data.id} kind={activityKind} onClose={() => setActivityKind(null)} />
      ) : null}
    </div>
  );
}
