import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { ShieldCheck } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Button } from '@/components/ui/button.tsx';
import { ConfirmDialog } from '@/components/ui/confirm-dialog.tsx';
import { EmptyState } from '@/components/ui/empty-state.tsx';
import { ErrorState } from '@/components/ui/error-state.tsx';
import { Skeleton } from '@/components/ui/loading-state.tsx';
import { NextPageButton } from '@/components/ui/next-page-button.tsx';
import { Table } from '@/components/ui/table.tsx';
import { Tabs } from '@/components/ui/tabs.tsx';
import { formatDate } from '@/lib/dates.ts';
import { useViewer } from '@/lib/viewer.ts';
import { useZoneAndLanguage } from '@/stores/preferences-store.ts';
import { toast } from '@/stores/toast-store.ts';

import {
  answerAccessRequest,
  eraseCustomer,
  privacyRequestKeys,
  privacyRequestsOptions,
  reassignPrivacyRequest,
  refusePrivacyRequest,
  takePrivacyRequest,
  type PrivacyRequest,
  type PrivacyRequestView,
} from '../api/privacy-requests.ts';
import styles from './privacy-console.module.css';
import { ReassignDialog, RefuseDialog } from './request-dialogs.tsx';

const DAY_MS = 86_400_000;

/**
 * A request's clock: overdue once the due time has passed (by whole days, at least one), else
 * the days left, a part day counting as a day (a request made just now has 30).
 */
export function clockOf(dueAt: string, now: number = Date.now()): { overdue: boolean; days: number } {
  const left = Date.parse(dueAt) - now;
  return left < 0
    ? { overdue: true, days: Math.max(1, Math.floor(-left / DAY_MS)) }
    : { overdue: false, days: Math.ceil(left / DAY_MS) };
}

