import { Handshake, Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { Button } from '@/components/ui/button.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { LoadingState } from '@/components/ui/loading-state.tsx';
import { can } from '@/lib/permissions.ts';
import { useViewer } from '@/lib/viewer.ts';

import { pipelineKeys, type Deal } from '../api/pipeline.ts';
import { useBaseCurrency, useCustomerDeals, useStages, useTeamNames } from '../hooks/use-pipeline.ts';
import { DealDialog } from './deal-dialog.tsx';
import { DealsList } from './deals-list.tsx';
import styles from './pipeline.module.css';

/** The query keys CustomerDeals reads, so the 360's realtime channel can refresh them. */
export const customerDealsKeys = (customerId: string) => [pipelineKeys.forCustomer(customerId)] as const;

export interface CustomerDealsProps {
  customerId: string;
  customerName: string;
  /** The customer's owner: agents add deals on their own customers only. */
  ownerId: string | null;
}

/** The Deals tab of the customer 360: this customer's deals in every pipeline; add and edit. */
export function CustomerDeals({ customerId, customerName, ownerId }: CustomerDealsProps) {
  const { t } = useTranslation('pipeline');
  const viewer = useViewer();
  const deals = useCustomerDeals(customerId);
  const stages = useStages();
  const team = useTeamNames();
  const baseCurrency = useBaseCurrency();
  const [editing, setEditing] = useState<{ deal: Deal | null } | null>(null);
  if (deals.isPending || stages.isPending) return <LoadingState />;
  if (deals.isError || stages.isError) {
    return <ErrorState description={t('loadFailed')} onRetry={() => void deals.refetch()} />;
  }
  const mayAdd = can(viewer, 'editDeals', { ownerId });
  const ownerName = (id: string | null) =>
    id ? (team.data?.find((member) => member.user_id === id)?.full_name ?? t('card.unknownOwner')) : t('card.noOwner');
  const editingDeal = editing?.deal ?? null;
  const dialogStages = (stages.data ?? []).filter((stage) =>
    editingDeal
      ? stage.pipeline_id === stages.data.find((item) => item.id === editingDeal.stage_id)?.pipeline_id
      : !stage.is_won && !stage.is_lost,
  );
  return (
    <div className={styles.dealsTab}>
      {mayAdd ? (
        <div className={styles.tabActions}>
          <Button onClick={() => setEditing({ deal: null })}>
            <Plus aria-hidden="true" size={16} /> {t('newDeal')}
          </Button>
        </div>
      ) : null}
      {deals.data.length === 0 ? (
        <EmptyState
          icon={Handshake}
          title={t('customer.emptyTitle')}
          description={t('customer.emptyDescription')}
          headingLevel={2}
        />
      ) : (
        <DealsList
          deals={deals.data}
          stages={stages.data}
          baseCurrency={baseCurrency.data}
          ownerName={ownerName}
          onOpen={(deal) => setEditing({ deal })}
          showCustomer={false}
        />
      )}
      <DealDialog
        open={editing !== null}
        deal={editingDeal}
        stages={dialogStages}
        baseCurrency={baseCurrency.data ?? 'EUR'}
        customer={{ id: customerId, label: customerName }}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}
