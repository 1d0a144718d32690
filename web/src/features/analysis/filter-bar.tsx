// The filter bar shared by every analysis page: submitting it puts the choices into the URL (defaults
// left out), so a view can be shared and survives a reload.
import { useState, type FormEvent, type ReactNode } from 'react';
import { formText, SelectField } from '../../components/form.tsx';
import { ErrorNotice, Loading } from '../../components/status.tsx';
import {
  FACETS,
  FILTER_KEYS,
  REPORT_FILTERS,
  TRACKED_FACETS,
  useAnalysisOptions,
  type AnalysisFilters,
  type AnalysisOptions,
  type Facet,
  type Report,
} from './analysis-api.ts';
import { estimatesLabel, FACET_LABELS, yearGroupLabel } from './labels.ts';
import { useAnalysisView } from './view.ts';

/** Secondary-school year groups; a shared link with another year group still shows it. */
const YEAR_GROUPS = [7, 8, 9, 10, 11, 12, 13];

function facetsOffered(options: AnalysisOptions, point: string, allowed: readonly Facet[]): readonly Facet[] {
  const held =
    point === ''
      ? options.assessmentPoints.flatMap((entry) => entry.facets)
      : (options.assessmentPoints.find((entry) => entry.id === point)?.facets ?? []);
  const offered = allowed.filter((facet) => held.includes(facet));
  return offered.length === 0 ? allowed.slice(0, 1) : offered;
}

interface FilterFormProps {
  report: Report;
  options: AnalysisOptions;
  filters: AnalysisFilters;
  extra?: ReactNode;
  extraDefaults: Readonly<Record<string, string>>;
  onApply: (values: Record<string, string>) => void;
}

function FilterForm({ report, options, filters, extra, extraDefaults, onApply }: FilterFormProps) {
  const fields = REPORT_FILTERS[report];
  const allowed = report === 'targets' ? TRACKED_FACETS : FACETS;
  const [point, setPoint] = useState(filters.assessmentPoint ?? '');
  const [facet, setFacet] = useState<string>(
    filters.facet !== undefined && allowed.includes(filters.facet) ? filters.facet : 'achieved',
  );
  const offered = facetsOffered(options, point, allowed);
  const shownFacet = offered.some((entry) => entry === facet) ? facet : (offered[0] ?? 'achieved');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const values: Record<string, string> = {};
    for (const key of [...fields, ...Object.keys(extraDefaults)]) {
      values[key] = formText(data, key);
    }
    onApply(values);
  };
  const yearGroups =
    filters.yearGroup === undefined || YEAR_GROUPS.includes(filters.yearGroup)
      ? YEAR_GROUPS
      : [filters.yearGroup, ...YEAR_GROUPS];
  const targetPoints = options.assessmentPoints.filter((entry) => entry.facets.includes('target'));
  return (
    <form className="filters analysis-filters" onSubmit={submit} aria-labelledby="analysis-filters-title">
      <h2 id="analysis-filters-title" className="visually-hidden">
        Choose what to analyse
      </h2>
      <SelectField
        id="assessmentPoint"
        label="Assessment point"
        value={point}
        onChange={(event) => setPoint(event.target.value)}
        options={[
          { value: '', label: 'Latest with grades' },
          ...options.assessmentPoints.map((entry) => ({ value: entry.id, label: entry.name })),
        ]}
      />
      <SelectField
        id="facet"
        label={report === 'targets' ? 'Compare with targets' : 'Grades'}
        value={shownFacet}
        onChange={(event) => setFacet(event.target.value)}
        options={offered.map((entry) => ({ value: entry, label: FACET_LABELS[entry] }))}
      />
      {fields.includes('targetPoint') ? (
        <SelectField
          id="targetPoint"
          label="Targets set at"
          defaultValue={filters.targetPoint ?? ''}
          options={[
            { value: '', label: 'Latest targets' },
            ...targetPoints.map((entry) => ({ value: entry.id, label: entry.name })),
          ]}
        />
      ) : null}
      {fields.includes('yearGroup') ? (
        <SelectField
          id="yearGroup"
          label="Year group"
          defaultValue={filters.yearGroup === undefined ? '' : String(filters.yearGroup)}
          options={[
            { value: '', label: 'All year groups' },
            ...yearGroups.map((year) => ({ value: String(year), label: yearGroupLabel(year) })),
          ]}
        />
      ) : null}
      {fields.includes('estimates') ? (
        <SelectField
          id="estimates"
          label="Progress 8 estimates"
          defaultValue={filters.estimates ?? ''}
          options={[
            { value: '', label: `Latest: ${estimatesLabel(options.latestEstimates)}` },
            ...options.estimates.map((entry) => ({ value: entry.id, label: estimatesLabel(entry.id) })),
          ]}
        />
      ) : null}
      {extra}
      <div className="analysis-filters__actions">
        <button type="submit" className="button button--primary">
          Show results
        </button>
      </div>
    </form>
  );
}

/**
 * The filter bar: submitting it puts the choices into the URL (defaults left out, so a plain link means
 * the default view). Page-specific fields come in `extra`, their names and defaults in `extraDefaults`.
 */
export function FilterBar({
  report,
  extra,
  extraDefaults = {},
}: {
  report: Report;
  extra?: ReactNode;
  extraDefaults?: Readonly<Record<string, string>>;
}) {
  const { schoolId, params, setParams, filters } = useAnalysisView();
  const options = useAnalysisOptions(schoolId);
  if (options.isPending) {
    return <Loading what="the filters" />;
  }
  if (options.isError) {
    return <ErrorNotice error={options.error} title="Could not load the filters" />;
  }
  const apply = (values: Record<string, string>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(values)) {
      const fallback = key === 'facet' ? 'achieved' : (extraDefaults[key] ?? '');
      if (value === '' || value === fallback) {
        next.delete(key);
      } else {
        next.set(key, value);
      }
    }
    next.delete('page');
    setParams(next, { preventScrollReset: true });
  };
  const ignored = FILTER_KEYS.filter(
    (key) => !REPORT_FILTERS[report].includes(key) && key !== 'targetPoint' && params.has(key),
  );
  return (
    <>
      <FilterForm
        // A new URL (back button, shared link) starts the form again from what it says.
        key={params.toString()}
        report={report}
        options={options.data}
        filters={filters}
        extra={extra}
        extraDefaults={extraDefaults}
        onApply={apply}
      />
      {ignored.length === 0 ? null : (
        <p className="hint">
          This report is not split by year group or estimates year: it covers every pupil you can see. Your
          other choices are kept for the other reports.
        </p>
      )}
    </>
  );
}
