import { analysableScope } from './analysis-scope.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import type { SignedIn } from '../organisations/identity.ts';
import type { Actor } from '../organisations/roles.policy.ts';
import type { Actor as AuditActor } from '../../platform/audit/audit-log.ts';
import * as analysis from './analysis.repository.ts';
import { cohortGrades, cohortMemberships, cohortPupils, type CohortScope } from './cohort.repository.ts';
import { attainment8Score, type Attainment8Score, type SubjectGrade } from './attainment8.ts';
import { ESTIMATES_YEARS, estimatesById, latestEstimates, type EstimatesYear } from './estimates.ts';
import {
  cohortGaps,
  needsMemberships,
  type Dimension,
  type DimensionGaps,
  type Measures,
  type Memberships,
} from './gaps.ts';
import { gradeMeasures } from './measures.ts';
import { priorAttainment, type PriorAttainment } from './prior-attainment.ts';
import { pupilProgress8, schoolProgress8, type PupilProgress8, type SchoolProgress8 } from './progress8.ts';

/** Who reads a report: their roles (which pupils they may see) and how the audit log names them. */
export interface Reader {
  actor: Actor;
  userId: string;
  audit: AuditActor;
}

export function readerOf(who: SignedIn): Reader {
  return { actor: who.actor, userId: who.userId, audit: { type: 'user', id: who.userId } };
}

export interface AnalysisFilter {
  assessmentPointId?: string | undefined;
  facet?: Facet | undefined;
  yearGroup?: number | undefined;
  estimates?: string | undefined;
  /** Also read each class's and custom group's members (a subgroup report by class or group needs them). */
  memberships?: boolean | undefined;
}

export interface PupilAnalysis {
  pupil: analysis.CohortPupil;
  prior: PriorAttainment;
  /** The score only: `attainment8(grades)` explains it slot by slot, for the pupil-level report. */
  attainment8: Attainment8Score;
  progress8: PupilProgress8;
  basics: { standard: boolean; strong: boolean };
  ebaccEntered: boolean;
  ebaccAps: number;
  grades: SubjectGrade[];
}

export interface AnalysedCohort {
  point: { id: string; name: string } | undefined;
  facet: Facet;
  estimates: EstimatesYear;
  pupils: PupilAnalysis[];
  /** Classes' and custom groups' members, when the filter asked for them. */
  memberships?: Memberships;
  /** Why there is nothing to analyse, when there is nothing. */
  empty?: string;
}

/**
 * The cohort a report covers: the pupils the signed-in person may see, in the chosen year group, who
 * have grades at the chosen assessment point and facet (by default the latest point with achieved
 * results), each with prior attainment, Attainment 8, Progress 8, basics and EBacc.
 */
export async function analyseCohort(
  services: Services,
  who: Reader,
  schoolId: string,
  filter: AnalysisFilter,
): Promise<AnalysedCohort> {
  const estimates = filter.estimates === undefined ? latestEstimates() : estimatesById(filter.estimates);
  if (estimates === undefined) {
    throw new AppError(
      400,
      'unknown_estimates',
      `There are no Progress 8 estimates called ${filter.estimates ?? ''}.`,
      [{ field: 'estimates', message: 'is not a shipped estimates year (e.g. 2024_provisional)' }],
    );
  }
  const facet = filter.facet ?? 'achieved';
  // The choices (assessment point, who may be counted) first; then the cohort's pupils, grades and
  // memberships at once, each on a connection of its own, all in the transaction's snapshot.
  return services.db.withSchoolSnapshot(schoolId, async (trx, alongside) => {
    const { points, visible, limited } = await alongside(async (reader) => ({
      points: await analysis.pointsWithFacets(reader, schoolId),
      ...(await analysableScope(reader, who, schoolId)),
    }));
    const point = choosePoint(points, facet, filter.assessmentPointId);
    if (point === undefined) {
      return {
        point: undefined,
        facet,
        estimates,
        pupils: [],
        empty: `No assessment point has ${facet} grades yet: import results first.`,
      };
    }
    const scope: CohortScope = {
      schoolId,
      yearGroup: filter.yearGroup,
      only: visible === 'all' ? undefined : visible,
      excluded: limited,
    };
    const [inScope, gradesOf, members] = await Promise.all([
      alongside((reader) => cohortPupils(reader, scope)),
      alongside((reader) => cohortGrades(reader, scope, point.id, facet)),
      filter.memberships === true ? alongside((reader) => cohortMemberships(reader, scope)) : undefined,
    ]);
    if (gradesOf.length > inScope.length) {
      throw new Error('analysis: grades of a pupil outside the cohort');
    }
    // Only pupils with grades at the point are analysed, in id order; `analysedAt` maps a scope
    // position (0-based) to the pupil's place among them, or −1.
    const analysedAt = new Int32Array(inScope.length).fill(-1);
    const chosen: Array<{ pupil: analysis.CohortPupil; grades: SubjectGrade[] }> = [];
    inScope.forEach((pupil, index) => {
      const grades = gradesOf[index];
      if (grades !== undefined) {
        analysedAt[index] = chosen.length;
        chosen.push({ pupil, grades });
      }
    });
    // The audit event names exactly these pupils. It is written while their figures are worked out:
    // the database's part (for 100,000 pupils, mostly indexing their ids) runs meanwhile.
    const audited = recordAudit(trx, {
      orgId: schoolId,
      actor: who.audit,
      action: 'analysis.read',
      target: `assessment_point:${point.id}`,
      subjectIds: chosen.map(({ pupil }) => pupil.id),
      details: { facet, estimates: estimates.id },
    });
    const [audit, figures] = await Promise.allSettled([audited, analysePupils(chosen, estimates)]);
    // Both settled: the transaction ends only after the audit statement has (and fails if it failed).
    if (audit.status === 'rejected') {
      throw audit.reason;
    }
    if (figures.status === 'rejected') {
      throw figures.reason;
    }
    const analysed = figures.value;
    return {
      point: { id: point.id, name: point.name },
      facet,
      estimates,
      pupils: analysed,
      ...(members === undefined
        ? {}
        : {
            memberships: {
              classes: amongAnalysed(members.classes, analysedAt),
              groups: amongAnalysed(members.groups, analysedAt),
            },
          }),
      ...(analysed.length === 0
        ? { empty: 'No pupil you can see has grades at this assessment point.' }
        : {}),
    };
  });
}

