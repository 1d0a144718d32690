import { Link } from 'react-router';
import { QueryView } from '../../components/status.tsx';
import { DiscardImport } from './discard-import.tsx';
import {
  errorTotal,
  fileTypeOf,
  usePreview,
  warningTotal,
  type ImportIssue,
  type ImportReport,
  type Preview,
} from './imports-api.ts';
import { count, fieldLabel } from './imports-text.tsx';
import { stepUrl } from './steps.tsx';
import { TableRegion } from './table-region.tsx';

const READ_NAMES: Record<string, string> = {
  pupils: 'Pupils',
  results: 'Results',
  prior_attainment: 'Pupils with KS2 results',
  class_memberships: 'Class memberships',
};

/** What the file holds and how many problems it has, as figures. */
export function ReportFigures({ report }: { report: ImportReport }) {
  const read = Object.entries(report.counts).filter(([name]) => READ_NAMES[name] !== undefined);
  return (
    <ul className="figures">
      {read.map(([name, value]) => (
        <li className="figure-card" key={name}>
          <span className="figure-card__value">{count(value)}</span>
          <span className="figure-card__label">{READ_NAMES[name]} in the file</span>
        </li>
      ))}
      <li className="figure-card">
        <span className="figure-card__value">{count(errorTotal(report))}</span>
        <span className="figure-card__label">
          {errorTotal(report) === 1 ? 'Error' : 'Errors'} (must be fixed)
        </span>
      </li>
      <li className="figure-card">
        <span className="figure-card__value">{count(warningTotal(report))}</span>
        <span className="figure-card__label">
          {warningTotal(report) === 1 ? 'Warning' : 'Warnings'} (worth checking)
        </span>
      </li>
    </ul>
  );
}

interface ErrorGroup {
  where: string | undefined;
  message: string;
  rows: number[];
  times: number;
}

/** The same mistake on many rows is one thing to fix: errors grouped by column and message. */
function groupErrors(errors: readonly ImportIssue[]): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>();
  for (const issue of errors) {
    const where = issue.column ?? issue.path;
    const key = `${where ?? ''}\u0000${issue.message}`;
    const group = groups.get(key) ?? { where, message: issue.message, rows: [], times: 0 };
    group.times += 1;
    if (issue.row !== undefined && issue.row > 0) {
      group.rows.push(issue.row);
    }
    groups.set(key, group);
  }
  return [...groups.values()];
}

function rowsText(rows: number[]): string {
  if (rows.length === 0) {
    return '';
  }
  const listed = rows.slice(0, 5).map(count).join(', ');
  const more = rows.length > 5 ? ` and ${count(rows.length - 5)} more` : '';
  return ` (row${rows.length === 1 ? '' : 's'} ${listed}${more})`;
}

/** What stops the import, in words: each kind of error and where, and the way out. */
export function FixGuidance({
  schoolId,
  importId,
  report,
  open,
}: {
  schoolId: string;
  importId: string;
  report: ImportReport;
  open: boolean;
}) {
  const groups = groupErrors(report.errors);
  const tabular = fileTypeOf(report.format) !== 'ctf' && fileTypeOf(report.format) !== 'oneroster';
  const unknownSubject = report.errors.some((issue) => issue.field === 'subject' && issue.row === undefined);
  return (
    <section className="notice notice--error" aria-labelledby="fix-title">
      <h2 className="notice__title" id="fix-title">
        This file cannot be imported yet: {count(errorTotal(report))}{' '}
        {errorTotal(report) === 1 ? 'error' : 'errors'} to fix
      </h2>
      <p>Nothing has been written. To import it:</p>
      <ol>
        <li>Open the file on your computer (or export it again from your MIS).</li>
        <li>
          Fix {groups.length === 1 ? 'this' : 'each of these'}:
          <ul>
            {groups.slice(0, 10).map((group) => (
              <li key={`${group.where ?? ''}${group.message}`}>
                {group.where === undefined ? '' : `Column “${group.where}”: `}
                {group.message}
                {rowsText(group.rows)}
              </li>
            ))}
            {groups.length > 10 ? (
              <li>and {count(groups.length - 10)} more kinds of error listed below</li>
            ) : null}
          </ul>
        </li>
        {unknownSubject ? (
          <li>
            For a subject Haven does not know, use the subject’s usual name in the file (for example “English
            Literature” rather than a code).
          </li>
        ) : null}
        <li>Save the file and upload the corrected file.</li>
      </ol>
      {open ? (
        <div className="button-group">
          <Link
            to={`/schools/${schoolId}/imports/new?replaces=${importId}`}
            className="button button--primary"
          >
            Upload a corrected file
          </Link>
          {tabular ? (
            <Link to={stepUrl(schoolId, importId, 'columns')} className="button button--secondary">
              Change how the columns are matched
            </Link>
          ) : null}
          <DiscardImport schoolId={schoolId} importId={importId} />
        </div>
      ) : null}
    </section>
  );
}

function previewValue(value: Preview['rows'][number]['values'][string] | undefined) {
  if (value === null || value === undefined) {
    return (
      <>
        <span aria-hidden="true">—</span>
        <span className="visually-hidden">empty</span>
      </>
    );
  }
  if (typeof value === 'boolean') {
    return value ? 'Yes' : 'No';
  }
  return String(value);
}

/** The first rows as Haven read them, after the column matching: the quickest check that it is right. */
export function PreviewSection({ schoolId, importId }: { schoolId: string; importId: string }) {
  const preview = usePreview(schoolId, importId, true);
  return (
    <section aria-labelledby="preview-title">
      <h2 id="preview-title">The first rows as Haven read them</h2>
      <QueryView query={preview} what="the preview">
        {(data) => {
          const fields = [...new Set(data.rows.flatMap((row) => Object.keys(row.values)))];
          if (data.rows.length === 0) {
            return <p>Haven read no rows from this file.</p>;
          }
          return (
            <TableRegion label="The first rows as Haven read them">
              <table className="table import-preview">
                <caption>
                  The first {data.rows.length} {data.rows.length === 1 ? 'record' : 'records'}, field by field
                </caption>
                <thead>
                  <tr>
                    <th scope="col" className="numeric">
                      Row
                    </th>
                    {fields.map((field) => (
                      <th scope="col" key={field}>
                        {fieldLabel(field)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {data.rows.map((row, index) => (
                    <tr key={`${row.row}-${index}`}>
                      <th scope="row" className="numeric">
                        {row.row}
                      </th>
                      {fields.map((field) => (
                        <td key={field}>{previewValue(row.values[field])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          );
        }}
      </QueryView>
    </section>
  );
}

/** The columns Haven left out, so nobody wonders where a column went. */
export function DroppedColumns({ report }: { report: ImportReport }) {
  if (report.droppedColumns.length === 0) {
    return null;
  }
  return (
    <p>
      Columns not read (their contents are not stored):{' '}
      {report.droppedColumns.map((column, index) => (
        <span key={column}>
          {index === 0 ? '' : ', '}“{column}”
        </span>
      ))}
      .
    </p>
  );
}
