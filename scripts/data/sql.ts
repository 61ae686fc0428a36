/** Writing SQL literals for generated data (seed files). */
export class Raw {
  constructor(readonly sql: string) {}
}

/** `now() - interval 'N minutes'`: demo data stays "recent" whenever the seed runs. */
export const ago = (minutes: number) => new Raw(`now() - interval '${Math.round(minutes)} minutes'`);
export const daysAgoDate = (days: number) => new Raw(`current_date - ${Math.round(days)}`);

export type SqlValue = string | number | boolean | null | undefined | Raw | string[] | Record<string, unknown>;

/** `undefined` means "not given": the column's default applies (`default` in a multi-row insert). */
export function literal(value: SqlValue): string {
  if (value === undefined) return 'default';
  if (value === null) return 'null';
  if (value instanceof Raw) return value.sql;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return value.length ? `array[${value.map(literal).join(', ')}]::text[]` : `'{}'::text[]`;
  if (typeof value === 'object') return `${literal(JSON.stringify(value))}::jsonb`;
  return `'${value.replace(/'/g, "''")}'`;
}

/** One multi-row insert over the union of the rows' keys; a key a row lacks takes its default. */
export function insert(table: string, rows: Array<Record<string, SqlValue>>, suffix = ''): string {
  if (!rows.length) return '';
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const values = rows.map((row) => `  (${columns.map((column) => literal(row[column])).join(', ')})`);
  return `insert into ${table} (${columns.join(', ')}) values\n${values.join(',\n')}${suffix ? `\n${suffix}` : ''};\n`;
}
