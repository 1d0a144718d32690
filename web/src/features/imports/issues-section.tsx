import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Button, SelectField } from '../../components/form.tsx';
import { errorTotal, importPath, warningTotal, type ImportIssue, type ImportReport } from './imports-api.ts';
import { count, fieldLabel } from './imports-text.tsx';
import { TableRegion } from './table-region.tsx';

const PAGE_SIZE = 50;
// The column filter's value for problems with the whole file rather than one column.
const NO_COLUMN = '(none)';

type Show = 'all' | 'errors' | 'warnings';
const asShow = (value: string | null): Show => (value === 'errors' || value === 'warnings' ? value : 'all');

function where(issue: ImportIssue): string | undefined {
  return issue.column ?? issue.path;
}

function IssueRow({ issue }: { issue: ImportIssue }) {
  return (
    <tr>
      <td>
        {issue.severity === 'error' ? (
          <strong className="tag tag--red">Error</strong>
        ) : (
          <strong className="tag tag--amber">Warning</strong>
        )}
      </td>
      <td className="numeric">{issue.row === undefined || issue.row === 0 ? '—' : issue.row}</td>
      <td>{issue.path === undefined ? (issue.column ?? '—') : <code>{issue.path}</code>}</td>
      <td>{issue.field === undefined ? '—' : fieldLabel(issue.field)}</td>
      <td>
        {issue.message}
        {issue.value === undefined ? null : (
          <>
            {' '}
            (value “<code>{issue.value}</code>”)
          </>
        )}
      </td>
    </tr>
  );
}

function IssueFilters({
  report,
  columns,
  show,
  column,
}: {
  report: ImportReport;
  columns: string[];
  show: Show;
  column: string;
}) {
  const [params, setParams] = useSearchParams();
  const [draft, setDraft] = useState({ show, column });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const next = new URLSearchParams(params);
    for (const [name, value] of Object.entries({
      show: draft.show === 'all' ? '' : draft.show,
      column: draft.column,
    })) {
      if (value === '') {
        next.delete(name);
      } else {
        next.set(name, value);
      }
    }
    next.delete('page');
    setParams(next);
  };
  return (
    <form className="filters" onSubmit={onSubmit} aria-label="Filter the errors and warnings">
      <SelectField
        id="show"
        label="Show"
        options={[
          {
            value: 'all',
            label: `Errors and warnings (${count(errorTotal(report) + warningTotal(report))})`,
          },
          { value: 'errors', label: `Errors only (${count(errorTotal(report))})` },
          { value: 'warnings', label: `Warnings only (${count(warningTotal(report))})` },
        ]}
        value={draft.show}
        onChange={(event) => setDraft((before) => ({ ...before, show: asShow(event.target.value) }))}
      />
      <SelectField
        id="column"
        label="Column"
        options={[
          { value: '', label: 'All columns' },
          ...columns.map((name) => ({ value: name, label: name })),
          { value: NO_COLUMN, label: 'Not in one column (the whole file)' },
        ]}
        value={draft.column}
        onChange={(event) => setDraft((before) => ({ ...before, column: event.target.value }))}
      />
      <div className="field">
        <Button variant="secondary">Show these</Button>
      </div>
    </form>
  );
}

/**
 * The report's errors and warnings by row, column and field, filtered by kind and column (the filter is in
 * the address, so a view can be shared: column names only, never a value), with the CSV download.
 */
export function IssuesSection({
  schoolId,
  importId,
  report,
}: {
  schoolId: string;
  importId: string;
  report: ImportReport;
}) {
  const [params] = useSearchParams();
  const show = asShow(params.get('show'));
  const column = params.get('column') ?? '';
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const all = [...report.errors, ...report.warnings];
  const columns = [...new Set(all.map(where).filter((name) => name !== undefined))].sort();
  const listed = all.filter(
    (issue) =>
      (show === 'all' || (show === 'errors') === (issue.severity === 'error')) &&
      (column === '' || (column === NO_COLUMN ? where(issue) === undefined : where(issue) === column)),
  );
  const pages = Math.max(1, Math.ceil(listed.length / PAGE_SIZE));
  const shown = listed.slice((Math.min(page, pages) - 1) * PAGE_SIZE, Math.min(page, pages) * PAGE_SIZE);
  const first = (Math.min(page, pages) - 1) * PAGE_SIZE + 1;
  const pageLink = (to: number) => {
    const next = new URLSearchParams(params);
    next.set('page', String(to));
    return `?${next.toString()}`;
  };
  if (all.length === 0) {
    return (
      <section aria-labelledby="issues-title">
        <h2 id="issues-title">Errors and warnings</h2>
        <p>Haven found no errors and no warnings in this file.</p>
      </section>
    );
  }
  return (
    <section aria-labelledby="issues-title">
      <h2 id="issues-title">Errors and warnings</h2>
      <p>
        <a href={`${importPath(schoolId, importId)}/issues.csv`} download>
          Download errors and warnings as CSV
        </a>{' '}
        to work through them in a spreadsheet.
      </p>
      <IssueFilters key={`${show}|${column}`} report={report} columns={columns} show={show} column={column} />
      {listed.length === 0 ? (
        <p>Nothing matches these filters.</p>
      ) : (
        <TableRegion label="Errors and warnings">
          <table className="table">
            <caption>
              {show === 'errors' ? 'Errors' : show === 'warnings' ? 'Warnings' : 'Errors and warnings'}
              {column === ''
                ? ''
                : column === NO_COLUMN
                  ? ' about the whole file'
                  : ` in the column “${column}”`}
              :{' '}
              {listed.length > PAGE_SIZE
                ? `${count(first)} to ${count(first + shown.length - 1)} of ${count(listed.length)}`
                : count(listed.length)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Type</th>
                <th scope="col" className="numeric">
                  Row
                </th>
                <th scope="col">Column</th>
                <th scope="col">Haven field</th>
                <th scope="col">Problem</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((issue, index) => (
                <IssueRow key={`${first + index}`} issue={issue} />
              ))}
            </tbody>
          </table>
        </TableRegion>
      )}
      {pages > 1 ? (
        <nav className="pagination" aria-label="Pages of errors and warnings">
          {page > 1 ? <Link to={pageLink(page - 1)}>Previous page</Link> : null}
          <span>
            Page {Math.min(page, pages)} of {pages}
          </span>
          {page < pages ? <Link to={pageLink(page + 1)}>Next page</Link> : null}
        </nav>
      ) : null}
      {report.omitted.errors + report.omitted.warnings > 0 ? (
        <p>
          Haven stopped listing after the first {count(report.errors.length + report.warnings.length)}:{' '}
          {count(report.omitted.errors)} more errors and {count(report.omitted.warnings)} more warnings are
          not listed. Fix the ones above and check the file again to see the rest.
        </p>
      ) : null}
    </section>
  );
}
