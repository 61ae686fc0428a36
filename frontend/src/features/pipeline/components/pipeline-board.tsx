import {
  startTransition,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import { useTranslation } from 'react-i18next';

import { formatMoney } from '@/lib/format.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import type { Board, Deal, DealStage } from '../api/pipeline.ts';
import {
  applyMove,
  currentTarget,
  keyboardTarget,
  localName,
  placeOf,
  type ColumnTotals,
  type Direction,
  type DropTarget,
} from '../utils/board.ts';
import { DealCard, type CardActions } from './deal-card.tsx';
import styles from './pipeline.module.css';

export interface PipelineBoardProps {
  stages: DealStage[];
  board: Board;
  totals: Record<string, ColumnTotals>;
  baseCurrency: string | undefined;
  ownerName: (ownerId: string | null) => string;
  canMove: (deal: Deal) => boolean;
  /** Messages the database gave when it refused a move, by deal. */
  refusals: Record<string, string>;
  onMove: (dealId: string, target: DropTarget) => void;
  onOpen: (deal: Deal) => void;
  /** Offered when the viewer may add tasks: a task about the deal (its card's button). */
  onAddTask?: (deal: Deal) => void;
}

/**
 * Cards per column in the board's first render: more than a tall screen shows. A column holds up
 * to 50 cards (about 300 on a board); the rest are rendered right after the first paint, in a
 * transition (React yields to the browser between cards), so the first cards are not held back by
 * rendering those below the fold.
 */
export const FIRST_CARDS_PER_COLUMN = 10;

const KEY_DIRECTIONS: Record<string, Direction> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

/**
 * The kanban: one column per stage, cards in board order. A card moves by mouse (drag it onto a
 * column, between two cards) or by keyboard (its handle: Space picks it up, arrows move it,
 * Space drops it, Escape puts it back), each step announced in a live region.
 */
export function PipelineBoard({
  stages,
  board,
  totals,
  baseCurrency,
  ownerName,
  canMove,
  refusals,
  onMove,
  onOpen,
  onAddTask,
}: PipelineBoardProps) {
  const { t } = useTranslation('pipeline');
  const zone = useZoneAndLanguage();
  const instructionsId = useId();
  const [announcement, setAnnouncement] = useState('');
  // Keyboard: the card being carried, where it started, and the board as it looks while carried.
  const [carried, setCarried] = useState<{ dealId: string; from: DropTarget; preview: Board } | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const [dropHint, setDropHint] = useState<DropTarget | null>(null);
  const handles = useRef(new Map<string, HTMLButtonElement>());
  // Every card once the first ones are on screen (see FIRST_CARDS_PER_COLUMN).
  const [allCards, setAllCards] = useState(false);
  useEffect(() => {
    if (!allCards) startTransition(() => setAllCards(true));
  }, [allCards]);
  const shown = carried?.preview ?? board;
  const stageOrder = stages.map((stage) => stage.id);
  const stageName = (stageId: string) => {
    const stage = stages.find((item) => item.id === stageId);
    return stage ? localName(stage, zone.language) : '';
  };
  const titleOf = (dealId: string) =>
    Object.values(board)
      .flat()
      .find((deal) => deal.id === dealId)?.title ?? '';
  const where = (view: Board, dealId: string) => {
    const place = placeOf(view, dealId);
    return place ? { stage: stageName(place.stageId), position: place.index, count: place.count } : null;
  };
  const focusHandle = (dealId: string) => requestAnimationFrame(() => handles.current.get(dealId)?.focus());

  const onHandleKey = (event: KeyboardEvent<HTMLButtonElement>, deal: Deal) => {
    if (event.key === ' ' || event.key === 'Enter') {
      event.preventDefault();
      if (!carried) {
        const from = currentTarget(board, deal.id);
        if (!from) return;
        setCarried({ dealId: deal.id, from, preview: board });
        setAnnouncement(t('board.live.pickedUp', { title: deal.title, ...where(board, deal.id) }));
        return;
      }
      const target = currentTarget(carried.preview, carried.dealId);
      setCarried(null);
      if (target && (target.stageId !== carried.from.stageId || target.afterId !== carried.from.afterId)) {
        setAnnouncement(t('board.live.dropped', { title: deal.title, ...where(carried.preview, carried.dealId) }));
        onMove(carried.dealId, target);
      } else {
        setAnnouncement(t('board.live.droppedInPlace', { title: deal.title }));
      }
      focusHandle(carried.dealId);
      return;
    }
    if (event.key === 'Escape' && carried) {
      event.preventDefault();
      setCarried(null);
      setAnnouncement(t('board.live.cancelled', { title: deal.title, ...where(board, carried.dealId) }));
      focusHandle(carried.dealId);
      return;
    }
    const direction = KEY_DIRECTIONS[event.key];
    if (direction && carried) {
      event.preventDefault();
      const target = keyboardTarget(carried.preview, stageOrder, carried.dealId, direction);
      if (!target) {
        setAnnouncement(t('board.live.edge'));
        return;
      }
      const preview = applyMove(carried.preview, carried.dealId, target);
      setCarried({ ...carried, preview });
      setAnnouncement(t('board.live.moved', { title: deal.title, ...where(preview, carried.dealId) }));
      focusHandle(carried.dealId);
    }
  };

  // The cards get one actions object for good (so a memoised card is not rendered again for new
  // handlers); it calls this render's handlers, which read this render's state.
  const current = useRef<Omit<CardActions, 'registerHandle'> | null>(null);
  useLayoutEffect(() => {
    current.current = {
      keyDown: onHandleKey,
      handleBlur: (deal) => {
        if (carried?.dealId !== deal.id) return;
        setCarried(null);
        setAnnouncement(t('board.live.cancelled', { title: deal.title, ...where(board, deal.id) }));
      },
      dragStart: (dealId) => setDragging(dealId),
      dragEnd: () => {
        setDragging(null);
        setDropHint(null);
      },
      open: onOpen,
      addTask: (deal) => onAddTask?.(deal),
    };
  });
  const actions = useMemo<CardActions>(
    () => ({
      keyDown: (event, deal) => current.current?.keyDown(event, deal),
      handleBlur: (deal) => current.current?.handleBlur(deal),
      dragStart: (dealId) => current.current?.dragStart(dealId),
      dragEnd: () => current.current?.dragEnd(),
      open: (deal) => current.current?.open(deal),
      addTask: (deal) => current.current?.addTask(deal),
      registerHandle: (dealId, element) => {
        if (element) handles.current.set(dealId, element);
        else handles.current.delete(dealId);
      },
    }),
    [],
  );

  /** Where a mouse drop lands: after the last card whose middle is above the pointer. */
  const dropTargetAt = (event: DragEvent<HTMLElement>, stageId: string): DropTarget => {
    const cards = [...event.currentTarget.querySelectorAll<HTMLElement>('[data-deal-id]')].filter(
      (card) => card.dataset.dealId !== dragging,
    );
    let afterId: string | null = null;
    for (const card of cards) {
      const box = card.getBoundingClientRect();
      if (event.clientY > box.top + box.height / 2) afterId = card.dataset.dealId ?? null;
    }
    return { stageId, afterId };
  };

  return (
    <div className={styles.boardWrap}>
      <p id={instructionsId} className="visually-hidden">
        {t('board.instructions')}
      </p>
      <div className="visually-hidden" role="status" aria-live="assertive" aria-atomic="true">
        {announcement}
      </div>
      <ol className={styles.board} aria-label={t('board.label')}>
        {stages.map((stage) => {
          const deals = shown[stage.id] ?? [];
          const sums = totals[stage.id] ?? { deals: 0, amount: 0, weighted: 0 };
          const name = localName(stage, zone.language);
          const headingId = `${instructionsId}-${stage.id}`;
          return (
            <li
              key={stage.id}
              className={[styles.column, dropHint?.stageId === stage.id ? styles.columnTarget : ''].join(' ')}
              aria-labelledby={headingId}
              data-stage-id={stage.id}
              onDragOver={(event) => {
                if (!dragging) return;
                event.preventDefault();
                event.dataTransfer.dropEffect = 'move';
                const target = dropTargetAt(event, stage.id);
                if (target.stageId !== dropHint?.stageId || target.afterId !== dropHint?.afterId) setDropHint(target);
              }}
              onDragLeave={(event) => {
                if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropHint(null);
              }}
              onDrop={(event) => {
                event.preventDefault();
                const dealId = dragging ?? event.dataTransfer.getData('text/plain');
                setDragging(null);
                setDropHint(null);
                if (!dealId) return;
                const target = dropTargetAt(event, stage.id);
                const from = currentTarget(board, dealId);
                if (from && from.stageId === target.stageId && from.afterId === target.afterId) return;
                setAnnouncement(
                  t('board.live.dropped', {
                    title: titleOf(dealId),
                    ...where(applyMove(board, dealId, target), dealId),
                  }),
                );
                onMove(dealId, target);
              }}
            >
              <header className={styles.columnHeader}>
                <h2 id={headingId} className={styles.columnTitle}>
                  {name}
                  <span className={styles.count}>{t('board.count', { count: sums.deals })}</span>
                </h2>
                <dl className={styles.columnTotals}>
                  <div>
                    <dt>{t('board.total')}</dt>
                    <dd>{baseCurrency ? formatMoney(sums.amount, baseCurrency, zone.language) : '…'}</dd>
                  </div>
                  <div>
                    <dt>{t('board.weighted')}</dt>
                    <dd>{baseCurrency ? formatMoney(sums.weighted, baseCurrency, zone.language) : '…'}</dd>
                  </div>
                </dl>
              </header>
              {deals.length === 0 ? <p className={styles.emptyColumn}>{t('board.emptyColumn')}</p> : null}
              <ul className={styles.cards} aria-label={t('board.cardsIn', { stage: name })}>
                {(allCards ? deals : deals.slice(0, FIRST_CARDS_PER_COLUMN)).map((deal) => (
                  <DealCard
                    key={deal.id}
                    deal={deal}
                    ownerName={ownerName(deal.owner_id)}
                    baseCurrency={baseCurrency}
                    timeZone={zone.timeZone}
                    language={zone.language}
                    movable={canMove(deal)}
                    carried={carried?.dealId === deal.id}
                    carrying={carried !== null}
                    dragging={dragging === deal.id}
                    refusal={refusals[deal.id]}
                    mayAddTask={onAddTask !== undefined}
                    instructionsId={instructionsId}
                    actions={actions}
                    t={t}
                  />
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
