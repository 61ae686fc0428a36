import type { ReactNode } from 'react';

export interface TableColumn {
  label: string;
  className?: string;
  /** For a column of row actions: the header is read, not shown. */
  hideLabel?: boolean;
}

export interface TableProps {
  className: string;
  /** Read by screen readers to name the table; not shown. */
  caption: string;
  /** The header row, left to right; `null` leaves a column out (one the viewer may not use). */
  columns: (TableColumn | null)[];
  /** The body's rows. */
  children: ReactNode;
}

/** A data table with a hidden caption and a header row whose cells head their columns. */
export function Table({ className, caption, columns, children }: TableProps) {
  return (
    <table className={className}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) =>
            column ? (
              <th key={column.label} scope="col" className={column.className}>
                {column.hideLabel ? <span className="visually-hidden">{column.label}</span> : column.label}
              </th>
            ) : null,
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}
