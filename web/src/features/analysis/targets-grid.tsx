// The targets grid: pupils down the side, subjects across, each grade against its target shown by a
// symbol and words (never colour alone), sortable by how many grades are below, on or above target.
import { useMemo, type FormEvent } from 'react';
import { Link } from 'react-router';
import { formText, SelectField } from '../../components/form.tsx';
import type { TargetPair, TargetsReport } from './analysis-api.ts';
import { useAnalysisView } from './view.ts';
import { shortId } from './labels.ts';
import { pageOf, Pagination } from './pagination.tsx';
import { SortableTable, sortRows, useSortOrder, type SortableColumn } from './sortable-table.tsx';

type Status = TargetPair['status'];

export const STATUS: Record<Status, { symbol: string; words: string }> = {
  above: { symbol: '▲', words: 'Above target' },
  on: { symbol: '●', words: 'On target' },
  below: { symbol: '▼', words: 'Below target' },
};

/** One grade against its target: a symbol and the words (for screen readers), never colour alone. */
function StatusCell({ pair }: { pair: TargetPair | undefined }) {
  if (pair === undefined) {
    return (
      <>
        <span aria-hidden="true">–</span>
        <span className="visually-hidden">No grade or no target</span>
      </>
    );
  }
  const status = STATUS[pair.status];
  return (
    <span className={`status status--${pair.status}`}>
      <span className="status__symbol" aria-hidden="true">
        {status.symbol}
      </span>
      <span className="visually-hidden">
        {status.words}: grade {pair.grade}, target {pair.target}
      </span>
      <span aria-hidden="true">
        {pair.grade}
        <span className="status__target"> / {pair.target}</span>
      </span>
    </span>
  );
}

interface GridRow {
  pupilId: string;
  cells: Map<string, TargetPair>;
  above: number;
  on: number;
  below: number;
}

function gridRows(pairs: readonly TargetPair[]): GridRow[] {
  const rows = new Map<string, GridRow>();
  for (const pair of pairs) {
    const row = rows.get(pair.pupilId) ?? {
      pupilId: pair.pupilId,
      cells: new Map(),
      above: 0,
      on: 0,
      below: 0,
    };
    row.cells.set(pair.subject, pair);
    row[pair.status] += 1;
    rows.set(pair.pupilId, row);
  }
  return [...rows.values()];
}

const countColumn = (status: Status): SortableColumn<GridRow> => ({
  key: status,
  label: STATUS[status].words.replace(' target', ''),
  value: (row) => row[status],
  sortValue: (row) => row[status],
  numeric: true,
});

function gridColumns(
  schoolId: string,
  subjects: ReadonlyArray<{ subject: string; subjectName: string }>,
): Array<SortableColumn<GridRow>> {
  return [
    {
      key: 'pupil',
      label: 'Pupil',
      rowHeader: true,
      value: (row) => (
        <Link to={`/schools/${schoolId}/pupils/${row.pupilId}`} className="pupil-id">
          <span className="visually-hidden">Pupil </span>
          {shortId(row.pupilId)}
        </Link>
      ),
    },
    countColumn('below'),
    countColumn('on'),
    countColumn('above'),
    ...subjects.map((subject): SortableColumn<GridRow> => ({
      key: `subject:${subject.subject}`,
      label: subject.subjectName,
      value: (row) => <StatusCell pair={row.cells.get(subject.subject)} />,
    })),
  ];
}

function GridChoice({ report }: { report: TargetsReport }) {
  const { params, setParams } = useAnalysisView();
  const classes = [...new Set(report.tracking.byClass.map((row) => row.className))].sort((a, b) =>
    a.localeCompare(b, 'en-GB', { numeric: true }),
  );
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams(params);
    for (const key of ['subject', 'class']) {
      const value = formText(data, key);
      if (value === '') {
        next.delete(key);
      } else {
        next.set(key, value);
      }
    }
    next.delete('page');
    setParams(next, { preventScrollReset: true });
  };
  return (
    <form className="filters" onSubmit={submit} key={params.toString()} aria-label="Which pupils to list">
      <SelectField
        id="subject"
        label="Subject"
        defaultValue={params.get('subject') ?? ''}
        options={[
          { value: '', label: 'All subjects' },
          ...report.tracking.bySubject.map((row) => ({ value: row.subject, label: row.subjectName })),
        ]}
      />
      <SelectField
        id="class"
        label="Class"
        defaultValue={params.get('class') ?? ''}
        options={[
          { value: '', label: 'All classes' },
          ...classes.map((name) => ({ value: name, label: name })),
        ]}
      />
      <div className="analysis-filters__actions">
        <button type="submit" className="button button--primary">
          List pupils
        </button>
      </div>
    </form>
  );
}

function TargetsKey() {
  return (
    <ul className="targets-key" aria-label="Key">
      {(['above', 'on', 'below'] as const).map((status) => (
        <li key={status}>
          <span className={`status status--${status}`}>
            <span className="status__symbol" aria-hidden="true">
              {STATUS[status].symbol}
            </span>
          </span>{' '}
          {STATUS[status].words.toLowerCase()}
        </li>
      ))}
      <li>each cell: grade / target</li>
    </ul>
  );
}

/** Every pupil's grades against targets, a page at a time, narrowed by subject or class. */
export function PupilGrid({ report, schoolId }: { report: TargetsReport; schoolId: string }) {
  const { params } = useAnalysisView();
  const [sort, onSort] = useSortOrder({ key: 'below', order: 'desc' });
  const subject = params.get('subject');
  const className = params.get('class');
  const pairs = useMemo(
    () =>
      report.pupils.filter(
        (pair) =>
          (subject === null || pair.subject === subject) &&
          (className === null || pair.className === className),
      ),
    [report, subject, className],
  );
  const columns = useMemo(() => {
    const present = new Set(pairs.map((pair) => pair.subject));
    return gridColumns(
      schoolId,
      report.tracking.bySubject.filter((row) => present.has(row.subject)),
    );
  }, [pairs, report, schoolId]);
  const rows = useMemo(() => sortRows(gridRows(pairs), columns, sort), [pairs, columns, sort]);
  const { page, pages, first, shown } = pageOf(rows, params);
  return (
    <section aria-labelledby="grid-title">
      <h2 id="grid-title">Each pupil against their targets</h2>
      <GridChoice report={report} />
      <TargetsKey />
      {rows.length === 0 ? (
        <p>No pupil has a grade and a target for this subject and class.</p>
      ) : (
        <>
          <SortableTable
            className="table targets-grid"
            caption={`Grades against targets: pupils ${first + 1} to ${first + shown.length} of ${rows.length} (select a count heading to sort)`}
            rows={shown}
            columns={columns}
            rowKey={(row) => row.pupilId}
            sort={sort}
            onSort={onSort}
            presorted
          />
          <Pagination page={page} pages={pages} what="pupils" />
        </>
      )}
    </section>
  );
}