/** Pupils worked out in a cohort at once between turns of the event loop (see analysePupils). */
const SLICE = 5_000;

/**
 * Each pupil's figures, a slice at a time, yielding between slices so that the database's replies
 * (the audit event's) are handled meanwhile rather than after the whole cohort.
 */
async function analysePupils(
  chosen: ReadonlyArray<{ pupil: analysis.CohortPupil; grades: SubjectGrade[] }>,
  estimates: EstimatesYear,
): Promise<PupilAnalysis[]> {
  const analysed: PupilAnalysis[] = [];
  for (let start = 0; start < chosen.length; start += SLICE) {
    if (start > 0) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    for (const { pupil, grades } of chosen.slice(start, start + SLICE)) {
      analysed.push(analysePupil(pupil, grades, estimates));
    }
  }
  return analysed;
}

function analysePupil(
  pupil: analysis.CohortPupil,
  grades: SubjectGrade[],
  estimates: EstimatesYear,
): PupilAnalysis {
  const prior = priorAttainment(
    pupil.ks2_reading_score === null &&
      pupil.ks2_maths_score === null &&
      pupil.ks2_reading_outcome === null &&
      pupil.ks2_maths_outcome === null &&
      pupil.ks2_reading_ta === null &&
      pupil.ks2_maths_ta === null
      ? undefined
      : {
          readingScore: pupil.ks2_reading_score,
          readingOutcome: pupil.ks2_reading_outcome,
          mathsScore: pupil.ks2_maths_score,
          mathsOutcome: pupil.ks2_maths_outcome,
          readingTa: pupil.ks2_reading_ta,
          mathsTa: pupil.ks2_maths_ta,
        },
  );
  const score = attainment8Score(grades);
  return {
    pupil,
    prior,
    attainment8: score,
    progress8: pupilProgress8(score, prior, estimates),
    ...gradeMeasures(grades),
    grades,
  };
}

/**
 * Members given as scope positions (1-based, ascending) as places among the analysed pupils (0-based,
 * still ascending), leaving out pupils without grades and groups left empty.
 */
function amongAnalysed(
  groups: ReadonlyMap<string, Int32Array>,
  analysedAt: Int32Array,
): Map<string, Int32Array> {
  const among = new Map<string, Int32Array>();
  for (const [name, positions] of groups) {
    const places = new Int32Array(positions.length);
    let count = 0;
    for (const position of positions) {
      if (position > analysedAt.length) {
        throw new Error('analysis: a member outside the cohort');
      }
      const place = analysedAt[position - 1] ?? -1;
      if (place >= 0) {
        places[count] = place;
        count += 1;
      }
    }
    if (count > 0) {
      among.set(name, places.subarray(0, count));
    }
  }
  return among;
}

export interface Headline {
  pupils: number;
  attainment8: number | null;
  progress8: (SchoolProgress8 & { elements: Record<string, number | null> }) | null;
  progress8Missing?: string;
  pupilsWithProgress8: number;
  basicsStandard: number | null;
  basicsStrong: number | null;
  ebaccEntry: number | null;
  ebaccAps: number | null;
  subjects: Array<{ subject: string; subjectName: string; pupils: number; averagePoints: number }>;
}

const per = (sum: number, count: number): number | null => (count === 0 ? null : sum / count);

/**
 * The figures leaders look at first, for one analysed cohort: one pass over its pupils, each sum
 * added in cohort order (so the means are those of the lists, to the last bit).
 */
