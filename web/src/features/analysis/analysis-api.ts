// The analysis API as the pages use it: response types from the server's own schemas, the filters a view is
// defined by (kept in the URL so a view can be shared), and the query string each report accepts.
import { useQuery } from '@tanstack/react-query';
import type { Static } from 'typebox';
import type {
  AnalysisOptionsResponse,
  AnalysisQuery,
  GapsResponse,
  HeadlineResponse,
  Progress8Response,
  ResidualsResponse,
  TargetsResponse,
} from '../../../../src/modules/analysis/analysis.schema.ts';
import { api, withQuery } from '../../api/client.ts';

export type AnalysisOptions = Static<typeof AnalysisOptionsResponse>;
export type Headline = Static<typeof HeadlineResponse>;
export type Progress8Report = Static<typeof Progress8Response>;
export type PupilProgress8 = Progress8Report['pupils'][number];
export type GapsReport = Static<typeof GapsResponse>;
export type GapGroup = GapsReport['dimensions'][number]['groups'][number];
export type TargetsReport = Static<typeof TargetsResponse>;
export type TargetPair = TargetsReport['pupils'][number];
export type ResidualsReport = Static<typeof ResidualsResponse>;
export type Facet = NonNullable<Static<typeof AnalysisQuery>['facet']>;

export const FACETS: readonly Facet[] = ['achieved', 'prediction', 'target', 'baseline'];
/** What target tracking can compare with targets. */
export const TRACKED_FACETS: readonly Facet[] = ['achieved', 'prediction'];

export type Report = 'headline' | 'progress8' | 'gaps' | 'targets' | 'residuals';

/** The filters shared by every analysis page, as read from the URL. */
export interface AnalysisFilters {
  assessmentPoint?: string | undefined;
  facet?: Facet | undefined;
  yearGroup?: number | undefined;
  estimates?: string | undefined;
  targetPoint?: string | undefined;
}

export type FilterKey = keyof AnalysisFilters;
export const FILTER_KEYS: readonly FilterKey[] = [
  'assessmentPoint',
  'facet',
  'yearGroup',
  'estimates',
  'targetPoint',
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ESTIMATES = /^\d{4}_(provisional|revised)$/;

function isFacet(value: string | null): value is Facet {
  return FACETS.some((facet) => facet === value);
}

function uuidOrUndefined(value: string | null): string | undefined {
  return value !== null && UUID.test(value) ? value : undefined;
}

/** The filters in a URL; a value the API would refuse (a mistyped link) is ignored rather than failing. */
export function filtersFrom(params: URLSearchParams): AnalysisFilters {
  const facet = params.get('facet');
  const yearGroup = Number(params.get('yearGroup') ?? 'x');
  const estimates = params.get('estimates');
  return {
    assessmentPoint: uuidOrUndefined(params.get('assessmentPoint')),
    facet: isFacet(facet) ? facet : undefined,
    yearGroup: Number.isInteger(yearGroup) && yearGroup >= -2 && yearGroup <= 14 ? yearGroup : undefined,
    estimates: estimates !== null && ESTIMATES.test(estimates) ? estimates : undefined,
    targetPoint: uuidOrUndefined(params.get('targetPoint')),
  };
}

/** Only the shared filters of a URL's query: what moving to another analysis page keeps. */
export function sharedSearch(params: URLSearchParams): string {
  const kept = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = params.get(key);
    if (value !== null) {
      kept.set(key, value);
    }
  }
  const text = kept.toString();
  return text === '' ? '' : `?${text}`;
}

/** Which shared filters a report takes (targets and residuals are not by year group or estimates). */
export const REPORT_FILTERS: Record<Report, readonly FilterKey[]> = {
  headline: ['assessmentPoint', 'facet', 'yearGroup', 'estimates'],
  progress8: ['assessmentPoint', 'facet', 'yearGroup', 'estimates'],
  gaps: ['assessmentPoint', 'facet', 'yearGroup', 'estimates'],
  targets: ['assessmentPoint', 'facet', 'targetPoint'],
  residuals: ['assessmentPoint', 'facet'],
};

export type ReportQuery = Record<string, string | number | undefined>;

/** The query string a report is asked with: its own filters only, in the form the API accepts. */
export function reportQuery(report: Report, filters: AnalysisFilters, extra: ReportQuery = {}): ReportQuery {
  const query: ReportQuery = {};
  for (const key of REPORT_FILTERS[report]) {
    query[key] = filters[key];
  }
  if (report === 'targets' && !TRACKED_FACETS.some((facet) => facet === filters.facet)) {
    query.facet = undefined;
  }
  return { ...query, ...extra };
}

export function reportPath(schoolId: string, report: Report, query: ReportQuery): string {
  return withQuery(`/api/v1/schools/${schoolId}/analysis/${report}`, query);
}

export function exportHref(
  schoolId: string,
  report: Report,
  query: ReportQuery,
  format: 'csv' | 'xlsx',
): string {
  return withQuery(`/api/v1/schools/${schoolId}/analysis/${report}/export`, { ...query, format });
}

/** CSV and XLSX downloads of a report, for ChartFigure's `downloads` or a plain list. */
export function exportLinks(schoolId: string, report: Report, query: ReportQuery, what: string) {
  return [
    { label: `Download ${what} (CSV)`, href: exportHref(schoolId, report, query, 'csv') },
    { label: `Download ${what} (Excel)`, href: exportHref(schoolId, report, query, 'xlsx') },
  ];
}

export function useAnalysisOptions(schoolId: string) {
  return useQuery({
    queryKey: ['analysis', schoolId, 'options'],
    queryFn: () => api.get<AnalysisOptions>(`/api/v1/schools/${schoolId}/analysis/options`),
    staleTime: 60_000,
  });
}

/** One report for one view; the same view shares its cache between pages (headline on the P8 page). */
export function useReport<T>(schoolId: string, report: Report, query: ReportQuery, enabled = true) {
  const path = reportPath(schoolId, report, query);
  return useQuery({
    queryKey: ['analysis', schoolId, report, path],
    queryFn: () => api.get<T>(path),
    enabled,
  });
}
