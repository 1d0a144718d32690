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
  tableCollapsed = false,
}: {
  title: string;
  /** One or two sentences saying what the chart shows (the chart's accessible name). */
  summary: string;
  options: PlotOptions;
  rows: readonly Row[];
  columns: ReadonlyArray<Column<Row>>;
  rowKey: (row: Row) => string;
  downloads?: readonly Download[];
  /** Long tables (dozens of rows) start folded under "Show the data table". */
  tableCollapsed?: boolean;
}) {
  const holder = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = holder.current;
    if (element === null) {
      return undefined;
    }
    const chart = plot(options.style === undefined ? { ...options, style: 'font-size: 14px' } : options);
    // The picture is one image to assistive technology, named by the summary: Plot's labels on its parts
    // are removed (children of an image are not read), and the data table beside it carries every figure
    // in a form a screen reader can walk through.
    for (const part of chart.querySelectorAll('[aria-label], [aria-description]')) {
      part.removeAttribute('aria-label');
      part.removeAttribute('aria-description');
    }
    chart.setAttribute('role', 'img');
    chart.setAttribute('aria-label', summary);
    element.replaceChildren(chart);
    return () => chart.remove();
  }, [options, summary]);
  return (
    <figure className="chart-figure">
      <figcaption className="chart-figure__title">{title}</figcaption>
      <div className="chart" ref={holder} />
      {tableCollapsed ? (
        <details className="chart-figure__table">
          <summary>Show the data table ({rows.length} rows)</summary>
          <DataTable caption={`${title}: data table`} rows={rows} columns={columns} rowKey={rowKey} />
        </details>
      ) : (
        <DataTable caption={`${title}: data table`} rows={rows} columns={columns} rowKey={rowKey} />
      )}
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
