import { GripVertical, ListPlus } from 'lucide-react';
import { memo, type KeyboardEvent } from 'react';
import type { TFunction } from 'i18next';

import { formatMoney, formatPercent } from '@/lib/format.ts';
import { formatDate } from '@/lib/dates.ts';
import type { Language } from '@/lib/i18n.ts';

import type { Deal } from '../api/pipeline.ts';
import { daysInStage } from '../utils/board.ts';
import styles from './pipeline.module.css';

/** What a card asks of its board; the board hands over one object that never changes. */
export interface CardActions {
  keyDown(event: KeyboardEvent<HTMLButtonElement>, deal: Deal): void;
  handleBlur(deal: Deal): void;
  dragStart(dealId: string): void;
  dragEnd(): void;
  open(deal: Deal): void;
  addTask(deal: Deal): void;
  registerHandle(dealId: string, element: HTMLButtonElement | null): void;
}

export interface DealCardProps {
  deal: Deal;
  ownerName: string;
  baseCurrency: string | undefined;
  timeZone: string;
  language: Language;
  movable: boolean;
  carried: boolean;
  /** Another card is being carried by keyboard: this one is not draggable meanwhile. */
  carrying: boolean;
  dragging: boolean;
  refusal: string | undefined;
  mayAddTask: boolean;
  instructionsId: string;
  actions: CardActions;
  /** The board's `pipeline` strings: one subscription to the language for the board, not one per card. */
  t: TFunction<'pipeline'>;
}

/**
 * One deal on the board. Memoised: the board renders again as each of its queries arrives and on
 * every keyboard step, and a card whose props did not change is not rendered again.
 */
export const DealCard = memo(function DealCard({
  deal,
  ownerName,
  baseCurrency,
  timeZone,
  language,
  movable,
  carried,
  carrying,
  dragging,
  refusal,
  mayAddTask,
  instructionsId,
  actions,
  t,
}: DealCardProps) {
  return (
    <li
      data-deal-id={deal.id}
      className={[styles.card, carried ? styles.carried : '', dragging ? styles.dragging : '']
        .filter(Boolean)
        .join(' ')}
      draggable={movable && !carrying}
      onDragStart={(event) => {
        event.dataTransfer.setData('text/plain', deal.id);
        event.dataTransfer.effectAllowed = 'move';
        actions.dragStart(deal.id);
      }}
      onDragEnd={() => actions.dragEnd()}
    >
      <div className={styles.cardTop}>
        {movable ? (
          <button
            type="button"
            ref={(element) => actions.registerHandle(deal.id, element)}
            className={`icon-button ${styles.handle}`}
            aria-label={t('board.move', { title: deal.title })}
            aria-describedby={instructionsId}
            aria-pressed={carried}
            onKeyDown={(event) => actions.keyDown(event, deal)}
            onBlur={() => actions.handleBlur(deal)}
          >
            <GripVertical aria-hidden="true" size={16} />
          </button>
        ) : null}
        <button type="button" className={styles.cardTitle} onClick={() => actions.open(deal)}>
          {deal.title}
        </button>
        {mayAddTask ? (
          <button
            type="button"
            className={`icon-button ${styles.addTask}`}
            aria-label={t('card.addTask', { title: deal.title })}
            title={t('card.addTask', { title: deal.title })}
            onClick={() => actions.addTask(deal)}
          >
            <ListPlus aria-hidden="true" size={16} />
          </button>
        ) : null}
      </div>
      <p className={styles.cardCustomer}>{deal.customer?.full_name ?? deal.customer?.email ?? '—'}</p>
      <p className={styles.cardAmount}>
        {formatMoney(deal.amount, deal.currency, language)}
        {baseCurrency && deal.currency !== baseCurrency && deal.amount_base !== null ? (
          <span className={styles.muted}> ≈ {formatMoney(deal.amount_base, baseCurrency, language)}</span>
        ) : null}
      </p>
      <p className={styles.cardMeta}>
        <span>{formatPercent(deal.probability / 100, language)}</span>
        {deal.expected_close ? (
          <span>
            {t('card.closes', { date: formatDate(`${deal.expected_close}T12:00:00Z`, { timeZone, language }) })}
          </span>
        ) : null}
        <span>{t('card.daysInStage', { count: daysInStage(deal.stage_entered_at) })}</span>
      </p>
      <p className={styles.cardMeta}>{ownerName}</p>
      {refusal ? (
        <p className={styles.refusal} role="alert">
          {t('card.refused', { message: refusal })}
        </p>
      ) : null}
    </li>
  );
});
