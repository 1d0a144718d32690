import type { Attainment8Score, Element } from './attainment8.ts';
import type { EstimatesYear } from './estimates.ts';
import type { PriorAttainment } from './prior-attainment.ts';

// Progress 8 by the DfE rules (shared/reference/README.md § 1).

export interface PupilProgress8 {
  /** The pupil's Progress 8, or null with the reason when it cannot be computed. */
  progress8: number | null;
  elements: Record<Element, number> | null;
  estimate: number | null;
  missing?: string;
}

// Element scores are divided by the number of slots each element has.
const SLOTS: Record<Element, number> = { english: 2, maths: 2, ebacc: 3, open: 3 };

export function pupilProgress8(
  attainment: Attainment8Score,
  prior: PriorAttainment,
  estimates: EstimatesYear,
): PupilProgress8 {
  if (prior.group === null) {
    return {
      progress8: null,
      elements: null,
      estimate: null,
      missing: prior.missing ?? 'no KS2 prior attainment',
    };
  }
  const expected = estimates.byGroup.get(prior.group);
  if (expected === undefined) {
    return {
      progress8: null,
      elements: null,
      estimate: null,
      missing: `no estimate for prior attainment group ${prior.group}`,
    };
  }
  const element = (name: Element, estimate: number) => (attainment.elements[name] - estimate) / SLOTS[name];
  return {
    progress8: (attainment.total - expected.attainment8) / 10,
    elements: {
      english: element('english', expected.english),
      maths: element('maths', expected.maths),
      ebacc: element('ebacc', expected.ebacc),
      open: element('open', expected.open),
    },
    estimate: expected.attainment8,
  };
}

export type Banding =
  'well_above_average' | 'above_average' | 'average' | 'below_average' | 'well_below_average';

export interface SchoolProgress8 {
  pupils: number;
  progress8: number;
  lower: number;
  upper: number;
  banding: Banding;
}

/**
 * The school's Progress 8: the mean of its pupils' scores, with a 95% confidence interval from the
 * national standard deviation, and the DfE's banding. Undefined when no pupil has a score.
 */
export function schoolProgress8(
  scores: readonly number[],
  nationalDeviation: number,
): SchoolProgress8 | undefined {
  if (scores.length === 0) {
    return undefined;
  }
  const mean = scores.reduce((sum, score) => sum + score, 0) / scores.length;
  const margin = (1.96 * nationalDeviation) / Math.sqrt(scores.length);
  const lower = mean - margin;
  const upper = mean + margin;
  return { pupils: scores.length, progress8: mean, lower, upper, banding: banding(mean, lower, upper) };
}

export function banding(progress8: number, lower: number, upper: number): Banding {
  if (progress8 > 0.5 && lower > 0) {
    return 'well_above_average';
  }
  if (lower > 0) {
    return 'above_average';
  }
  if (progress8 < -0.5 && upper < 0) {
    return 'well_below_average';
  }
  if (upper < 0) {
    return 'below_average';
  }
  return 'average';
}
