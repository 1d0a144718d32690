import { useMemo } from 'react';
import { ChartFigure, DataTable } from '../../components/chart.tsx';
import { QueryView } from '../../components/status.tsx';
import { exportLinks, reportQuery, useReport, type ReportQuery, type TargetsReport } from './analysis-api.ts';
import { AnalysisPage, EmptyCohort } from './analysis-page.tsx';
import { useAnalysisView } from './view.ts';
import { targetsChart, type TargetCounts } from './charts.ts';
import { facetWords, percent } from './labels.ts';
import { PupilGrid, STATUS } from './targets-grid.tsx';

type ClassCounts = TargetsReport['tracking']['byClass'][number];

function onOrAbove(row: { above: number; on: number; total: number }): number | null {
  return row.total === 0 ? null : (row.above + row.on) / row.total;
}

function Summary({ report }: { report: TargetsReport }) {
  const overall = report.tracking.overall;
  const share = (count: number) => (overall.total === 0 ? '' : ` (${percent(count / overall.total)})`);
  return (
    <ul className="figures">
      {(['above', 'on', 'below'] as const).map((status) => (
        <li key={status} className="figure-card">
          <span className="figure-card__value">
            <span className={`status status--${status}`}>
              <span className="status__symbol" aria-hidden="true">
                {STATUS[status].symbol}
              </span>
            </span>{' '}
            {overall[status]}
          </span>
          <span className="figure-card__label">
            {STATUS[status].words}
            {share(overall[status])}
          </span>
        </li>
      ))}
      <li className="figure-card">
        <span className="figure-card__value">{overall.total}</span>
        <span className="figure-card__label">Grades with a target</span>
      </li>
    </ul>
  );
}

function SubjectFigure({
  report,
  downloads,
}: {
  report: TargetsReport;
  downloads: ReturnType<typeof exportLinks>;
}) {
  const rows: TargetCounts[] = useMemo(
    () => [...report.tracking.bySubject].sort((a, b) => (onOrAbove(b) ?? 0) - (onOrAbove(a) ?? 0)),
    [report],
  );
  const options = useMemo(() => targetsChart(rows), [rows]);
  const best = rows[0];
  const worst = rows.at(-1);
  return (
    <ChartFigure
      title="Grades against targets by subject"
      summary={`For each subject, the share of grades below, on and above target.${
        best === undefined || worst === undefined
          ? ''
          : ` Most on or above target: ${best.subjectName} (${percent(onOrAbove(best))}). Fewest: ${worst.subjectName} (${percent(onOrAbove(worst))}).`
      }`}
      options={options}
      rows={rows}
      rowKey={(row) => row.subjectName}
      columns={[
        { label: 'Subject', value: (row) => row.subjectName },
        { label: 'Above', value: (row) => row.above, numeric: true },
        { label: 'On', value: (row) => row.on, numeric: true },
        { label: 'Below', value: (row) => row.below, numeric: true },
        { label: 'Total', value: (row) => row.total, numeric: true },
        { label: 'On or above target', value: (row) => percent(onOrAbove(row)), numeric: true },
      ]}
      downloads={downloads}
    />
  );
}

function ByClass({ report }: { report: TargetsReport }) {
  const rows = report.tracking.byClass;
  const names = new Map(report.tracking.bySubject.map((row) => [row.subject, row.subjectName]));
  return (
    <details className="analysis-details">
      <summary>Counts by class ({rows.length} classes)</summary>
      <DataTable<ClassCounts>
        caption="Grades against targets by class"
        rows={rows}
        rowKey={(row) => `${row.className}/${row.subject}`}
        columns={[
          { label: 'Class', value: (row) => row.className },
          { label: 'Subject', value: (row) => names.get(row.subject) ?? row.subject },
          { label: 'Above', value: (row) => row.above, numeric: true },
          { label: 'On', value: (row) => row.on, numeric: true },
          { label: 'Below', value: (row) => row.below, numeric: true },
          { label: 'Total', value: (row) => row.total, numeric: true },
          { label: 'On or above target', value: (row) => percent(onOrAbove(row)), numeric: true },
        ]}
      />
    </details>
  );
}

function TargetsContent({
  report,
  schoolId,
  query,
}: {
  report: TargetsReport;
  schoolId: string;
  query: ReportQuery;
}) {
  const pupils = new Set(report.pupils.map((pair) => pair.pupilId)).size;
  const scope = (
    <p className="analysis-scope">
      Showing <strong>{facetWords(report.facet)}</strong> at{' '}
      <strong>{report.point?.name ?? 'no assessment point yet'}</strong> against targets set at{' '}
      <strong>{report.targetPoint?.name ?? 'no assessment point yet'}</strong>
      {report.pupils.length === 0 ? '' : ` (${pupils} ${pupils === 1 ? 'pupil' : 'pupils'} you can see)`}.
    </p>
  );
  if (report.pupils.length === 0) {
    return (
      <>
        {scope}
        <EmptyCohort
          reason={
            report.empty ??
            'No pupil you can see has both a grade at this point and a target to compare it with.'
          }
        />
      </>
    );
  }
  return (
    <>
      {scope}
      <Summary report={report} />
      <SubjectFigure
        report={report}
        downloads={exportLinks(schoolId, 'targets', query, 'the counts by subject')}
      />
      <ByClass report={report} />
      <PupilGrid report={report} schoolId={schoolId} />
    </>
  );
}

function TargetsView() {
  const { schoolId, filters } = useAnalysisView();
  const query = reportQuery('targets', filters);
  const report = useReport<TargetsReport>(schoolId, 'targets', query);
  return (
    <QueryView query={report} what="progress against targets">
      {(data) => <TargetsContent report={data} schoolId={schoolId} query={query} />}
    </QueryView>
  );
}

/** Targets: above / on / below for every grade, by subject, by class and pupil by pupil. */
export function TargetsPage() {
  return (
    <AnalysisPage title="Progress against targets" report="targets">
      <TargetsView />
    </AnalysisPage>
  );
}
