import { useMutation } from '@tanstack/react-query';
import { formatInTimeZone } from 'date-fns-tz';
import { useTranslation } from 'react-i18next';

import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import { fetchAllCustomers, fetchCustomersByIds, type ListScope } from '../api/customers.ts';
import { logExport } from '../api/export.ts';
import { CSV_COLUMNS, customersCsv, downloadCsv } from '../utils/csv.ts';
import { viewStateOf, type ListParams } from '../utils/list-params.ts';

import { useDisplay } from './use-display.ts';

/** Large enough for any working list; beyond it a segment export (with its snapshot) is the tool. */
export const EXPORT_LIMIT = 50_000;

export interface ExportRequest {
  params: ListParams;
  scope: ListScope;
  baseCurrency: string;
  /** Export these customers only; otherwise everything the filters match. */
  ids?: string[];
}

/**
 * Reads the rows, logs the export (export_log: who, which filters, how many), then hands over
 * the file. The log is written first: an export the database would not log is not made.
 */
export function useExportCustomers() {
  const { t } = useTranslation('customers');
  const show = useDisplay();
  const { timeZone } = useZoneAndLanguage();
  return useMutation({
    mutationFn: async ({ params, scope, baseCurrency, ids }: ExportRequest) => {
      const rows = ids ? await fetchCustomersByIds(ids, params) : await fetchAllCustomers(params, scope, EXPORT_LIMIT);
      await logExport({ ...viewStateOf(params), ...(ids ? { selected: ids.length } : {}) }, rows.length);
      const csv = customersCsv(rows, baseCurrency, {
        headers: Object.fromEntries(CSV_COLUMNS.map((column) => [column, t(`csv.${column}`)])) as Record<
          (typeof CSV_COLUMNS)[number],
          string
        >,
        status: (status) => t(`status.${status}`),
        stage: (key) => show.stage(key),
      });
      downloadCsv(csv, `customers-${formatInTimeZone(new Date(), timeZone, 'yyyy-MM-dd-HHmm')}.csv`);
      return { count: rows.length, capped: rows.length >= EXPORT_LIMIT };
    },
  });
}
