import { plot, type PlotOptions } from '@observablehq/plot';
import { useEffect, useRef, type ReactNode } from 'react';

export interface Column<Row> {
  label: string;
  value: (row: Row) => ReactNode;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
}

export interface Download {
  label: string;
  href: string;
}

/**
 * An SVG chart (Observable Plot) that is never the only way to the figures: a data table with the same
 * numbers follows it, and the chart itself carries a text summary for screen readers. Colour never carries
 * meaning alone — charts use position, labels and symbols too.
 */
export function ChartFigure<Row>({
  title,
  summary,
  options,
  rows,
  columns,
  rowKey,
  downloads = [],
}: {
  title: string;
  /** One or two sentences saying what the chart shows (the chart's accessible name). */
  summary: string;
  options: PlotOptions;
  rows: readonly Row[];
  columns: ReadonlyArray<Column<Row>>;
  rowKey: (row: Row) => string;
  downloads?: readonly Download[];
}) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (element === null) {
      return undefined;
    }
    const chart = plot({
      ...options,
      ariaLabel: summary,
      style: { fontSize: '14px', ...(typeof options.style === 'object' ? options.style : {}) },
    });
    chart.setAttribute('role', 'img');
    element.replaceChildren(chart);
    return () => chart.remove();
  }, [options, summary]);
  return (
    <figure className="chart-figure">
      <figcaption className="chart-figure__title">{title}</figcaption>
      <div className="chart" ref={holder} />
      <DataTable caption={`${title}: data table`} rows={rows} columns={columns} rowKey={rowKey} />
      {downloads.length === 0 ? null : (
        <ul className="download-links">
          {downloads.map((download) => (
            <li key={download.href}>
              <a href={download.href} download>
                {download.label}
              </a>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

export function DataTable<Row>({
  caption,
  rows,
  columns,
  rowKey,
}: {
  caption: string;
  rows: readonly Row[];
  columns: ReadonlyArray<Column<Row>>;
  rowKey: (row: Row) => string;
}) {
  return (
    <div className="table-wrapper">
      <table className="table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={column.numeric === true ? 'numeric' : undefined}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.label} className={column.numeric === true ? 'numeric' : undefined}>
                  {column.value(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
