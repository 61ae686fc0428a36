import { Handshake } from 'lucide-react';
import { useTranslation } from 'react-i18next';

import { EmptyState } from '@/components/ui/empty-state.tsx';
import { Table } from '@/components/ui/table.tsx';
import { formatDate } from '@/lib/dates.ts';
import { formatMoney, formatPercent } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { Deal, DealStage } from '../api/pipeline.ts';
import { localName } from '../utils/board.ts';
import styles from './pipeline.module.css';

export interface DealsListProps {
  deals: Deal[];
  stages: DealStage[];
  baseCurrency: string | undefined;
  ownerName: (ownerId: string | null) => string;
  onOpen: (deal: Deal) => void;
  showCustomer?: boolean;
}

/** The same deals as a table: stage order, then board order. */
export function DealsList({ deals, stages, baseCurrency, ownerName, onOpen, showCustomer = true }: DealsListProps) {
  const { t } = useTranslation('pipeline');
  const zone = useZoneAndLanguage();
  if (deals.length === 0) {
    return <EmptyState icon={Handshake} title={t('list.emptyTitle')} description={t('list.emptyDescription')} />;
  }
  const stageOf = (id: string) => stages.find((stage) => stage.id === id);
  const order = (deal: Deal) => stageOf(deal.stage_id)?.position ?? 0;
  const sorted = [...deals].sort((a, b) => order(a) - order(b) || a.position - b.position || a.id.localeCompare(b.id));
  return (
    <Table
      className={styles.table}
      caption={t('list.caption')}
      columns={[
        { label: t('list.title') },
        showCustomer ? { label: t('list.customer') } : null,
        { label: t('list.stage') },
        { label: t('list.amount') },
        { label: t('list.probability') },
        { label: t('list.expectedClose') },
        { label: t('list.owner') },
      ]}
    >
      {sorted.map((deal) => {
        const stage = stageOf(deal.stage_id);
        return (
          <tr key={deal.id}>
            <td>
              <button type="button" className={styles.linkButton} onClick={() => onOpen(deal)}>
                {deal.title}
              </button>
            </td>
            {showCustomer ? <td>{deal.customer?.full_name ?? deal.customer?.email ?? '—'}</td> : null}
            <td>{stage ? localName(stage, zone.language) : '—'}</td>
            <td>
              {formatMoney(deal.amount, deal.currency, zone.language)}
              {baseCurrency && deal.currency !== baseCurrency && deal.amount_base !== null
                ? ` (${formatMoney(deal.amount_base, baseCurrency, zone.language)})`
                : ''}
            </td>
            <td>{formatPercent(deal.probability / 100, zone.language)}</td>
            <td>{deal.expected_close ? formatDate(`${deal.expected_close}T12:00:00Z`, zone) : '—'}</td>
            <td>{ownerName(deal.owner_id)}</td>
          </tr>
        );
      })}
    </Table>
  );
}
