// The words the analysis pages use for the API's codes, and how its figures are written.
import { formatNumber, formatSigned } from '../../components/page.tsx';
import type { Facet } from './analysis-api.ts';

export const FACET_LABELS: Record<Facet, string> = {
  achieved: 'Results (achieved grades)',
  prediction: 'Predictions',
  target: 'Targets',
  baseline: 'Baseline grades',
};

/** A facet inside a sentence ("Showing results at Y11 Summer"). */
export function facetWords(facet: string): string {
  switch (facet) {
    case 'achieved':
      return 'results';
    case 'prediction':
      return 'predicted grades';
    case 'target':
      return 'targets';
    case 'baseline':
      return 'baseline grades';
    default:
      return facet;
  }
}

/** 2024_provisional → "2024 (provisional)". */
export function estimatesLabel(id: string): string {
  const [year, version] = id.split('_');
  return version === undefined ? id : `${year ?? ''} (${version})`;
}

export function yearGroupLabel(yearGroup: number): string {
  if (yearGroup === 0) {
    return 'Reception';
  }
  return yearGroup < 0 ? `Nursery (${yearGroup})` : `Year ${yearGroup}`;
}

/** The DfE's Progress 8 bands in words, with a tag colour that only repeats what the words say. */
export const BANDINGS: Record<string, { label: string; tag: string }> = {
  well_above_average: { label: 'Well above average', tag: 'tag--green' },
  above_average: { label: 'Above average', tag: 'tag--green' },
  average: { label: 'Average', tag: '' },
  below_average: { label: 'Below average', tag: 'tag--amber' },
  well_below_average: { label: 'Well below average', tag: 'tag--red' },
};

export function bandingOf(banding: string): { label: string; tag: string } {
  return BANDINGS[banding] ?? { label: banding.replaceAll('_', ' '), tag: '' };
}

/** A signed figure rounded first, so that −0.004 reads 0.00 rather than −0.00. */
export function signed(value: number | null | undefined, digits = 2): string {
  return formatSigned(value === null || value === undefined ? value : Number(value.toFixed(digits)), digits);
}

/** A share (0–1) as a whole percentage. */
export function percent(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${Math.round(share * 100)}%`;
}

/** Progress 8 elements in the order the DfE lists them, with their slot counts. */
export const ELEMENTS = [
  { key: 'english', label: 'English', slots: 2 },
  { key: 'maths', label: 'Maths', slots: 2 },
  { key: 'ebacc', label: 'EBacc', slots: 3 },
  { key: 'open', label: 'Open', slots: 3 },
] as const;

export type MeasureKey =
  'attainment8' | 'progress8' | 'basicsStandard' | 'basicsStrong' | 'ebaccEntry' | 'ebaccAps';

export interface Measure {
  key: MeasureKey;
  label: string;
  /** A share (0–1) shown as a percentage, and its gaps in percentage points. */
  share: boolean;
}

const PROGRESS8: Measure = { key: 'progress8', label: 'Progress 8', share: false };

export const MEASURES: readonly Measure[] = [
  PROGRESS8,
  { key: 'attainment8', label: 'Attainment 8', share: false },
  { key: 'basicsStandard', label: 'Grade 4+ in English and maths', share: true },
  { key: 'basicsStrong', label: 'Grade 5+ in English and maths', share: true },
  { key: 'ebaccEntry', label: 'EBacc entry', share: true },
  { key: 'ebaccAps', label: 'EBacc average point score', share: false },
];

export function measureOf(key: string | null): Measure {
  return MEASURES.find((measure) => measure.key === key) ?? PROGRESS8;
}

export function formatMeasure(measure: Measure, value: number | null | undefined): string {
  if (measure.share) {
    return percent(value);
  }
  return measure.key === 'progress8' ? signed(value) : formatNumber(value, 2);
}

export function formatGap(measure: Measure, gap: number | null | undefined): string {
  if (gap === null || gap === undefined) {
    return '—';
  }
  return measure.share ? `${signed(gap * 100, 1)} pts` : signed(gap);
}

export const DIMENSION_LABELS: Record<string, string> = {
  sex: 'Sex',
  disadvantaged: 'Disadvantaged (pupil premium)',
  fsm: 'Free school meals now',
  fsm6: 'Free school meals in the last 6 years',
  sen: 'Special educational needs',
  eal: 'English as an additional language',
  gifted: 'Gifted and talented',
  looked_after: 'Looked after',
  ethnicity: 'Ethnicity (detailed codes)',
  ethnicity_group: 'Ethnic group',
  prior_band: 'Prior attainment (KS2)',
  class: 'Class',
  group: 'Custom group',
};

export function dimensionLabel(dimension: string): string {
  return DIMENSION_LABELS[dimension] ?? dimension;
}

const YES_NO: Record<string, [string, string]> = {
  disadvantaged: ['Disadvantaged', 'Not disadvantaged'],
  fsm: ['Free school meals now', 'Not on free school meals now'],
  fsm6: ['Free school meals in 6 years', 'No free school meals in 6 years'],
  eal: ['English as an additional language', 'English as first language'],
  gifted: ['Gifted and talented', 'Not gifted and talented'],
  looked_after: ['Looked after', 'Not looked after'],
};

const NAMED: Record<string, Record<string, string>> = {
  sex: { F: 'Female', M: 'Male' },
  sen: { N: 'No special educational needs', K: 'SEN support', E: 'EHC plan' },
  prior_band: {
    low: 'Low prior attainment',
    middle: 'Middle prior attainment',
    high: 'High prior attainment',
    'no KS2': 'No KS2 results',
  },
};

/** A subgroup in words ("Disadvantaged", "SEN support", "Class 11A"). */
export function groupLabel(dimension: string, value: string): string {
  if (value === 'unknown') {
    return `${dimensionLabel(dimension)}: not recorded`;
  }
  const yesNo = YES_NO[dimension];
  if (yesNo !== undefined && (value === 'yes' || value === 'no')) {
    return value === 'yes' ? yesNo[0] : yesNo[1];
  }
  const named = NAMED[dimension]?.[value];
  if (named !== undefined) {
    return named;
  }
  if (dimension === 'class') {
    return `Class ${value}`;
  }
  return dimension === 'ethnicity' ? `Ethnicity ${value}` : value;
}

/** A pseudonymous pupil id, short enough to read: the first block of the uuid. */
export function shortId(pupilId: string): string {
  return pupilId.slice(0, 8);
}
