import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { DataTable } from '../../components/chart.tsx';
import { formatNumber } from '../../components/page.tsx';
import { Loading, Notice, QueryView } from '../../components/status.tsx';
import {
  exportLinks,
  reportQuery,
  sharedSearch,
  useReport,
  type Headline,
  type Progress8Report,
  type ReportQuery,
} from './analysis-api.ts';
import { AnalysisPage, DownloadList, EmptyCohort, ScopeLine } from './analysis-page.tsx';
import { useAnalysisView } from './view.ts';
import { bandingOf, ELEMENTS, percent, signed } from './labels.ts';
import { SortableTable, useSortOrder, type SortableColumn } from './sortable-table.tsx';

type Subject = Headline['subjects'][number];
type Element = (typeof ELEMENTS)[number];

const SUBJECT_COLUMNS: ReadonlyArray<SortableColumn<Subject>> = [
  {
    key: 'subject',
    label: 'Subject',
    value: (row) => row.subjectName,
    sortValue: (row) => row.subjectName,
    rowHeader: true,
  },
  {
    key: 'pupils',
    label: 'Pupils',
    value: (row) => row.pupils,
    sortValue: (row) => row.pupils,
    numeric: true,
  },
  {
    key: 'average',
    label: 'Average points',
    value: (row) => formatNumber(row.averagePoints, 2),
    sortValue: (row) => row.averagePoints,
    numeric: true,
  },
];

function FigureCard({ value, label, detail }: { value: string; label: string; detail?: ReactNode }) {
  return (
    <li className="figure-card">
      <span className="figure-card__value">{value}</span>
      <span className="figure-card__label">{label}</span>
      {detail === undefined ? null : <span className="figure-card__detail">{detail}</span>}
    </li>
  );
}

function Progress8Card({ figures }: { figures: Headline }) {
  const p8 = figures.progress8;
  if (p8 === null) {
    return <FigureCard value="Not available" label="Progress 8" detail="The reason is given below." />;
  }
  const band = bandingOf(p8.banding);
  return (
    <FigureCard
      value={signed(p8.progress8)}
      label="Progress 8"
      detail={
        <>
          95% confidence interval {signed(p8.lower)} to {signed(p8.upper)}
          <br />
          <strong className={`tag ${band.tag}`}>{band.label}</strong>
        </>
      }
    />
  );
}

