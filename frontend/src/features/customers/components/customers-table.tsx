import { ArrowDown, ArrowUp, ArrowUpDown, Pencil } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';

import { Checkbox } from '@/components/ui/checkbox.tsx';

import type { CustomerRow } from '../api/customers.ts';
import { useDisplay } from '../hooks/use-display.ts';
import type { ListParams, SortKey } from '../utils/list-params.ts';

import { OwnerName } from './owner-name.tsx';
import { StatusBadge } from './status-badge.tsx';
import styles from './customers-table.module.css';

export interface CustomersTableProps {
  rows: CustomerRow[];
  params: ListParams;
  baseCurrency: string;
  onSort: (sort: SortKey) => void;
  /** Present when the viewer may act on several customers at once (bulk actions, export). */
  selection?: {
    selected: ReadonlySet<string>;
    toggle: (id: string) => void;
    setPage: (selectAll: boolean) => void;
  };
  busy?: boolean;
  /** Offered on the rows the viewer may edit (the database decides; this only hides). */
  edit?: { allowed: (row: CustomerRow) => boolean; open: (row: CustomerRow) => void };
}

/** The list of customers: a real table (headers, sort state, row selection) readable by everyone. */
export function CustomersTable({ rows, params, baseCurrency, onSort, selection, busy, edit }: CustomersTableProps) {
  const { t } = useTranslation('customers');
  const show = useDisplay();
  const selectedOnPage = selection ? rows.filter((row) => selection.selected.has(row.id)).length : 0;

  const sortHeader = (key: SortKey, label: string, className?: string) => {
    const active = params.sort === key;
    const Icon = active ? (params.dir === 'asc' ? ArrowUp : ArrowDown) : ArrowUpDown;
    return (
      <th
        scope="col"
        className={className}
        aria-sort={active ? (params.dir === 'asc' ? 'ascending' : 'descending') : undefined}
      >
        <button type="button" className="sort-button" onClick={() => onSort(key)}>
          {label}
          <Icon aria-hidden="true" size={14} />
        </button>
      </th>
    );
  };

  return (
    <div className="customers-table-wrap" role="region" aria-label={t('table.label')} tabIndex={0} aria-busy={busy}>
      <table className="customers-table">
        <thead>
          <tr>
            {selection ? (
              <th scope="col" className="select-cell">
                <Checkbox
                  label={t('table.selectPage')}
                  hideLabel
                  checked={rows.length > 0 && selectedOnPage === rows.length}
                  indeterminate={selectedOnPage > 0 && selectedOnPage < rows.length}
                  onChange={(event) => selection.setPage(event.currentTarget.checked)}
                />
              </th>
            ) : null}
            {/* The figures a commerce team sorts by come first, so they fit a laptop's width. */}
            {sortHeader('name', t('columns.name'))}
            <th scope="col">{t('columns.status')}</th>
            {sortHeader('ltv', t('columns.ltv'), 'numeric')}
            {sortHeader('orders', t('columns.orders'), 'numeric optional')}
            {sortHeader('last_order', t('columns.lastOrder'), 'optional')}
            <th scope="col" className="optional">
              {t('columns.stage')}
            </th>
            <th scope="col" className="optional">
              {t('columns.country')}
            </th>
            <th scope="col" className="optional">
              {t('columns.owner')}
            </th>
            <th scope="col" className="optional">
              {t('columns.tags')}
            </th>
            {sortHeader('created', t('columns.created'), 'optional')}
            {edit ? (
              <th scope="col">
                <span className="visually-hidden">{t('columns.actions')}</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const name = row.full_name ?? row.company ?? row.email ?? row.phone ?? t('table.unnamed');
            const selected = selection?.selected.has(row.id) ?? false;
            return (
              <tr key={row.id} aria-selected={selection ? selected : undefined}>
                {selection ? (
                  <td className="select-cell">
                    <Checkbox
                      label={t('table.selectRow', { name })}
                      hideLabel
                      checked={selected}
                      onChange={() => selection.toggle(row.id)}
                    />
                  </td>
                ) : null}
                <td className="customer-name">
                  <Link to={`/customers/${row.id}`}>{name}</Link>
                  {row.email && row.email !== name ? <span className="customer-sub">{row.email}</span> : null}
                </td>
                <td>
                  <StatusBadge status={row.status} />
                </td>
                <td className="numeric">{show.money(row.lifetime_value, baseCurrency)}</td>
                <td className="numeric optional">{show.number(row.order_count)}</td>
                <td className="optional">
                  {row.last_order_at ? (
                    <time dateTime={row.last_order_at} title={show.date(row.last_order_at)}>
                      {show.relative(row.last_order_at)}
                    </time>
                  ) : (
                    <span className="customer-sub">{t('table.noOrders')}</span>
                  )}
                </td>
                <td className="optional">{show.stage(row.lifecycle_stage)}</td>
                <td className="optional">{row.country ? show.country(row.country) : '—'}</td>
                <td className="optional">
                  {row.owner_name ? (
                    <OwnerName name={row.owner_name} />
                  ) : (
                    <span className="customer-sub">{t('table.unassigned')}</span>
                  )}
                </td>
                <td className="optional">
                  <span className={styles.tags}>
                    {(row.tag_names ?? []).map((tag) => (
                      <span key={tag} className="badge">
                        {tag}
                      </span>
                    ))}
                  </span>
                </td>
                <td className="optional">
                  <time dateTime={row.created_at}>{show.date(row.created_at)}</time>
                </td>
                {edit ? (
                  <td>
                    {edit.allowed(row) ? (
                      <button
                        type="button"
                        className="icon-button"
                        aria-label={t('table.edit', { name })}
                        onClick={() => edit.open(row)}
                      >
                        <Pencil aria-hidden="true" size={16} />
                      </button>
                    ) : null}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** The table's shape while the first page loads, so nothing jumps when it arrives. */
export function CustomersTableSkeleton({ rows = 8 }: { rows?: number }) {
  const { t } = useTranslation('customers');
  return (
    <div className="customers-table-wrap" role="status" aria-label={t('table.loading')}>
      <table className="customers-table table-skeleton" aria-hidden="true">
        <tbody>
          {Array.from({ length: rows }, (_, row) => (
            <tr key={row}>
              {[14, 6, 7, 6, 8, 6].map((width, cell) => (
                <td key={cell}>
                  <span style={{ width: `${width}rem` }} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
