// KS2 prior attainment as the DfE measures it (shared/reference/README.md § 1).

export interface Ks2Results {
  readingScore: number | null;
  readingOutcome: string | null;
  mathsScore: number | null;
  mathsOutcome: string | null;
  readingTa: string | null;
  mathsTa: string | null;
}

/** A test sat with no scaled score ("N") counts as 79. */
const NO_SCALED_SCORE = 79;

// Older cohorts' teacher assessments below the test's standard, as nominal scaled scores.
const NOMINAL_TA: Readonly<Record<string, number>> = {
  BLW: 71,
  PKF: 73,
  PKE: 76,
  PKG: 79,
  PK1: 64,
  PK2: 67,
  PK3: 70,
  PK4: 73,
  PK5: 76,
  PK6: 79,
};

export type Band = 'low' | 'middle' | 'high';

export interface PriorAttainment {
  /** Mean of the usable reading and maths scores, or null: no Progress 8 for this pupil. */
  average: number | null;
  /** Prior attainment group 1–34, or null. */
  group: number | null;
  band: Band | null;
  /** Why there is no average, in words, when there is none. */
  missing?: string;
}

/** One subject's usable score: a scaled score, 79 for N, or a nominal score for a pre-key-stage TA. */
function subjectScore(score: number | null, outcome: string | null, ta: string | null): number | null {
  if (score !== null) {
    return score;
  }
  if (outcome === 'N') {
    return NO_SCALED_SCORE;
  }
  const nominal = ta === null ? undefined : NOMINAL_TA[ta];
  return nominal ?? null;
}

// Upper bounds (inclusive) of PAG 1–33; PAG 34 is above 119 (119.5–120). PAG 1 starts at 59.
const GROUP_UPPER_BOUNDS: readonly number[] = [
  82,
  86,
  87.5,
  89,
  90.5,
  92,
  ...Array.from({ length: 27 }, (_, i) => 93 + i),
];

export function priorAttainmentGroup(average: number): number {
  const index = GROUP_UPPER_BOUNDS.findIndex((bound) => average <= bound);
  return index === -1 ? 34 : index + 1;
}

/** Low below 100, middle 100 to below 110, high 110 and above (the published rule; 110.0 is high). */
export function priorAttainmentBand(average: number): Band {
  return average < 100 ? 'low' : average < 110 ? 'middle' : 'high';
}

/**
 * The pupil's KS2 prior attainment: the mean of reading and maths (one subject alone when only one is
 * usable), its group and band. A pupil with neither has no prior attainment and so no Progress 8 —
 * they still count in Attainment 8 and every other measure.
 */
export function priorAttainment(ks2: Ks2Results | undefined): PriorAttainment {
  if (ks2 === undefined) {
    return { average: null, group: null, band: null, missing: 'no KS2 results' };
  }
  const scores = [
    subjectScore(ks2.readingScore, ks2.readingOutcome, ks2.readingTa),
    subjectScore(ks2.mathsScore, ks2.mathsOutcome, ks2.mathsTa),
  ].filter((score): score is number => score !== null);
  if (scores.length === 0) {
    return { average: null, group: null, band: null, missing: 'no usable KS2 reading or maths result' };
  }
  // Averages of whole-number scores land on halves: rounding keeps binary noise out of group edges.
  const average = Math.round((scores.reduce((sum, score) => sum + score, 0) / scores.length) * 100) / 100;
  return { average, group: priorAttainmentGroup(average), band: priorAttainmentBand(average) };
}
