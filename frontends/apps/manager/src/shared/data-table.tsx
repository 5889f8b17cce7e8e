// A table of records: the app's data-table in its scrolling wrapper, under a row of column names.
import type { ReactNode } from "react";

export interface Column {
  label: string;
  /** Right-aligned, like the numbers in its cells. */
  num?: boolean;
  /** Named for screen readers only (the column of a row's buttons). */
  hidden?: boolean;
}

export function DataTable({
  columns,
  testId,
  className,
  footer,
  children,
}: {
  columns: (string | Column)[];
  testId?: string;
  className?: string;
  /** Rows of a <tfoot> (totals). */
  footer?: ReactNode;
  /** The body's rows. */
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className={className ? `data-table ${className}` : "data-table"} data-testid={testId}>
        <thead>
          <tr>
            {columns.map((column) => {
              const { label, num, hidden } = typeof column === "string" ? { label: column } : column;
              return (
                <th key={label} scope="col" className={num ? "num" : undefined}>
                  {hidden ? <span className="visually-hidden">{label}</span> : label}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>{children}</tbody>
        {footer && <tfoot>{footer}</tfoot>}
      </table>
    </div>
  );
}
