import { useMemo } from 'react';
import { Link } from 'react-router';
import { ChartFigure } from '../../components/chart.tsx';
import { formatNumber } from '../../components/page.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import {
  exportLinks,
  reportQuery,
  useReport,
  type Headline,
  type Progress8Report,
  type PupilProgress8,
  type ReportQuery,
} from './analysis-api.ts';
import { AnalysisPage, DownloadList, EmptyCohort, ScopeLine } from './analysis-page.tsx';
import { useAnalysisView } from './view.ts';
import { divergingBars, intervalChart, type Bar } from './charts.ts';
import { bandingOf, ELEMENTS, shortId, signed } from './labels.ts';
import { pageOf, Pagination } from './pagination.tsx';
import { SortableTable, sortRows, useSortOrder, type SortableColumn } from './sortable-table.tsx';

type SchoolProgress8 = NonNullable<Headline['progress8']>;

const BAND_WORDS: Record<string, string> = {
  low: 'Low',
  middle: 'Middle',
  high: 'High',
};

function intervalSummary(p8: SchoolProgress8): string {
  const band = bandingOf(p8.banding).label.toLowerCase();
  const position =
    p8.lower > 0
      ? 'the whole interval is above zero'
      : p8.upper < 0
        ? 'the whole interval is below zero'
        : 'the interval includes zero';
  return `Your school's Progress 8 is ${signed(p8.progress8)} for ${p8.pupils} pupils, with a 95% confidence interval from ${signed(p8.lower)} to ${signed(p8.upper)}: ${position}, so it is ${band}.`;
}

function SchoolFigure({ p8 }: { p8: SchoolProgress8 }) {
  const options = useMemo(() => intervalChart(p8), [p8]);
  const band = bandingOf(p8.banding);
  return (
    <ChartFigure
      title="Your school’s Progress 8 and its 95% confidence interval"
      summary={intervalSummary(p8)}
      options={options}
      rows={[p8]}
      rowKey={() => 'school'}
      columns={[
        { label: 'Progress 8', value: (row) => signed(row.progress8), numeric: true },
        { label: 'Lower end (95%)', value: (row) => signed(row.lower), numeric: true },
        { label: 'Upper end (95%)', value: (row) => signed(row.upper), numeric: true },
        { label: 'Pupils with a score', value: (row) => row.pupils, numeric: true },
        { label: 'Banding', value: () => band.label },
      ]}
    />
  );
}

function ElementsFigure({ p8 }: { p8: SchoolProgress8 }) {
  const bars: Bar[] = useMemo(
    () => [
      { label: 'Progress 8 (overall)', value: p8.progress8 },
      ...ELEMENTS.map((element) => ({ label: element.label, value: p8.elements[element.key] ?? 0 })),
    ],
    [p8],
  );
  const options = useMemo(() => divergingBars(bars, 'Score (0 is the national average) →'), [bars]);
  const best = [...bars].slice(1).sort((a, b) => b.value - a.value)[0];
  return (
    <ChartFigure
      title="Progress 8 by element"
      summary={`Progress 8 overall and for the English, maths, EBacc and open elements. ${
        best === undefined ? '' : `The strongest element is ${best.label} at ${signed(best.value)}.`
      }`}
      options={options}
      rows={bars}
      rowKey={(row) => row.label}
      columns={[
        { label: 'Element', value: (row) => row.label },
        { label: 'Score', value: (row) => signed(row.value), numeric: true },
      ]}
    />
  );
}

function pupilColumns(schoolId: string, withMissing: boolean): Array<SortableColumn<PupilProgress8>> {
  const columns: Array<SortableColumn<PupilProgress8>> = [
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
    {
      key: 'ks2',
      label: 'KS2 average',
      value: (row) => formatNumber(row.prior.average, 1),
      sortValue: (row) => row.prior.average,
      numeric: true,
    },
    {
      key: 'band',
      label: 'Prior band',
      value: (row) => (row.prior.band === null ? '—' : (BAND_WORDS[row.prior.band] ?? row.prior.band)),
    },
    {
      key: 'attainment8',
      label: 'Attainment 8',
      value: (row) => formatNumber(row.attainment8.total, 2),
      sortValue: (row) => row.attainment8.total,
      numeric: true,
    },
    {
      key: 'estimate',
      label: 'Estimate',
      value: (row) => formatNumber(row.estimate, 2),
      sortValue: (row) => row.estimate,
      numeric: true,
    },
    ...ELEMENTS.map((element): SortableColumn<PupilProgress8> => ({
      key: element.key,
      label: element.label,
      value: (row) => signed(row.progress8Elements?.[element.key]),
      numeric: true,
    })),
    {
      key: 'progress8',
      label: 'Progress 8',
      value: (row) => <strong>{signed(row.progress8)}</strong>,
      sortValue: (row) => row.progress8,
      numeric: true,
    },
  ];
  return withMissing
    ? [...columns, { key: 'missing', label: 'Why no Progress 8', value: (row) => row.progress8Missing ?? '' }]
    : columns;
}

