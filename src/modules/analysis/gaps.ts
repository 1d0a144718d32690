import { ETHNICITY_GROUPS } from '../pupils/codes.ts';
import type { PupilAnalysis } from './analysis.service.ts';

// Subgroup gaps: every measure for each group of pupils, beside the rest of the cohort, with small
// groups suppressed so that a report cannot single out a child.

export const DIMENSIONS = [
  'sex',
  'disadvantaged',
  'fsm',
  'fsm6',
  'sen',
  'eal',
  'gifted',
  'looked_after',
  'ethnicity',
  'ethnicity_group',
  'prior_band',
  'class',
  'group',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Measures {
  attainment8: number | null;
  progress8: number | null;
  /** Pupils with a Progress 8 score (those without KS2 have none). */
  progress8Pupils: number;
  basicsStandard: number | null;
  basicsStrong: number | null;
  ebaccEntry: number | null;
  ebaccAps: number | null;
}

export interface GroupGap {
  value: string;
  /** Null when suppressed: even the size of a small group can identify a child. */
  pupils: number | null;
  /** True when the group or the rest of the cohort is smaller than the minimum: no figures shown. */
  suppressed: boolean;
  measures: Measures | null;
  /** The group's figure minus the rest of the cohort's, per measure. */
  gaps: Partial<Record<keyof Measures, number | null>> | null;
}

export interface DimensionGaps {
  dimension: Dimension;
  groups: GroupGap[];
}

/**
 * Extra memberships the cohort query does not carry: each class's and custom group's members, as
 * positions in the analysed cohort's list of pupils, in ascending order.
 */
export interface Memberships {
  classes: ReadonlyMap<string, ArrayLike<number>>;
  groups: ReadonlyMap<string, ArrayLike<number>>;
}

/** Whether gaps in these dimensions (all when undefined) need the classes' and groups' members. */
export function needsMemberships(dimensions: readonly Dimension[] | undefined): boolean {
  return (dimensions ?? DIMENSIONS).some((dimension) => dimension === 'class' || dimension === 'group');
}

const yesNo = (value: boolean | null): string => (value === null ? 'unknown' : value ? 'yes' : 'no');

/** Sums behind the measures, so the rest of a cohort is the whole minus the group (no second pass). */
interface Sums {
  pupils: number;
  attainment8: number;
  progress8: number;
  progress8Pupils: number;
  basicsStandard: number;
  basicsStrong: number;
  ebaccEntry: number;
  ebaccAps: number;
}

// Each pupil's figures side by side in one typed array (a subgroup report adds them up some two million
// times for 100,000 pupils): attainment 8, Progress 8 (NaN for none), basics 4+, basics 5+, EBacc
// entry, EBacc APS.
const FIGURES = 6;

function figuresOf(pupils: readonly PupilAnalysis[]): Float64Array {
  const figures = new Float64Array(pupils.length * FIGURES);
  pupils.forEach((entry, index) => {
    const at = index * FIGURES;
    figures[at] = entry.attainment8.total;
    figures[at + 1] = entry.progress8.progress8 ?? Number.NaN;
    figures[at + 2] = entry.basics.standard ? 1 : 0;
    figures[at + 3] = entry.basics.strong ? 1 : 0;
    figures[at + 4] = entry.ebaccEntered ? 1 : 0;
    figures[at + 5] = entry.ebaccAps;
  });
  return figures;
}

const noSums = (): Sums => ({
  pupils: 0,
  attainment8: 0,
  progress8: 0,
  progress8Pupils: 0,
  basicsStandard: 0,
  basicsStrong: 0,
  ebaccEntry: 0,
  ebaccAps: 0,
});

/** Adds one pupil's figures (at position `index`) to `sums`. */
function add(sums: Sums, figures: Float64Array, index: number): void {
  const at = index * FIGURES;
  sums.pupils += 1;
  sums.attainment8 += figures[at] ?? 0;
  const progress8 = figures[at + 1] ?? Number.NaN;
  if (!Number.isNaN(progress8)) {
    sums.progress8 += progress8;
    sums.progress8Pupils += 1;
  }
  sums.basicsStandard += figures[at + 2] ?? 0;
  sums.basicsStrong += figures[at + 3] ?? 0;
  sums.ebaccEntry += figures[at + 4] ?? 0;
  sums.ebaccAps += figures[at + 5] ?? 0;
}

/** The sums over these pupils (positions), added in the order given. */
function sumsOf(figures: Float64Array, members: ArrayLike<number>): Sums {
  const sums = noSums();
  for (let index = 0; index < members.length; index += 1) {
    add(sums, figures, members[index] ?? 0);
  }
  return sums;
}

/** The sums over the first `count` pupils, in order. */
function sumsOfAll(figures: Float64Array, count: number): Sums {
  const sums = noSums();
  for (let index = 0; index < count; index += 1) {
    add(sums, figures, index);
  }
  return sums;
}

function minus(whole: Sums, part: Sums): Sums {
  return {
    pupils: whole.pupils - part.pupils,
    attainment8: whole.attainment8 - part.attainment8,
    progress8: whole.progress8 - part.progress8,
    progress8Pupils: whole.progress8Pupils - part.progress8Pupils,
    basicsStandard: whole.basicsStandard - part.basicsStandard,
    basicsStrong: whole.basicsStrong - part.basicsStrong,
    ebaccEntry: whole.ebaccEntry - part.ebaccEntry,
    ebaccAps: whole.ebaccAps - part.ebaccAps,
  };
}

const per = (value: number, count: number): number | null => (count === 0 ? null : value / count);

function measuresFromSums(sums: Sums): Measures {
  return {
    attainment8: per(sums.attainment8, sums.pupils),
    progress8: per(sums.progress8, sums.progress8Pupils),
    progress8Pupils: sums.progress8Pupils,
    basicsStandard: per(sums.basicsStandard, sums.pupils),
    basicsStrong: per(sums.basicsStrong, sums.pupils),
    ebaccEntry: per(sums.ebaccEntry, sums.pupils),
    ebaccAps: per(sums.ebaccAps, sums.pupils),
  };
}

type OwnDimension = Exclude<Dimension, 'class' | 'group'>;

/** The group a pupil belongs to in each dimension of their own characteristics. */
const VALUE_OF: Record<OwnDimension, (entry: PupilAnalysis) => string> = {
  sex: ({ pupil }) => pupil.sex ?? 'unknown',
  disadvantaged: ({ pupil }) => yesNo(pupil.disadvantaged),
  fsm: ({ pupil }) => yesNo(pupil.fsm),
  fsm6: ({ pupil }) => yesNo(pupil.fsm6),
  sen: ({ pupil }) => pupil.sen ?? 'unknown',
  eal: ({ pupil }) => yesNo(pupil.eal),
  gifted: ({ pupil }) => yesNo(pupil.gifted),
  looked_after: ({ pupil }) => yesNo(pupil.looked_after),
  ethnicity: ({ pupil }) => pupil.ethnicity ?? 'unknown',
  ethnicity_group: ({ pupil }) =>
    pupil.ethnicity === null ? 'unknown' : (ETHNICITY_GROUPS[pupil.ethnicity] ?? 'unknown'),
  prior_band: ({ prior }) => prior.band ?? 'no KS2',
};

/**
 * Each group's size and sums in one dimension, each group's pupils added in cohort order (as the whole
 * cohort's are): in one pass over the cohort for a characteristic of the pupils' own.
 */
function groupSums(
  dimension: Dimension,
  pupils: readonly PupilAnalysis[],
  figures: Float64Array,
  memberships: Memberships | undefined,
): Map<string, Sums> {
  if (dimension === 'class' || dimension === 'group') {
    if (memberships === undefined) {
      throw new Error(`gaps by ${dimension} need the cohort read with its memberships`);
    }
    const members = dimension === 'class' ? memberships.classes : memberships.groups;
    return new Map([...members].map(([value, inGroup]) => [value, sumsOf(figures, inGroup)]));
  }
  const valueOf = VALUE_OF[dimension];
  const groups = new Map<string, Sums>();
  pupils.forEach((entry, index) => {
    const value = valueOf(entry);
    let sums = groups.get(value);
    if (sums === undefined) {
      sums = noSums();
      groups.set(value, sums);
    }
    add(sums, figures, index);
  });
  return groups;
}

function difference(group: Measures, rest: Measures): Partial<Record<keyof Measures, number | null>> {
  const keys = [
    'attainment8',
    'progress8',
    'basicsStandard',
    'basicsStrong',
    'ebaccEntry',
    'ebaccAps',
  ] as const;
  return Object.fromEntries(
    keys.map((key) => {
      const a = group[key];
      const b = rest[key];
      return [key, a === null || b === null ? null : a - b];
    }),
  );
}

/**
 * The whole cohort's measures, and every dimension's groups with their measures and their gap to the
 * rest of the cohort. A group with fewer pupils than `minimum`, or whose rest of the cohort is smaller
 * than that, shows no figures — otherwise subtracting from the whole-cohort figure would reveal them.
 */
export function cohortGaps(
  pupils: readonly PupilAnalysis[],
  memberships: Memberships | undefined,
  minimum: number,
  dimensions: readonly Dimension[] = DIMENSIONS,
): { cohort: Measures & { pupils: number }; dimensions: DimensionGaps[] } {
  const figures = figuresOf(pupils);
  const whole = sumsOfAll(figures, pupils.length);
  return {
    cohort: { pupils: pupils.length, ...measuresFromSums(whole) },
    dimensions: dimensions.map((dimension) => {
      const groups = [...groupSums(dimension, pupils, figures, memberships)]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([value, group]): GroupGap => {
          const rest = minus(whole, group);
          if (group.pupils < minimum || (rest.pupils > 0 && rest.pupils < minimum)) {
            return { value, pupils: null, suppressed: true, measures: null, gaps: null };
          }
          const measures = measuresFromSums(group);
          return {
            value,
            pupils: group.pupils,
            suppressed: false,
            measures,
            gaps: rest.pupils === 0 ? null : difference(measures, measuresFromSums(rest)),
          };
        });
      return { dimension, groups };
    }),
  };
}
