import { analysablePupils } from './analysis-scope.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { pupilResults, visiblePupils } from '../curriculum/curriculum.service.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import * as analysis from './analysis.repository.ts';
import { choosePoint, type AnalysisFilter, type Reader } from './analysis.service.ts';
import { subjectResiduals, targetStatus, targetTracking, type GradePair } from './tracking.ts';

// The school's own progress measures over the database: targets, residuals, flight paths.

export interface TargetsFilter {
  assessmentPointId?: string | undefined;
  /** What is compared with the targets: achieved grades (default) or predictions. */
  facet?: Facet | undefined;
  targetPointId?: string | undefined;
}

/** Grades at one point against targets at another, for the pupils the person may see. */
export async function targetsReport(
  services: Services,
  who: Reader,
  schoolId: string,
  filter: TargetsFilter,
) {
  const facet = filter.facet ?? 'achieved';
  return services.db.withSchool(schoolId, async (trx) => {
    const points = await analysis.pointsWithFacets(trx, schoolId);
    const point = choosePoint(points, facet, filter.assessmentPointId);
    const targetPoint = choosePoint(points, 'target', filter.targetPointId);
    if (point === undefined || targetPoint === undefined) {
      return {
        point: point ?? null,
        targetPoint: targetPoint ?? null,
        facet,
        empty:
          point === undefined
            ? `No assessment point has ${facet} grades yet.`
            : 'No targets have been imported yet.',
        tracking: targetTracking([]),
        pupils: [],
      };
    }
    const seen = await analysablePupils(trx, who, schoolId);
    const targets = new Map(
      (await analysis.gradesAt(trx, schoolId, targetPoint.id, 'target')).map((row) => [
        `${row.pupil_id}/${row.subject}`,
        row,
      ]),
    );
    const pairs: GradePair[] = (await analysis.gradesWithClasses(trx, schoolId, point.id, facet)).flatMap(
      (row) => {
        const target = targets.get(`${row.pupil_id}/${row.subject}`);
        return target === undefined || !seen(row.pupil_id)
          ? []
          : [
              {
                pupilId: row.pupil_id,
                subject: row.subject,
                subjectName: row.subject_name,
                className: row.class_name,
                grade: row.grade,
                points: row.points,
                target: target.grade,
                targetPoints: target.points,
              },
            ];
      },
    );
    await recordAudit(trx, {
      orgId: schoolId,
      actor: who.audit,
      action: 'analysis.read',
      target: `targets:${point.id}`,
      subjectIds: [...new Set(pairs.map((pair) => pair.pupilId))],
    });
    return {
      point: { id: point.id, name: point.name },
      targetPoint: { id: targetPoint.id, name: targetPoint.name },
      facet,
      tracking: targetTracking(pairs),
      pupils: pairs.map((pair) => ({ ...pair, status: targetStatus(pair.points, pair.targetPoints) })),
    };
  });
}

/** Subject residuals at one point and facet, by subject and class. */
export async function residualsReport(
  services: Services,
  who: Reader,
  schoolId: string,
  filter: AnalysisFilter,
) {
  const facet = filter.facet ?? 'achieved';
  return services.db.withSchool(schoolId, async (trx) => {
    const points = await analysis.pointsWithFacets(trx, schoolId);
    const point = choosePoint(points, facet, filter.assessmentPointId);
    if (point === undefined) {
      return {
        point: null,
        facet,
        empty: `No assessment point has ${facet} grades yet.`,
        ...subjectResiduals([]),
      };
    }
    const counted = await analysablePupils(trx, who, schoolId);
    const rows = (await analysis.gradesWithClasses(trx, schoolId, point.id, facet)).filter((row) =>
      counted(row.pupil_id),
    );
    await recordAudit(trx, {
      orgId: schoolId,
      actor: who.audit,
      action: 'analysis.read',
      target: `residuals:${point.id}`,
      subjectIds: [...new Set(rows.map((row) => row.pupil_id))],
    });
    return {
      point: { id: point.id, name: point.name },
      facet,
      ...subjectResiduals(
        rows.map((row) => ({
          pupilId: row.pupil_id,
          subject: row.subject,
          subjectName: row.subject_name,
          className: row.class_name,
          points: row.points,
        })),
      ),
    };
  });
}

/** One pupil's grades across every assessment point and facet (404 for a pupil the person may not see). */
export async function flightPath(services: Services, who: Reader, schoolId: string, pupilId: string) {
  return services.db.withSchool(schoolId, async (trx) => {
    const visible = await visiblePupils(trx, who.actor, who.userId, schoolId);
    if (visible !== 'all' && !visible.includes(pupilId)) {
      throw new AppError(404, 'not_found', 'That pupil was not found.');
    }
    if (!(await analysablePupils(trx, who, schoolId))(pupilId)) {
      throw new AppError(
        409,
        'processing_restricted',
        'This pupil’s data may not be used for analysis (a restriction or an objection is recorded), so no flight path is shown.',
      );
    }
    const rows = await pupilResults(trx, schoolId, pupilId);
    if (rows.length === 0 && (await analysis.cohort(trx, schoolId, { pupilIds: [pupilId] })).length === 0) {
      throw new AppError(404, 'not_found', 'That pupil was not found.');
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: who.audit,
      action: 'analysis.read',
      target: `flight_path:${pupilId}`,
      subjectIds: [pupilId],
    });
    const subjects = new Map<
      string,
      {
        subject: string;
        subjectName: string;
        points: Array<{ point: string; facet: string; grade: string; points: number }>;
      }
    >();
    for (const row of rows) {
      const entry = subjects.get(row.subject) ?? {
        subject: row.subject,
        subjectName: row.subject_name,
        points: [],
      };
      entry.points.push({ point: row.point, facet: row.facet, grade: row.grade, points: row.points });
      subjects.set(row.subject, entry);
    }
    return { pupilId, subjects: [...subjects.values()] };
  });
}