function PupilTable({
  report,
  schoolId,
  query,
}: {
  report: Progress8Report;
  schoolId: string;
  query: ReportQuery;
}) {
  const { params } = useAnalysisView();
  const [sort, onSort] = useSortOrder({ key: 'progress8', order: 'desc' });
  const withMissing = report.pupils.some((pupil) => pupil.progress8 === null);
  const columns = useMemo(() => pupilColumns(schoolId, withMissing), [schoolId, withMissing]);
  const sorted = useMemo(() => sortRows(report.pupils, columns, sort), [report, columns, sort]);
  const { page, pages, first, shown } = pageOf(sorted, params);
  return (
    <section aria-labelledby="pupils-title">
      <h2 id="pupils-title">Each pupil’s Progress 8</h2>
      <p>
        Pupils are shown by their pseudonymous Haven id; open one to see who they are and their grades. The
        estimate is the national average Attainment 8 for pupils with the same KS2 results; English, Maths,
        EBacc and Open are the pupil’s Progress 8 element scores.
      </p>
      <DownloadList links={exportLinks(schoolId, 'progress8', query, 'every pupil’s Progress 8')} />
      <SortableTable
        caption={`Progress 8: pupils ${first + 1} to ${first + shown.length} of ${sorted.length} (select a column heading to sort)`}
        rows={shown}
        presorted
        columns={columns}
        rowKey={(row) => row.pupilId}
        sort={sort}
        onSort={onSort}
      />
      <Pagination page={page} pages={pages} what="pupils" />
    </section>
  );
}

function Progress8Content({
  report,
  headline,
  schoolId,
  query,
}: {
  report: Progress8Report;
  headline: Headline;
  schoolId: string;
  query: ReportQuery;
}) {
  const { filters } = useAnalysisView();
  const scope = (
    <ScopeLine
      point={report.scope.assessmentPoint}
      facet={report.scope.facet}
      yearGroup={filters.yearGroup}
      estimates={report.scope.estimates}
      pupils={report.pupils.length}
    />
  );
  if (report.pupils.length === 0) {
    return (
      <>
        {scope}
        <EmptyCohort reason={report.scope.empty} />
      </>
    );
  }
  const p8 = headline.progress8;
  return (
    <>
      {scope}
      {p8 === null ? (
        <Notice title="There is no school Progress 8 score for this view">
          <p>{headline.progress8Missing ?? 'The school figure could not be worked out.'}</p>
        </Notice>
      ) : (
        <>
          <SchoolFigure p8={p8} />
          <ElementsFigure p8={p8} />
        </>
      )}
      <PupilTable report={report} schoolId={schoolId} query={query} />
    </>
  );
}

function Progress8View() {
  const { schoolId, filters } = useAnalysisView();
  const query = reportQuery('progress8', filters);
  const headline = useReport<Headline>(schoolId, 'headline', reportQuery('headline', filters));
  const report = useReport<Progress8Report>(schoolId, 'progress8', query);
  return (
    <QueryView query={headline} what="the school’s Progress 8">
      {(school) => (
        <QueryView query={report} what="each pupil’s Progress 8">
          {(pupils) => (
            <Progress8Content report={pupils} headline={school} schoolId={schoolId} query={query} />
          )}
        </QueryView>
      )}
    </QueryView>
  );
}

/** Progress 8: the school figure with its interval, the elements, and every pupil's score. */
export function Progress8Page() {
  return (
    <AnalysisPage title="Progress 8" report="progress8">
      <Progress8View />
    </AnalysisPage>
  );
}
