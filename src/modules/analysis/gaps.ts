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

/** Extra memberships the cohort query does not carry: class and custom group names by pupil. */
export interface Memberships {
  classes: ReadonlyMap<string, readonly string[]>;
  groups: ReadonlyMap<string, readonly string[]>;
}

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
const share = (flags: readonly boolean[]): number | null =>
  flags.length === 0 ? null : flags.filter(Boolean).length / flags.length;
const yesNo = (value: boolean | null): string[] => (value === null ? ['unknown'] : [value ? 'yes' : 'no']);

export function measuresOf(pupils: readonly PupilAnalysis[]): Measures {
  const progress = pupils.flatMap((entry) =>
    entry.progress8.progress8 === null ? [] : [entry.progress8.progress8],
  );
  return {
    attainment8: mean(pupils.map((entry) => entry.attainment8.total)),
    progress8: mean(progress),
    progress8Pupils: progress.length,
    basicsStandard: share(pupils.map((entry) => entry.basics.standard)),
    basicsStrong: share(pupils.map((entry) => entry.basics.strong)),
    ebaccEntry: share(pupils.map((entry) => entry.ebaccEntered)),
    ebaccAps: mean(pupils.map((entry) => entry.ebaccAps)),
  };
}

/** The groups a pupil belongs to in each dimension (a pupil can be in several classes or custom groups). */
const VALUES_OF: Record<Dimension, (entry: PupilAnalysis, memberships: Memberships) => string[]> = {
  sex: ({ pupil }) => [pupil.sex ?? 'unknown'],
  disadvantaged: ({ pupil }) => yesNo(pupil.disadvantaged),
  fsm: ({ pupil }) => yesNo(pupil.fsm),
  fsm6: ({ pupil }) => yesNo(pupil.fsm6),
  sen: ({ pupil }) => [pupil.sen ?? 'unknown'],
  eal: ({ pupil }) => yesNo(pupil.eal),
  gifted: ({ pupil }) => yesNo(pupil.gifted),
  looked_after: ({ pupil }) => yesNo(pupil.looked_after),
  ethnicity: ({ pupil }) => [pupil.ethnicity ?? 'unknown'],
  ethnicity_group: ({ pupil }) => [
    pupil.ethnicity === null ? 'unknown' : (ETHNICITY_GROUPS[pupil.ethnicity] ?? 'unknown'),
  ],
  prior_band: ({ prior }) => [prior.band ?? 'no KS2'],
  class: ({ pupil }, memberships) => [...(memberships.classes.get(pupil.id) ?? [])],
  group: ({ pupil }, memberships) => [...(memberships.groups.get(pupil.id) ?? [])],
};

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
 * Every dimension's groups with their measures and their gap to the rest of the cohort. A group with
 * fewer pupils than `minimum`, or whose rest of the cohort is smaller than that, shows no figures —
 * otherwise subtracting from the whole-cohort figure would reveal them.
 */
export function subgroupGaps(
  pupils: readonly PupilAnalysis[],
  memberships: Memberships,
  minimum: number,
  dimensions: readonly Dimension[] = DIMENSIONS,
): DimensionGaps[] {
  return dimensions.map((dimension) => {
    const members = new Map<string, PupilAnalysis[]>();
    for (const entry of pupils) {
      for (const value of VALUES_OF[dimension](entry, memberships)) {
        const list = members.get(value) ?? [];
        list.push(entry);
        members.set(value, list);
      }
    }
    const groups = [...members]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([value, inGroup]): GroupGap => {
        const inside = new Set(inGroup);
        const rest = pupils.filter((entry) => !inside.has(entry));
        if (inGroup.length < minimum || (rest.length > 0 && rest.length < minimum)) {
          return { value, pupils: null, suppressed: true, measures: null, gaps: null };
        }
        const measures = measuresOf(inGroup);
        return {
          value,
          pupils: inGroup.length,
          suppressed: false,
          measures,
          gaps: rest.length === 0 ? null : difference(measures, measuresOf(rest)),
        };
      });
    return { dimension, groups };
  });
}
