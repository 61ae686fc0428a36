/** The customers CSV: one row per customer, values as data (ISO dates, plain numbers), not display text. */
import Papa from 'papaparse';

import type { CustomerRow } from '../api/customers.ts';

export interface CsvLabels {
  /** Column headings in the exporting person's language. */
  headers: Record<(typeof CSV_COLUMNS)[number], string>;
  status: (status: CustomerRow['status']) => string;
  stage: (key: string) => string;
}

export const CSV_COLUMNS = [
  'id',
  'name',
  'email',
  'phone',
  'company',
  'country',
  'city',
  'status',
  'stage',
  'owner',
  'tags',
  'lifetimeValue',
  'currency',
  'orders',
  'lastOrderAt',
  'createdAt',
] as const;

/**
 * Cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection). A + or −
 * before a digit is left alone: that is a phone number (+4930…) or an amount, not a formula.
 */
const FORMULA_START = /^[=@\t\r]|^[+-](?!\d)/;

export function customersCsv(rows: CustomerRow[], baseCurrency: string, labels: CsvLabels): string {
  const data = rows.map((row) => [
    row.id,
    row.full_name ?? '',
    row.email ?? '',
    row.phone ?? '',
    row.company ?? '',
    row.country ?? '',
    row.city ?? '',
    labels.status(row.status),
    labels.stage(row.lifecycle_stage),
    row.owner_name ?? '',
    (row.tag_names ?? []).join('; '),
    row.lifetime_value.toFixed(2),
    baseCurrency,
    String(row.order_count),
    row.last_order_at ?? '',
    row.created_at,
  ]);
  return Papa.unparse(
    { fields: CSV_COLUMNS.map((column) => labels.headers[column]), data },
    { escapeFormulae: FORMULA_START, newline: '\r\n' },
  );
}

/** Hands the file to the browser; the byte-order mark lets spreadsheet apps read UTF-8 names. */
export function downloadCsv(csv: string, filename: string): void {
  const blob = new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
