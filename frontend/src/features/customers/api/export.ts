/**
 * CSV export of customers. The database makes the file and logs it (export_customers_csv): the
 * rows are those the person may see, every cell is escaped against spreadsheet formulas, and the
 * export_log row (who, which filters, how many rows) is written in the same transaction. Nothing
 * here can skip or shape the log.
 */
import { supabase } from '@/lib/supabase.ts';

export interface CustomersExport {
  csv: string;
  rowCount: number;
  /** More customers matched than one export holds (50 000); the file has the first ones. */
  capped: boolean;
}

export interface CustomersExportRequest {
  /** The list's state as a saved view keeps it (search, filters, sort). */
  filters: Record<string, string>;
  /** Export these customers only; otherwise everything the filters match. */
  selected?: string[];
  /** Column headings, statuses and stages in the exporting person's language. */
  labels: {
    headers: Record<string, string>;
    status: Record<string, string>;
    stages: Record<string, string>;
  };
}

export async function exportCustomersCsv(request: CustomersExportRequest): Promise<CustomersExport> {
  const { data, error } = await supabase
    .rpc('export_customers_csv', {
      filters: request.filters,
      labels: request.labels,
      ...(request.selected ? { selected: request.selected } : {}),
    })
    .single();
  if (error) throw error;
  return { csv: data.csv, rowCount: data.row_count, capped: data.capped };
}
