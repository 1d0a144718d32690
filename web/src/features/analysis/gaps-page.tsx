import { useMemo } from 'react';
import { ChartFigure, type Column } from '../../components/chart.tsx';
import { SelectField } from '../../components/form.tsx';
import { Notice, QueryView } from '../../components/status.tsx';
import { exportLinks, reportQuery, useReport, type GapsReport, type ReportQuery } from './analysis-api.ts';
import { AnalysisPage, EmptyCohort, ScopeLine } from './analysis-page.tsx';
import { useAnalysisView } from './view.ts';
import { gapsChart, signedTick, type GapRow } from './charts.ts';
import {
  DIMENSION_LABELS,
  dimensionLabel,
  formatGap,
  formatMeasure,
  groupLabel,
  measureOf,
  MEASURES,
  type Measure,
} from './labels.ts';

/** The subgroups leaders usually look at first, on one chart. */
const KEY_DIMENSIONS = [
  'sex',
  'disadvantaged',
  'fsm6',
  'sen',
  'eal',
  'looked_after',
  'ethnicity_group',
  'prior_band',
];
const GROUP_SIZES = ['3', '5', '10', '20'];
const DEFAULTS = { dimension: 'key', measure: 'progress8', minGroupSize: '5' };

interface Row {
  id: string;
  dimension: string;
  label: string;
  pupils: number | null;
  suppressed: boolean;
  group: number | null;
  gap: number | null;
}

function viewOf(params: URLSearchParams) {
  const dimension = params.get('dimension') ?? DEFAULTS.dimension;
  const size = Number(params.get('minGroupSize') ?? DEFAULTS.minGroupSize);
  return {
    dimension: dimension === 'key' || dimension in DIMENSION_LABELS ? dimension : 'key',
    measure: measureOf(params.get('measure')),
    minGroupSize: Number.isInteger(size) && size >= 3 && size <= 100 ? size : 5,
  };
}

function rowsOf(report: GapsReport, dimension: string, measure: Measure): Row[] {
  const chosen =
    dimension === 'key'
      ? report.dimensions.filter((entry) => KEY_DIMENSIONS.includes(entry.dimension))
      : report.dimensions.filter((entry) => entry.dimension === dimension);
  return chosen.flatMap((entry) =>
    entry.groups.map((group) => ({
      id: `${entry.dimension}/${group.value}`,
      dimension: entry.dimension,
      label: groupLabel(entry.dimension, group.value),
      pupils: group.pupils,
      suppressed: group.suppressed,
      group: group.measures?.[measure.key] ?? null,
      gap: group.gaps?.[measure.key] ?? null,
    })),
  );
}

function GapsFigure({
  rows,
  measure,
  minGroupSize,
  withDimension,
  downloads,
}: {
  rows: Row[];
  measure: Measure;
  minGroupSize: number;
  withDimension: boolean;
  downloads: ReturnType<typeof exportLinks>;
}) {
  const scale = measure.share ? 100 : 1;
  const charted: GapRow[] = useMemo(
    () =>
      rows.flatMap((row) =>
        row.group === null || row.gap === null
          ? []
          : [
              {
                label: row.label,
                group: row.group * scale,
                rest: (row.group - row.gap) * scale,
                gapText: formatGap(measure, row.gap),
              },
            ],
      ),
    [rows, measure, scale],
  );
  const options = useMemo(
    () =>
      gapsChart(
        charted,
        measure.share ? `${measure.label} (%) →` : `${measure.label} →`,
        measure.share ? (value: number) => `${value}%` : measure.key === 'progress8' ? signedTick : String,
        measure.key === 'progress8',
      ),
    [charted, measure],
  );
  const widest = [...rows]
    .filter((row) => row.gap !== null)
    .sort((a, b) => Math.abs(b.gap ?? 0) - Math.abs(a.gap ?? 0))[0];
  const columns: Array<Column<Row>> = [
    ...(withDimension
      ? [{ label: 'Characteristic', value: (row: Row) => dimensionLabel(row.dimension) }]
      : []),
    { label: 'Group', value: (row) => row.label },
    {
      label: 'Pupils',
      value: (row) => (row.suppressed ? `Fewer than ${minGroupSize}: not shown` : (row.pupils ?? '—')),
      numeric: true,
    },
    { label: 'This group', value: (row) => formatMeasure(measure, row.group), numeric: true },
    {
      label: 'Rest of the cohort',
      value: (row) =>
        row.group === null || row.gap === null ? '—' : formatMeasure(measure, row.group - row.gap),
      numeric: true,
    },
    { label: 'Gap', value: (row) => formatGap(measure, row.gap), numeric: true },
  ];
  return (
    <ChartFigure
      title={`${measure.label}: each subgroup against the rest of the cohort`}
      summary={`${measure.label} for each subgroup (dot) beside the rest of the cohort (diamond), with the gap printed. ${
        widest === undefined
          ? ''
          : `The widest gap is for ${widest.label}: ${formatGap(measure, widest.gap)}.`
      }`}
      options={options}
      rows={rows}
      columns={columns}
      rowKey={(row) => row.id}
      downloads={downloads}
    />
  );
}