/** Why some pupils have no Progress 8, counted by reason (from the pupil-level report). */
function MissingReasons({
  schoolId,
  query,
  missing,
}: {
  schoolId: string;
  query: ReportQuery;
  missing: number;
}) {
  const report = useReport<Progress8Report>(schoolId, 'progress8', query, missing > 0);
  if (missing === 0) {
    return null;
  }
  if (report.isPending) {
    return <Loading what="why some pupils have no Progress 8" />;
  }
  if (report.isError) {
    return <p>The reasons could not be loaded: {report.error.message}</p>;
  }
  const reasons = new Map<string, number>();
  for (const pupil of report.data.pupils) {
    if (pupil.progress8 === null) {
      const reason = pupil.progress8Missing ?? 'No reason given';
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  }
  return (
    <ul>
      {[...reasons].map(([reason, count]) => (
        <li key={reason}>
          {count} {count === 1 ? 'pupil' : 'pupils'}: {reason}
        </li>
      ))}
    </ul>
  );
}

function PupilsCounted({
  figures,
  schoolId,
  query,
}: {
  figures: Headline;
  schoolId: string;
  query: ReportQuery;
}) {
  const missing = figures.pupils - figures.pupilsWithProgress8;
  return (
    <section aria-labelledby="pupils-counted-title">
      <h2 id="pupils-counted-title">Pupils counted</h2>
      <dl className="summary-list">
        <div>
          <dt>Pupils in the cohort</dt>
          <dd>{figures.pupils}</dd>
        </div>
        <div>
          <dt>With a Progress 8 score</dt>
          <dd>{figures.pupilsWithProgress8}</dd>
        </div>
        <div>
          <dt>Without a Progress 8 score</dt>
          <dd>
            {missing}
            <MissingReasons schoolId={schoolId} query={query} missing={missing} />
          </dd>
        </div>
      </dl>
      {figures.progress8 === null && figures.progress8Missing !== undefined ? (
        <Notice title="Why there is no Progress 8 score">
          <p>{figures.progress8Missing}</p>
        </Notice>
      ) : null}
    </section>
  );
}

function Elements({ elements }: { elements: Record<string, number | null> }) {
  return (
    <section aria-labelledby="elements-title">
      <h2 id="elements-title">Progress 8 by element</h2>
      <p>
        Each element compares pupils’ points in those Attainment 8 slots with the national estimate for pupils
        with the same prior attainment, divided by the number of slots.
      </p>
      <ul className="figures figures--elements">
        {ELEMENTS.map((element) => (
          <FigureCard key={element.key} value={signed(elements[element.key])} label={element.label} />
        ))}
      </ul>
      <DataTable<Element>
        caption="Progress 8 elements"
        rows={ELEMENTS}
        rowKey={(row) => row.key}
        columns={[
          { label: 'Element', value: (row) => row.label },
          { label: 'Slots in Attainment 8', value: (row) => row.slots, numeric: true },
          {
            label: 'Progress 8 element score',
            value: (row) => signed(elements[row.key]),
            numeric: true,
          },
        ]}
      />
    </section>
  );
}

function HeadlineFigures({
  figures,
  schoolId,
  query,
}: {
  figures: Headline;
  schoolId: string;
  query: ReportQuery;
}) {
  const { filters } = useAnalysisView();
  const [sort, onSort] = useSortOrder({ key: 'subject', order: 'asc' });
  const scope = (
    <ScopeLine
      point={figures.scope.assessmentPoint}
      facet={figures.scope.facet}
      yearGroup={filters.yearGroup}
      estimates={figures.scope.estimates}
    />
  );
  if (figures.pupils === 0) {
    return (
      <>
        {scope}
        <EmptyCohort reason={figures.scope.empty ?? figures.progress8Missing} />
      </>
    );
  }
  return (
    <>
      {scope}
      <h2 className="visually-hidden">Key measures</h2>
      <ul className="figures">
        <Progress8Card figures={figures} />
        <FigureCard value={formatNumber(figures.attainment8, 2)} label="Attainment 8" />
        <FigureCard value={percent(figures.basicsStandard)} label="Grade 4+ in English and maths" />
        <FigureCard value={percent(figures.basicsStrong)} label="Grade 5+ in English and maths" />
        <FigureCard value={percent(figures.ebaccEntry)} label="Entered for the EBacc" />
        <FigureCard value={formatNumber(figures.ebaccAps, 2)} label="EBacc average point score" />
      </ul>
      <PupilsCounted figures={figures} schoolId={schoolId} query={query} />
      {figures.progress8 === null ? null : <Elements elements={figures.progress8.elements} />}
      <section aria-labelledby="subjects-title">
        <h2 id="subjects-title">Average points by subject</h2>
        <p className="hint">Select a column heading to sort the table.</p>
        <SortableTable
          caption={<span className="visually-hidden">Average points by subject</span>}
          rows={figures.subjects}
          columns={SUBJECT_COLUMNS}
          rowKey={(row) => row.subject}
          sort={sort}
          onSort={onSort}
        />
      </section>
      <h2>Download</h2>
      <DownloadList links={exportLinks(schoolId, 'headline', query, 'the headline figures')} />
    </>
  );
}

function HeadlineView() {
  const { schoolId, filters, params } = useAnalysisView();
  const query = reportQuery('headline', filters);
  const headline = useReport<Headline>(schoolId, 'headline', query);
  return (
    <>
      <QueryView query={headline} what="the headline figures">
        {(figures) => <HeadlineFigures figures={figures} schoolId={schoolId} query={query} />}
      </QueryView>
      <p>
        More detail:{' '}
        <Link to={{ pathname: `/schools/${schoolId}/analysis/progress-8`, search: sharedSearch(params) }}>
          every pupil’s Progress 8
        </Link>
        .
      </p>
    </>
  );
}

/** Headline measures: Attainment 8, Progress 8 with its interval and banding, basics, EBacc, subjects. */
export function HeadlinePage() {
  return (
    <AnalysisPage title="Headline figures" report="headline">
      <HeadlineView />
    </AnalysisPage>
  );
}