/** Saves an export as a JSON file the person can send on. */
function download(data: unknown, name: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * The privacy console: requests from the portal, Shopify and staff, each with its 30-day clock;
 * overdue ones first and marked, 50 at a time ("Show more"). An access request is answered with
 * one click (the export is built, saved and recorded); an erasure is carried out after a
 * confirmation; any open request can be refused with a reason the customer reads, or handed to
 * another admin or manager. Every action is a button and each dialog keeps focus inside it and
 * gives it back to the button that opened it.
 */
export function PrivacyConsole() {
  const { t } = useTranslation('portal');
  const [view, setView] = useState<PrivacyRequestView>('open');
  return (
    <Tabs
      label={t('console.views')}
      tabs={[
        { id: 'open', label: t('console.open') },
        { id: 'done', label: t('console.done') },
      ]}
      selected={view}
      onSelect={setView}
    >
      <RequestsTable view={view} />
    </Tabs>
  );
}

function RequestsTable({ view }: { view: PrivacyRequestView }) {
  const { t } = useTranslation('portal');
  const viewer = useViewer();
  const zone = useZoneAndLanguage();
  const queryClient = useQueryClient();
  const requests = useInfiniteQuery(privacyRequestsOptions(view));
  const [erasing, setErasing] = useState<PrivacyRequest | null>(null);
  const [refusing, setRefusing] = useState<PrivacyRequest | null>(null);
  const [reassigning, setReassigning] = useState<PrivacyRequest | null>(null);
  const nameOf = (request: PrivacyRequest | null) =>
    request?.customer?.full_name ?? request?.customer?.email ?? t('console.noCustomer');
  const refresh = () => queryClient.invalidateQueries({ queryKey: privacyRequestKeys.all });
  const failed = (error: Error) => toast.error(t('console.failed', { reason: error.message }));

  const take = useMutation({
    mutationFn: (request: PrivacyRequest) => takePrivacyRequest(request.id, viewer.userId),
    onSuccess: () => toast.success(t('console.taken')),
    onError: failed,
    onSettled: refresh,
  });
  const answer = useMutation({
    mutationFn: async (request: PrivacyRequest) => {
      download(await answerAccessRequest(request.id), `privacy-export-${request.customer?.id ?? request.id}.json`);
    },
    onSuccess: () => toast.success(t('console.answered')),
    onError: failed,
    onSettled: refresh,
  });
  const erase = useMutation({
    mutationFn: (request: PrivacyRequest) => eraseCustomer(request.id),
    onSuccess: () => {
      setErasing(null);
      toast.success(t('console.erased'));
    },
    onError: (error: Error) => {
      // The shop's rule (workspace_settings.erasure_waits_for_open_orders), said in our words.
      if ((error as Error & { details?: string }).details === 'open_orders') {
        setErasing(null);
        toast.error(t('console.openOrders'));
      } else {
        failed(error);
      }
    },
    onSettled: refresh,
  });

  if (requests.isPending) return <Skeleton lines={4} label={t('console.loading')} />;
  if (requests.isError) return <ErrorState description={t('console.loadFailed')} onRetry={() => requests.refetch()} />;
  const rows = requests.data.pages.flat();
  if (rows.length === 0) {
    return (
      <EmptyState
        icon={ShieldCheck}
        title={view === 'open' ? t('console.emptyOpen') : t('console.emptyDone')}
        description={t('console.emptyDescription')}
      />
    );
  }

  return (
    <>
      <Table
        className={styles.table}
        caption={view === 'open' ? t('console.openCaption') : t('console.doneCaption')}
        columns={[
          { label: t('console.columns.customer') },
          { label: t('console.columns.kind') },
          { label: t('console.columns.source') },
          { label: t('console.columns.status') },
          { label: t('console.columns.requested') },
          { label: view === 'open' ? t('console.columns.due') : t('console.columns.completed') },
          { label: t('console.columns.assignee') },
          { label: t('console.columns.actions'), hideLabel: true },
        ]}
      >
        {rows.map((request) => {
          const clock = clockOf(request.due_at);
          const overdue = view === 'open' && clock.overdue;
          const name = request.customer?.full_name ?? request.customer?.email ?? t('console.noCustomer');
          return (
            <tr key={request.id} className={overdue ? styles.overdue : undefined}>
              <td>{request.customer ? <Link to={`/customers/${request.customer.id}`}>{name}</Link> : name}</td>
              <td>{t(`console.kinds.${request.kind}`)}</td>
              <td>{t(`console.sources.${request.source}`)}</td>
              <td>
                {t(`console.statuses.${request.status}`)}
                {request.status === 'refused' && request.refusal_reason ? (
                  <span className={styles.reason}>{request.refusal_reason}</span>
                ) : null}
              </td>
              <td>{formatDate(request.requested_at, zone)}</td>
              <td>
                {view === 'open' ? (
                  <>
                    {formatDate(request.due_at, zone)}{' '}
                    <span className={overdue ? styles.overdueBadge : styles.clock}>
                      {overdue
                        ? t('console.overdue', { count: clock.days })
                        : t('console.daysLeft', { count: clock.days })}
                    </span>
                  </>
                ) : request.completed_at ? (
                  formatDate(request.completed_at, zone)
                ) : null}
              </td>
              <td>{request.assignee?.full_name ?? t('console.unassigned')}</td>
              <td className={styles.actions}>
                {view === 'open' && request.assignee_id !== viewer.userId ? (
                  <Button
                    variant="secondary"
                    pending={take.isPending && take.variables.id === request.id}
                    pendingLabel={t('console.taking')}
                    onClick={() => take.mutate(request)}
                  >
                    {t('console.take')}
                    <span className="visually-hidden"> — {name}</span>
                  </Button>
                ) : null}
                {request.kind === 'access' && request.customer ? (
                  <Button
                    variant={view === 'open' ? 'primary' : 'secondary'}
                    pending={answer.isPending && answer.variables.id === request.id}
                    pendingLabel={t('console.answering')}
                    onClick={() => answer.mutate(request)}
                  >
                    {view === 'open' ? t('console.answer') : t('console.download')}
                    <span className="visually-hidden"> — {name}</span>
                  </Button>
                ) : null}
                {request.kind === 'erasure' && view === 'open' && request.customer ? (
                  <Button className={styles.danger} onClick={() => setErasing(request)}>
                    {t('console.erase')}
                    <span className="visually-hidden"> — {name}</span>
                  </Button>
                ) : null}
                {view === 'open' ? (
                  <>
                    <Button variant="secondary" onClick={() => setReassigning(request)}>
                      {t('console.reassign.open')}
                      <span className="visually-hidden"> — {name}</span>
                    </Button>
                    <Button variant="secondary" onClick={() => setRefusing(request)}>
                      {t('console.refuse.open')}
                      <span className="visually-hidden"> — {name}</span>
                    </Button>
                  </>
                ) : null}
              </td>
            </tr>
          );
        })}
      </Table>
      <NextPageButton query={requests} className={styles.more} pendingLabel={t('console.loadingMore')}>
        {t('console.showMore')}
      </NextPageButton>
      <RefuseDialog
        request={refusing}
        name={nameOf(refusing)}
        onClose={() => setRefusing(null)}
        onSubmit={async (request, { reason }) => {
          await refusePrivacyRequest(request.id, reason);
          toast.success(t('console.refuse.done'));
          await refresh();
        }}
      />
      <ReassignDialog
        request={reassigning}
        name={nameOf(reassigning)}
        onClose={() => setReassigning(null)}
        onSubmit={async (request, { assigneeId }) => {
          await reassignPrivacyRequest(request.id, assigneeId);
          toast.success(t('console.reassign.done'));
          await refresh();
        }}
      />
      <ConfirmDialog
        open={erasing !== null}
        title={t('console.eraseTitle', {
          name: erasing?.customer?.full_name ?? erasing?.customer?.email ?? t('console.noCustomer'),
        })}
        description={t('console.eraseDescription')}
        confirmLabel={t('console.eraseConfirm')}
        pending={erase.isPending}
        pendingLabel={t('console.erasing')}
        onCancel={() => setErasing(null)}
        onConfirm={() => erasing && erase.mutate(erasing)}
      />
    </>
  );
}