function GapsContent({
  report,
  schoolId,
  query,
}: {
  report: GapsReport;
  schoolId: string;
  query: ReportQuery;
}) {
  const { filters, params } = useAnalysisView();
  const view = viewOf(params);
  const rows = useMemo(
    () => rowsOf(report, view.dimension, view.measure),
    [report, view.dimension, view.measure],
  );
  const scope = (
    <ScopeLine
      point={report.scope.assessmentPoint}
      facet={report.scope.facet}
      yearGroup={filters.yearGroup}
      estimates={report.scope.estimates}
      pupils={report.cohort.pupils}
    />
  );
  if (report.cohort.pupils === 0) {
    return (
      <>
        {scope}
        <EmptyCohort reason={report.scope.empty} />
      </>
    );
  }
  const whole = report.cohort[view.measure.key];
  const charted = rows.filter((row) => row.gap !== null).length;
  return (
    <>
      {scope}
      <p>
        {view.measure.label} for the whole cohort: <strong>{formatMeasure(view.measure, whole)}</strong>. A
        positive gap means the group does better than the rest of the cohort.
      </p>
      <p className="hint">
        Groups with fewer than {report.minGroupSize} pupils, or whose rest of the cohort is that small, show
        no figures, so that no child can be singled out.
      </p>
      {rows.length === 0 ? (
        <Notice title="No subgroups to compare">
          <p>No pupil in this cohort has a recorded {dimensionLabel(view.dimension).toLowerCase()}.</p>
        </Notice>
      ) : (
        <>
          {charted === 0 ? (
            <Notice title={`No gaps in ${view.measure.label} to chart`}>
              <p>
                None of these groups has a {view.measure.label} figure to compare (groups may be too small, or
                the measure cannot be worked out for this cohort). Try another measure or subgroup.
              </p>
            </Notice>
          ) : null}
          <GapsFigure
            rows={rows}
            measure={view.measure}
            minGroupSize={report.minGroupSize}
            withDimension={view.dimension === 'key'}
            downloads={exportLinks(schoolId, 'gaps', query, 'every subgroup and measure')}
          />
        </>
      )}
    </>
  );
}

function GapsView() {
  const { schoolId, filters, params } = useAnalysisView();
  const view = viewOf(params);
  const query = reportQuery('gaps', filters, {
    minGroupSize: view.minGroupSize === 5 ? undefined : view.minGroupSize,
  });
  const report = useReport<GapsReport>(schoolId, 'gaps', query);
  return (
    <QueryView query={report} what="the subgroup gaps">
      {(data) => <GapsContent report={data} schoolId={schoolId} query={query} />}
    </QueryView>
  );
}

function GapsFields() {
  const { params } = useAnalysisView();
  const view = viewOf(params);
  return (
    <>
      <SelectField
        id="dimension"
        label="Subgroups"
        defaultValue={view.dimension}
        options={[
          { value: 'key', label: 'Main subgroups' },
          ...Object.entries(DIMENSION_LABELS).map(([value, label]) => ({ value, label })),
        ]}
      />
      <SelectField
        id="measure"
        label="Measure"
        defaultValue={view.measure.key}
        options={MEASURES.map((measure) => ({ value: measure.key, label: measure.label }))}
      />
      <SelectField
        id="minGroupSize"
        label="Smallest group shown"
        defaultValue={String(view.minGroupSize)}
        options={[...new Set([...GROUP_SIZES, String(view.minGroupSize)])]
          .sort((a, b) => Number(a) - Number(b))
          .map((size) => ({ value: size, label: `${size} pupils` }))}
      />
    </>
  );
}

/** Subgroup gaps: each group's figure beside the rest of the cohort, small groups suppressed. */
export function GapsPage() {
  return (
    <AnalysisPage title="Subgroup gaps" report="gaps" extra={<GapsFields />} extraDefaults={DEFAULTS}>
      <GapsView />
    </AnalysisPage>
  );
}
