import { dot, line } from '@observablehq/plot';
import { useMemo } from 'react';
import type { Static } from 'typebox';
import type { PupilResponse } from '../../../../src/modules/pupils/pupils.schema.ts';
import { ChartFigure, DataTable } from '../../components/chart.tsx';

type Result = Static<typeof PupilResponse>['results'][number];

interface PathRow {
  subject: string;
  point: string;
  rank: number;
  achieved: Result | undefined;
  target: Result | undefined;
  prediction: Result | undefined;
}

/** One row per subject and assessment point, with what was achieved beside the target and prediction. */
function pathRows(results: readonly Result[]): PathRow[] {
  const rows = new Map<string, PathRow>();
  for (const result of results) {
    const key = `${result.subject.code}|${result.assessmentPoint.id}`;
    const row = rows.get(key) ?? {
      subject: result.subject.name,
      point: result.assessmentPoint.name,
      rank: result.assessmentPoint.rank,
      achieved: undefined,
      target: undefined,
      prediction: undefined,
    };
    if (result.facet === 'achieved' || result.facet === 'target' || result.facet === 'prediction') {
      row[result.facet] = result;
    }
    rows.set(key, row);
  }
  return [...rows.values()].toSorted((a, b) => a.subject.localeCompare(b.subject) || a.rank - b.rank);
}

function status(row: PathRow): string {
  if (row.achieved === undefined || row.target === undefined) {
    return '—';
  }
  const gap = row.achieved.points - row.target.points;
  return gap > 0 ? '▲ Above target' : gap < 0 ? '▼ Below target' : '● On target';
}

/**
 * The flight path: each subject's achieved points across the assessment points as a line in its own band,
 * targets as open circles (shape, not colour, tells them apart); the table repeats every figure.
 */
export function FlightPath({ results }: { results: readonly Result[] }) {
  const rows = useMemo(() => pathRows(results), [results]);
  const points = useMemo(
    () => [...new Set(rows.toSorted((a, b) => a.rank - b.rank).map((row) => row.point))],
    [rows],
  );
  const achieved = useMemo(() => results.filter((result) => result.facet === 'achieved'), [results]);
  const targets = useMemo(() => results.filter((result) => result.facet === 'target'), [results]);
  const subjects = useMemo(
    () => [...new Set(achieved.map((result) => result.subject.name))].toSorted(),
    [achieved],
  );
  // Small multiples, one band per subject: ten lines in one chart would cross and hide each other.
  const options = useMemo(
    () => ({
      width: 880,
      height: 40 + subjects.length * 56,
      marginLeft: 40,
      marginRight: 150,
      x: { type: 'point' as const, domain: points, label: null, padding: 0.3 },
      y: { label: 'Points', grid: true, ticks: 3 },
      fy: { domain: subjects, label: null, axis: 'right' as const },
      marks: [
        line(achieved, {
          x: (d: Result) => d.assessmentPoint.name,
          y: 'points',
          fy: (d: Result) => d.subject.name,
          strokeWidth: 2,
        }),
        dot(achieved, {
          x: (d: Result) => d.assessmentPoint.name,
          y: 'points',
          fy: (d: Result) => d.subject.name,
          fill: 'currentColor',
          r: 3,
        }),
        dot(targets, {
          x: (d: Result) => d.assessmentPoint.name,
          y: 'points',
          fy: (d: Result) => d.subject.name,
          stroke: 'currentColor',
          r: 6,
        }),
      ],
    }),
    [achieved, targets, points, subjects],
  );
  if (achieved.length === 0) {
    return (
      <DataTable
        caption="Results"
        rows={rows}
        rowKey={(row) => `${row.subject}${row.point}`}
        columns={[
          { label: 'Subject', value: (row) => row.subject },
          { label: 'Assessment point', value: (row) => row.point },
          { label: 'Target', value: (row) => row.target?.grade ?? '—' },
          { label: 'Prediction', value: (row) => row.prediction?.grade ?? '—' },
        ]}
      />
    );
  }
  return (
    <ChartFigure
      title="Flight path: points achieved in each subject"
      tableCollapsed
      summary={`Points achieved in ${new Set(achieved.map((result) => result.subject.code)).size} subjects across ${points.length} assessment points, one band per subject, with targets as open circles. The data table below lists every figure.`}
      options={options}
      rows={rows}
      rowKey={(row) => `${row.subject}${row.point}`}
      columns={[
        { label: 'Subject', value: (row) => row.subject },
        { label: 'Assessment point', value: (row) => row.point },
        { label: 'Achieved', value: (row) => row.achieved?.grade ?? '—' },
        { label: 'Target', value: (row) => row.target?.grade ?? '—' },
        { label: 'Prediction', value: (row) => row.prediction?.grade ?? '—' },
        { label: 'Against target', value: status },
      ]}
    />
  );
}