export function headline(cohort: AnalysedCohort): Headline {
  const pupils = cohort.pupils;
  const scores: number[] = [];
  const elements = { english: 0, maths: 0, ebacc: 0, open: 0 };
  let attainment8 = 0;
  let basicsStandard = 0;
  let basicsStrong = 0;
  let ebaccEntry = 0;
  let ebaccAps = 0;
  const subjects = new Map<string, { subjectName: string; pupils: number; points: number }>();
  for (const entry of pupils) {
    attainment8 += entry.attainment8.total;
    basicsStandard += entry.basics.standard ? 1 : 0;
    basicsStrong += entry.basics.strong ? 1 : 0;
    ebaccEntry += entry.ebaccEntered ? 1 : 0;
    ebaccAps += entry.ebaccAps;
    const progress8 = entry.progress8.progress8;
    if (progress8 !== null) {
      scores.push(progress8);
      const scored = entry.progress8.elements;
      elements.english += scored?.english ?? 0;
      elements.maths += scored?.maths ?? 0;
      elements.ebacc += scored?.ebacc ?? 0;
      elements.open += scored?.open ?? 0;
    }
    for (const grade of entry.grades) {
      const subject = subjects.get(grade.subject);
      if (subject === undefined) {
        subjects.set(grade.subject, { subjectName: grade.subjectName, pupils: 1, points: 0 + grade.points });
      } else {
        subject.pupils += 1;
        subject.points += grade.points;
      }
    }
  }
  const deviation = cohort.estimates.deviations;
  const school = deviation === undefined ? undefined : schoolProgress8(scores, deviation.progress8);
  return {
    pupils: pupils.length,
    attainment8: per(attainment8, pupils.length),
    progress8:
      school === undefined
        ? null
        : {
            ...school,
            elements: {
              english: per(elements.english, scores.length),
              maths: per(elements.maths, scores.length),
              ebacc: per(elements.ebacc, scores.length),
              open: per(elements.open, scores.length),
            },
          },
    ...(school === undefined ? { progress8Missing: progress8Missing(cohort, deviation === undefined) } : {}),
    pupilsWithProgress8: scores.length,
    basicsStandard: per(basicsStandard, pupils.length),
    basicsStrong: per(basicsStrong, pupils.length),
    ebaccEntry: per(ebaccEntry, pupils.length),
    ebaccAps: per(ebaccAps, pupils.length),
    subjects: [...subjects]
      .map(([subject, { subjectName, pupils: count, points }]) => ({
        subject,
        subjectName,
        pupils: count,
        averagePoints: points / count,
      }))
      .sort((a, b) => a.subjectName.localeCompare(b.subjectName)),
  };
}

function progress8Missing(cohort: AnalysedCohort, noDeviation: boolean): string {
  if (cohort.pupils.length === 0) {
    return cohort.empty ?? 'There are no pupils to measure.';
  }
  if (noDeviation) {
    return `The ${cohort.estimates.id} estimates have no national standard deviation, so no confidence interval can be given.`;
  }
  return 'No pupil in this cohort has usable KS2 results. Pupils finishing KS4 in 2025 and 2026 sat no KS2 tests (cancelled in 2020 and 2021), so there is no national Progress 8 for them: use progress against targets instead.';
}

/** The choices a report offers for this school. */
export async function analysisOptions(
  services: Services,
  schoolId: string,
): Promise<{
  assessmentPoints: analysis.PointRow[];
  estimates: Array<{ id: string; year: number; version: string }>;
  latestEstimates: string;
}> {
  const points = await services.db.withSchool(schoolId, (trx) => analysis.pointsWithFacets(trx, schoolId));
  return {
    assessmentPoints: points,
    estimates: ESTIMATES_YEARS.map(({ id, year, version }) => ({ id, year, version })),
    latestEstimates: latestEstimates().id,
  };
}

/**
 * Subgroup gaps for an analysed cohort, groups below `minimum` pupils suppressed. Gaps by class or
 * custom group need the cohort read with its memberships (`memberships: needsMemberships(dimensions)`
 * in the filter), so that they come from the same snapshot as its pupils.
 */
export function gapsReport(
  cohort: AnalysedCohort,
  minimum: number,
  dimensions?: readonly Dimension[],
): { cohort: Measures & { pupils: number }; dimensions: DimensionGaps[] } {
  return cohortGaps(cohort.pupils, cohort.memberships, minimum, dimensions);
}

export { needsMemberships };

export interface PointChoice {
  id: string;
  name: string;
}

/** The requested assessment point (404 when it is not the school's), or the latest holding the facet. */
export function choosePoint(
  points: readonly analysis.PointRow[],
  facet: Facet,
  requested: string | undefined,
): PointChoice | undefined {
  if (requested !== undefined) {
    const found = points.find((entry) => entry.id === requested);
    if (found === undefined) {
      throw new AppError(404, 'not_found', 'That assessment point was not found in this school.');
    }
    return found;
  }
  return points.filter((entry) => entry.facets.includes(facet)).at(-1);
}
