import { recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import type { Services } from '../../services.ts';
import { pupilResults, type PupilResultRow } from '../curriculum/curriculum.service.ts';
import type { PupilKey } from './pupil-record.ts';
import * as pupils from './pupils.repository.ts';
import { findPupilsByKeys, keyString } from './pupils.service.ts';

// What a looked-after child's virtual school may see of the school's record, once the school has agreed
// to link it: SEN status, year group, KS2 and the latest achieved and target grades. Nothing else of the
// school, and every read is in the school's own audit log naming the authority that asked.

export interface PepSchoolData {
  available: boolean;
  yearGroup: number | null;
  sen: 'N' | 'K' | 'E' | null;
  ks2: { readingScore: number | null; mathsScore: number | null } | null;
  assessmentPoint: { name: string; date: string | null } | null;
  subjects: Array<{ subject: string; achieved: string | null; target: string | null }>;
}

const NOTHING: PepSchoolData = {
  available: false,
  yearGroup: null,
  sen: null,
  ks2: null,
  assessmentPoint: null,
  subjects: [],
};

/** The PEP-relevant part of a pupil's school record, read on behalf of a virtual school (audited). */
export async function pepSchoolData(
  services: Services,
  schoolId: string,
  pupilId: string,
  reader: { userId: string; authorityId: string; requestId: string },
): Promise<PepSchoolData> {
  return services.db.withSchool(schoolId, async (trx) => {
    const row = await pupils.pupilById(trx, schoolId, pupilId);
    if (row === undefined) {
      return NOTHING;
    }
    const [prior] = await pupils.priorAttainmentByPupils(trx, schoolId, [pupilId]);
    const latest = latestPoint(await pupilResults(trx, schoolId, pupilId));
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: reader.userId },
      action: 'pupils.read_for_pep',
      target: `pupil:${pupilId}`,
      subjectIds: [pupilId],
      requestId: reader.requestId,
      details: { authorityId: reader.authorityId },
    });
    return {
      available: true,
      yearGroup: row.year_group,
      sen: row.sen,
      ks2:
        prior === undefined
          ? null
          : { readingScore: prior.ks2_reading_score, mathsScore: prior.ks2_maths_score },
      assessmentPoint: latest.assessmentPoint,
      subjects: latest.subjects,
    };
  });
}

/** The latest assessment point with achieved grades, and each subject's achieved and target grade there. */
function latestPoint(
  results: readonly PupilResultRow[],
): Pick<PepSchoolData, 'assessmentPoint' | 'subjects'> {
  const achieved = results.filter((result) => result.facet === 'achieved');
  const top = achieved.reduce<PupilResultRow | undefined>(
    (best, result) => (best === undefined || result.rank > best.rank ? result : best),
    undefined,
  );
  if (top === undefined) {
    return { assessmentPoint: null, subjects: [] };
  }
  const atPoint = results.filter((result) => result.assessment_point_id === top.assessment_point_id);
  const bySubject = new Map<string, { subject: string; achieved: string | null; target: string | null }>();
  for (const result of atPoint) {
    const entry = bySubject.get(result.subject) ?? {
      subject: result.subject_name,
      achieved: null,
      target: null,
    };
    if (result.facet === 'achieved') {
      entry.achieved = result.grade;
    } else if (result.facet === 'target') {
      entry.target = result.grade;
    }
    bySubject.set(result.subject, entry);
  }
  return {
    assessmentPoint: { name: top.point, date: top.point_date },
    subjects: [...bySubject.values()].toSorted((a, b) => a.subject.localeCompare(b.subject)),
  };
}

/** The school's pupil with this UPN (or, without one, this name and date of birth), if there is one. */
export async function matchPupil(
  services: Services,
  schoolId: string,
  key: PupilKey,
): Promise<string | undefined> {
  return services.db.withSchool(schoolId, async (trx) => {
    const found = await findPupilsByKeys(new SchoolVault(services.keyring, trx, schoolId), [key]);
    return found.get(keyString(key));
  });
}

/** Whether the school has this pupil (a link must name one of the school's own pupils). */
export async function schoolHasPupil(
  services: Services,
  schoolId: string,
  pupilId: string,
): Promise<boolean> {
  return services.db.withSchool(
    schoolId,
    async (trx) => (await pupils.pupilById(trx, schoolId, pupilId)) !== undefined,
  );
}
