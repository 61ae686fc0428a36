/**
 * The customers CSV's columns (the database makes the file: export_customers_csv) and the
 * download of a finished file.
 */

/** Column keys in file order; their headings come from the `csv` translations. */
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

export { downloadCsv } from '@/lib/download.ts';
