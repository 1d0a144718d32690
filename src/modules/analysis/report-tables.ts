import type { AnalysedCohort } from './analysis.service.ts';
import type { DimensionGaps, Measures } from './gaps.ts';
import type { Headline } from './analysis.service.ts';

// Each report as a table (a header and rows), for CSV and XLSX downloads and the command line.

export interface ReportTable {
  header: string[];
  rows: Array<Array<string | number | null>>;
}

const round = (value: number | null | undefined, digits = 3): number | null =>
  value === null || value === undefined ? null : Number(value.toFixed(digits));

export function headlineTable(cohort: AnalysedCohort, figures: Headline): ReportTable {
  const p8 = figures.progress8;
  return {
    header: ['measure', 'value'],
    rows: [
      ['assessment point', cohort.point?.name ?? null],
      ['facet', cohort.facet],
      ['estimates', cohort.estimates.id],
      ['pupils', figures.pupils],
      ['attainment 8', round(figures.attainment8, 2)],
      ['progress 8', p8 === null ? (figures.progress8Missing ?? null) : round(p8.progress8, 2)],
      ['progress 8 lower (95%)', round(p8?.lower, 2)],
      ['progress 8 upper (95%)', round(p8?.upper, 2)],
      ['progress 8 banding', p8?.banding.replaceAll('_', ' ') ?? null],
      ['pupils with progress 8', figures.pupilsWithProgress8],
      ['basics 4+ (share)', round(figures.basicsStandard)],
      ['basics 5+ (share)', round(figures.basicsStrong)],
      ['EBacc entry (share)', round(figures.ebaccEntry)],
      ['EBacc APS', round(figures.ebaccAps, 2)],
    ],
  };
}

export function progress8Table(cohort: AnalysedCohort): ReportTable {
  return {
    header: [
      'pupil id',
      'KS2 average',
      'prior attainment group',
      'attainment 8',
      'english element',
      'maths element',
      'ebacc element',
      'open element',
      'progress 8',
      'why no progress 8',
    ],
    rows: cohort.pupils.map((entry) => [
      entry.pupil.id,
      entry.prior.average,
      entry.prior.group,
      entry.attainment8.total,
      entry.attainment8.elements.english,
      entry.attainment8.elements.maths,
      entry.attainment8.elements.ebacc,
      entry.attainment8.elements.open,
      round(entry.progress8.progress8),
      entry.progress8.missing ?? null,
    ]),
  };
}

const MEASURES: Array<[keyof Measures, string]> = [
  ['attainment8', 'attainment 8'],
  ['progress8', 'progress 8'],
  ['basicsStandard', 'basics 4+'],
  ['basicsStrong', 'basics 5+'],
  ['ebaccEntry', 'EBacc entry'],
  ['ebaccAps', 'EBacc APS'],
];

export function gapsTable(dimensions: readonly DimensionGaps[]): ReportTable {
  return {
    header: ['dimension', 'group', 'pupils', ...MEASURES.flatMap(([, label]) => [label, `${label} gap`])],
    rows: dimensions.flatMap((dimension) =>
      dimension.groups.map((group) => [
        dimension.dimension,
        group.value,
        group.suppressed ? 'suppressed' : group.pupils,
        ...MEASURES.flatMap(([key]) => {
          const value = group.measures?.[key];
          const gap = key === 'progress8Pupils' ? null : group.gaps?.[key];
          return [round(typeof value === 'number' ? value : null), round(gap)];
        }),
      ]),
    ),
  };
}

export function targetsTable(
  bySubject: ReadonlyArray<{ subjectName: string; above: number; on: number; below: number; total: number }>,
): ReportTable {
  return {
    header: ['subject', 'above', 'on', 'below', 'total'],
    rows: bySubject.map((row) => [row.subjectName, row.above, row.on, row.below, row.total]),
  };
}

export function residualsTable(
  bySubject: ReadonlyArray<{ subjectName: string; pupils: number; meanResidual: number }>,
): ReportTable {
  return {
    header: ['subject', 'pupils', 'mean residual'],
    rows: bySubject.map((row) => [row.subjectName, row.pupils, round(row.meanResidual)]),
  };
}
