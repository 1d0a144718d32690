import { analysablePupils } from './analysis-scope.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import type { SignedIn } from '../organisations/identity.ts';
import type { Actor } from '../organisations/roles.policy.ts';
import type { Actor as AuditActor } from '../../platform/audit/audit-log.ts';
import * as analysis from './analysis.repository.ts';
import { cohortGrades, cohortMemberships, cohortPupils } from './cohort.repository.ts';
import { attainment8, type Attainment8, type SubjectGrade } from './attainment8.ts';
import { ESTIMATES_YEARS, estimatesById, latestEstimates, type EstimatesYear } from './estimates.ts';
import { measuresOf, subgroupGaps, type Dimension, type DimensionGaps, type Measures } from './gaps.ts';
import { basics, ebaccAps, ebaccEntered } from './measures.ts';
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
}

export interface PupilAnalysis {
  pupil: analysis.CohortPupil;
  prior: PriorAttainment;
  attainment8: Attainment8;
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
  return services.db.withSchool(schoolId, async (trx) => {
    const points = await analysis.pointsWithFacets(trx, schoolId);
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
    const counted = await analysablePupils(trx, who, schoolId);
    const inScope = (await cohortPupils(trx, schoolId, filter.yearGroup)).filter((pupil) =>
      counted(pupil.id),
    );
    const gradesOf = await cohortGrades(
      trx,
      schoolId,
      inScope.map((pupil) => pupil.id),
      point.id,
      facet,
    );
    // Only pupils with grades at the point are analysed, in id order.
    const pupils = inScope.flatMap((pupil, index) => {
      const grades = gradesOf[index];
      return grades === undefined ? [] : [{ pupil, grades }];
    });
    const analysed = pupils.map(({ pupil, grades: subjectGrades }) => {
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
      const a8 = attainment8(subjectGrades);
      return {
        pupil,
        prior,
        attainment8: a8,
        progress8: pupilProgress8(a8, prior, estimates),
        basics: basics(subjectGrades),
        ebaccEntered: ebaccEntered(subjectGrades),
        ebaccAps: ebaccAps(subjectGrades),
        grades: subjectGrades,
      };
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: who.audit,
      action: 'analysis.read',
      target: `assessment_point:${point.id}`,
      subjectIds: analysed.map((entry) => entry.pupil.id),
      details: { facet, estimates: estimates.id },
    });
    return {
      point: { id: point.id, name: point.name },
      facet,
      estimates,
      pupils: analysed,
      ...(analysed.length === 0
        ? { empty: 'No pupil you can see has grades at this assessment point.' }
        : {}),
    };
  });
}

const mean = (values: readonly number[]): number | null =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;
const share = (flags: readonly boolean[]): number | null =>
  flags.length === 0 ? null : flags.filter(Boolean).length / flags.length;

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

/** The figures leaders look at first, for one analysed cohort. */
export function headline(cohort: AnalysedCohort): Headline {
  const pupils = cohort.pupils;
  const withP8 = pupils.filter((entry) => entry.progress8.progress8 !== null);
  const deviation = cohort.estimates.deviations;
  const school =
    deviation === undefined
      ? undefined
      : schoolProgress8(
          withP8.map((entry) => entry.progress8.progress8 ?? 0),
          deviation.progress8,
        );
  const element = (name: 'english' | 'maths' | 'ebacc' | 'open') =>
    mean(withP8.map((entry) => entry.progress8.elements?.[name] ?? 0));
  const subjects = new Map<string, { subjectName: string; points: number[] }>();
  for (const entry of pupils) {
    for (const grade of entry.grades) {
      const subject = subjects.get(grade.subject);
      if (subject === undefined) {
        subjects.set(grade.subject, { subjectName: grade.subjectName, points: [grade.points] });
      } else {
        subject.points.push(grade.points);
      }
    }
  }
  return {
    pupils: pupils.length,
    attainment8: mean(pupils.map((entry) => entry.attainment8.total)),
    progress8:
      school === undefined
        ? null
        : {
            ...school,
            elements: {
              english: element('english'),
              maths: element('maths'),
              ebacc: element('ebacc'),
              open: element('open'),
            },
          },
    ...(school === undefined ? { progress8Missing: progress8Missing(cohort, deviation === undefined) } : {}),
    pupilsWithProgress8: withP8.length,
    basicsStandard: share(pupils.map((entry) => entry.basics.standard)),
    basicsStrong: share(pupils.map((entry) => entry.basics.strong)),
    ebaccEntry: share(pupils.map((entry) => entry.ebaccEntered)),
    ebaccAps: mean(pupils.map((entry) => entry.ebaccAps)),
    subjects: [...subjects]
      .map(([subject, { subjectName, points }]) => ({
        subject,
        subjectName,
        pupils: points.length,
        averagePoints: mean(points) ?? 0,
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

/** Subgroup gaps for an analysed cohort, groups below `minimum` pupils suppressed. */
export async function gapsReport(
  services: Services,
  schoolId: string,
  cohort: AnalysedCohort,
  minimum: number,
  dimensions?: readonly Dimension[],
): Promise<{ cohort: Measures & { pupils: number }; dimensions: DimensionGaps[] }> {
  const memberships = await services.db.withSchool(schoolId, (trx) =>
    cohortMemberships(
      trx,
      schoolId,
      cohort.pupils.map((entry) => entry.pupil.id),
    ),
  );
  return {
    cohort: { pupils: cohort.pupils.length, ...measuresOf(cohort.pupils) },
    dimensions: subgroupGaps(cohort.pupils, memberships, minimum, dimensions),
  };
}

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
