import { createHmac } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import type { Services } from '../../services.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { displayName, openNames, shownForename, shownSurname } from '../pupils/pupil-names.ts';
import * as pupils from '../pupils/pupils.repository.ts';
import type { AppAccess } from './app-tokens.ts';

/**
 * A pupil's id as one app sees it: pairwise (HMAC of the pupil id under a secret and the app's client
 * id), so two apps cannot join their copies on it, and no app learns Haven's own ids.
 */
export function pairwisePupilId(services: Services, clientId: string, pupilId: string): string {
  const digest = createHmac('sha256', services.keyring.provider.deriveSecret('app pupil ids'))
    .update(`${clientId}\0${pupilId}`)
    .digest('hex');
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
}

export async function appSchool(services: Services, access: AppAccess) {
  const school = await getSchool(services, access.schoolId);
  return { id: school.id, name: school.name, urn: school.urn };
}

export interface AppStudent {
  id: string;
  first_name: string | null;
  last_name: string | null;
  display_name: string | null;
  year_group: number | null;
  upn?: string | null;
}

/**
 * Pupils for an app, a page at a time in a stable order; only the attributes the school granted are read
 * (and decrypted) at all. Every page is audited for the school with the app and the number of pupils.
 */
export async function appStudents(
  services: Services,
  access: AppAccess,
  page: { page: number; perPage: number },
  requestId: string,
): Promise<{ students: AppStudent[]; total: number }> {
  return services.db.withSchool(access.schoolId, async (trx) => {
    const { ids, total } = await pupils.pupilIdPage(
      trx,
      access.schoolId,
      (page.page - 1) * page.perPage,
      page.perPage,
    );
    const vault = new SchoolVault(services.keyring, trx, access.schoolId);
    const rows = await pupils.pupilNameRows(trx, access.schoolId, { ids });
    const named = await openNames(vault, rows);
    const byId = new Map(named.map((pupil) => [pupil.id, pupil]));
    const students: AppStudent[] = [];
    for (const id of ids) {
      const pupil = byId.get(id);
      if (pupil === undefined) {
        continue;
      }
      const student: AppStudent = {
        id: pairwisePupilId(services, access.clientId, pupil.id),
        first_name: shownForename(pupil.names),
        last_name: shownSurname(pupil.names),
        display_name: displayName(pupil.names),
        year_group: pupil.yearGroup,
      };
      if (access.scopes.has('students.upn')) {
        student.upn =
          pupil.sealedUpn === null
            ? null
            : await vault.decrypt({ table: 'pupils', column: 'upn', rowId: pupil.id }, pupil.sealedUpn);
      }
      students.push(student);
    }
    await recordAudit(trx, {
      orgId: access.schoolId,
      actor: { type: 'app', id: access.clientId },
      action: 'apps.data_read',
      target: 'students',
      subjectIds: ids,
      requestId,
      details: { pupils: ids.length, scopes: [...access.scopes].join(' ') },
    });
    return { students, total };
  });
}
