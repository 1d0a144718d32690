import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';

export interface SortableColumn<Row> {
  key: string;
  label: ReactNode;
  value: (row: Row) => ReactNode;
  /** Present when the table can be sorted by this column; null values always go last. */
  sortValue?: (row: Row) => number | string | null;
  numeric?: boolean;
  /** The cell that names the row (a <th scope="row">). */
  rowHeader?: boolean;
  className?: string;
}

export interface SortOrder {
  key: string;
  order: 'asc' | 'desc';
}

function compare(a: number | string | null, b: number | string | null): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  return String(a).localeCompare(String(b), 'en-GB', { numeric: true });
}

/** Rows in the chosen order, nulls last whichever way. */
export function sortRows<Row>(
  rows: readonly Row[],
  columns: ReadonlyArray<SortableColumn<Row>>,
  sort: SortOrder,
): Row[] {
  const by = columns.find((column) => column.key === sort.key)?.sortValue;
  if (by === undefined) {
    return [...rows];
  }
  const sign = sort.order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = by(a);
    const y = by(b);
    if (x === null || y === null) {
      return x === y ? 0 : x === null ? 1 : -1;
    }
    return sign * compare(x, y);
  });
}

/** The table's order as the URL says (`sort`, `order`), so a sorted view can be shared too. */
export function useSortOrder(fallback: SortOrder): [SortOrder, (key: string) => void] {
  const [params, setParams] = useSearchParams();
  const key = params.get('sort') ?? fallback.key;
  const order = params.get('order');
  const current: SortOrder = {
    key,
    order: order === 'asc' || order === 'desc' ? order : key === fallback.key ? fallback.order : 'desc',
  };
  const choose = (next: string) => {
    const updated = new URLSearchParams(params);
    const nextOrder = next === current.key ? (current.order === 'asc' ? 'desc' : 'asc') : 'desc';
    updated.set('sort', next);
    updated.set('order', nextOrder);
    updated.delete('page');
    setParams(updated, { preventScrollReset: true, replace: true });
  };
  return [current, choose];
}

/** A table whose sortable headings are buttons; aria-sort tells screen readers the order. */
export function SortableTable<Row>({
  caption,
  rows,
  columns,
  rowKey,
  sort,
  onSort,
  className = 'table',
  presorted = false,
}: {
  caption: ReactNode;
  rows: readonly Row[];
  columns: ReadonlyArray<SortableColumn<Row>>;
  rowKey: (row: Row) => string;
  sort: SortOrder;
  onSort: (key: string) => void;
  className?: string;
  /** The rows come already in `sort` order (e.g. one page of a longer sorted list). */
  presorted?: boolean;
}) {
  const sorted = presorted ? rows : sortRows(rows, columns, sort);
  return (
    <div className="table-wrapper">
      <table className={className}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const active = column.key === sort.key;
              const classes = [column.numeric === true ? 'numeric' : '', column.className ?? '']
                .filter(Boolean)
                .join(' ');
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={classes === '' ? undefined : classes}
                  aria-sort={active ? (sort.order === 'asc' ? 'ascending' : 'descending') : undefined}
                >
                  {column.sortValue === undefined ? (
                    column.label
                  ) : (
                    <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
                      {column.label}
                      <span className="sort-button__arrow" aria-hidden="true">
                        {active ? (sort.order === 'asc' ? '↑' : '↓') : '↕'}
                      </span>
                    </button>
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => {
                const classes = [column.numeric === true ? 'numeric' : '', column.className ?? '']
                  .filter(Boolean)
                  .join(' ');
                const props = { className: classes === '' ? undefined : classes };
                return column.rowHeader === true ? (
                  <th key={column.key} scope="row" {...props}>
                    {column.value(row)}
                  </th>
                ) : (
                  <td key={column.key} {...props}>
                    {column.value(row)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
