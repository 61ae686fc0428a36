import { useMutation } from '@tanstack/react-query';
import { formatInTimeZone } from 'date-fns-tz';
import { useTranslation } from 'react-i18next';

import { useZoneAndLanguage } from '@/stores/preferences-store.ts';

import { exportCustomersCsv } from '../api/export.ts';
import { CSV_COLUMNS, downloadCsv } from '../utils/csv.ts';
import { CUSTOMER_STATUSES, viewStateOf, type ListParams } from '../utils/list-params.ts';

import { useDisplay } from './use-display.ts';
import { useReferenceData } from './use-reference-data.ts';

export interface ExportRequest {
  params: ListParams;
  /** Export these customers only; otherwise everything the filters match. */
  ids?: string[];
}

/**
 * Asks the database for the file (it reads the rows as this person and logs the export in the
 * same transaction), then hands it over. Labels travel with the request so the file speaks the
 * person's language; the database escapes them like every other cell.
 */
export function useExportCustomers() {
  const { t } = useTranslation('customers');
  const show = useDisplay();
  const reference = useReferenceData();
  const { timeZone } = useZoneAndLanguage();
  return useMutation({
    mutationFn: async ({ params, ids }: ExportRequest) => {
      const result = await exportCustomersCsv({
        filters: viewStateOf(params),
        ...(ids ? { selected: ids } : {}),
        labels: {
          headers: Object.fromEntries(CSV_COLUMNS.map((column) => [column, t(`csv.${column}`)])),
          status: Object.fromEntries(CUSTOMER_STATUSES.map((status) => [status, t(`status.${status}`)])),
          stages: Object.fromEntries((reference.data?.stages ?? []).map((stage) => [stage.key, show.stage(stage.key)])),
        },
      });
      downloadCsv(result.csv, `customers-${formatInTimeZone(new Date(), timeZone, 'yyyy-MM-dd-HHmm')}.csv`);
      return { count: result.rowCount, capped: result.capped };
    },
  });
}
