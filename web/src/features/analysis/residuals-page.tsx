import { useMemo } from 'react';
import { ChartFigure, DataTable } from '../../components/chart.tsx';
import { QueryView } from '../../components/status.tsx';
import {
  exportLinks,
  reportQuery,
  useReport,
  type ReportQuery,
  type ResidualsReport,
} from './analysis-api.ts';
import { signed } from './labels.ts';
import { AnalysisPage, EmptyCohort, ScopeLine } from './analysis-page.tsx';
import { useAnalysisView } from './view.ts';
import { divergingBars, type Bar } from './charts.ts';

type SubjectResidual = ResidualsReport['bySubject'][number];
type ClassResidual = ResidualsReport['byClass'][number];

/** How a residual reads in words: a tenth of a grade either way is treated as in line. */
function verdict(residual: number): string {
  if (residual >= 0.1) {
    return 'Better than in their other subjects';
  }
  if (residual <= -0.1) {
    return 'Worse than in their other subjects';
  }
  return 'In line with their other subjects';
}

function SubjectFigure({
  rows,
  downloads,
}: {
  rows: readonly SubjectResidual[];
  downloads: ReturnType<typeof exportLinks>;
}) {
  const sorted = useMemo(() => [...rows].sort((a, b) => b.meanResidual - a.meanResidual), [rows]);
  const bars: Bar[] = useMemo(
    () => sorted.map((row) => ({ label: row.subjectName, value: row.meanResidual })),
    [sorted],
  );
  const options = useMemo(
    () => divergingBars(bars, 'Mean residual in grades (0 = as in their other subjects) →', 0.3),
    [bars],
  );
  const best = sorted[0];
  const worst = sorted.at(-1);
  return (
    <ChartFigure
      title="Subject residuals: how pupils do in each subject against their other subjects"
      summary={`Each subject's mean residual in grades, best first.${
        best === undefined || worst === undefined
          ? ''
          : ` Highest: ${best.subjectName} (${signed(best.meanResidual)}). Lowest: ${worst.subjectName} (${signed(worst.meanResidual)}).`
      }`}
      options={options}
      rows={sorted}
      rowKey={(row) => row.subject}
      columns={[
        { label: 'Subject', value: (row) => row.subjectName },
        { label: 'Pupils', value: (row) => row.pupils, numeric: true },
        { label: 'Mean residual (grades)', value: (row) => signed(row.meanResidual), numeric: true },
        { label: 'Reading', value: (row) => verdict(row.meanResidual) },
      ]}
      downloads={downloads}
    />
  );
}

function ByClass({ report }: { report: ResidualsReport }) {
  const names = new Map(report.bySubject.map((row) => [row.subject, row.subjectName]));
  const rows = [...report.byClass].sort(
    (a, b) =>
      (names.get(a.subject) ?? a.subject).localeCompare(names.get(b.subject) ?? b.subject) ||
      b.meanResidual - a.meanResidual,
  );
  return (
    <details className="analysis-details">
      <summary>Residuals by class ({rows.length} classes)</summary>
      <DataTable<ClassResidual>
        caption="Subject residuals by class"
        rows={rows}
        rowKey={(row) => `${row.className}/${row.subject}`}
        columns={[
          { label: 'Subject', value: (row) => names.get(row.subject) ?? row.subject },
          { label: 'Class', value: (row) => row.className },
          { label: 'Pupils', value: (row) => row.pupils, numeric: true },
          { label: 'Mean residual (grades)', value: (row) => signed(row.meanResidual), numeric: true },
          { label: 'Reading', value: (row) => verdict(row.meanResidual) },
        ]}
      />
    </details>
  );
}

function ResidualsContent({
  report,
  schoolId,
  query,
}: {
  report: ResidualsReport;
  schoolId: string;
  query: ReportQuery;
}) {
  const scope = <ScopeLine point={report.point} facet={report.facet} />;
  if (report.bySubject.length === 0) {
    return (
      <>
        {scope}
        <EmptyCohort reason={report.empty ?? 'No pupil you can see has grades at this assessment point.'} />
      </>
    );
  }
  return (
    <>
      {scope}
      <p>
        A pupil’s residual in a subject is their grade there minus their average grade in their other
        subjects. A subject whose mean residual is above zero gets better grades from its pupils than their
        other subjects do; below zero, worse.
      </p>
      <SubjectFigure
        rows={report.bySubject}
        downloads={exportLinks(schoolId, 'residuals', query, 'the residuals by subject')}
      />
      <ByClass report={report} />
    </>
  );
}

function ResidualsView() {
  const { schoolId, filters } = useAnalysisView();
  const query = reportQuery('residuals', filters);
  const report = useReport<ResidualsReport>(schoolId, 'residuals', query);
  return (
    <QueryView query={report} what="the subject residuals">
      {(data) => <ResidualsContent report={data} schoolId={schoolId} query={query} />}
    </QueryView>
  );
}

/** Residuals: which subjects do better or worse than the same pupils' other subjects. */
export function ResidualsPage() {
  return (
    <AnalysisPage title="Subject residuals" report="residuals">
      <ResidualsView />
    </AnalysisPage>
  );
}
