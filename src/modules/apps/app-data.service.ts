import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { DecryptionError } from '../../platform/crypto/field-cipher.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { offsetOf, type PageRequest } from '../../platform/http/pagination.ts';
import type { Services } from '../../services.ts';
import type { Facet } from '../curriculum/curriculum.tables.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { contactsOf } from '../pupils/pupil-details.service.ts';
import { displayName } from '../pupils/pupil-names.ts';
import type { AppAccess } from './app-tokens.ts';
import { AppApiError } from './app-tokens.ts';
import type { STUDENT_SCOPE_FIELDS, Student, StudentScope } from './app-api.schema.ts';
import type { Static } from 'typebox';
import * as data from './app-data.repository.ts';

/**
 * A pupil's id as one app sees it: pairwise (HMAC of the pupil id under a secret and the app's client
 * id), so two apps cannot join their copies on it, and no app learns Haven's own ids.
 */
export function pairwisePupilId(services: Services, clientId: string, pupilId: string): string {
  return pairwiseIds(services).of(clientId, pupilId);
}

/**
 * Pairwise ids, remembered: each is a pure function of the secret, the app and the pupil, and lists of
 * pupils ask for the same ones on every request. Bounded; the oldest entry goes first when full.
 */
class PairwiseIds {
  readonly secret: Buffer;
  readonly #key: KeyObject;
  readonly #known = new Map<string, string>();

  constructor(secret: Buffer) {
    this.secret = secret;
    this.#key = createSecretKey(secret);
  }

  of(clientId: string, pupilId: string): string {
    const input = `${clientId}\0${pupilId}`;
    const known = this.#known.get(input);
    if (known !== undefined) {
      return known;
    }
    const digest = createHmac('sha256', this.#key).update(input).digest('hex');
    const id = `${digest.slice(0, 8)}-${digest.slice(8, 12)}-${digest.slice(12, 16)}-${digest.slice(16, 20)}-${digest.slice(20, 32)}`;
    if (this.#known.size >= PAIRWISE_CACHE_ENTRIES) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined) {
        this.#known.delete(oldest);
      }
    }
    this.#known.set(input, id);
    return id;
  }
}

const PAIRWISE_CACHE_ENTRIES = 100_000;
const pairwiseBySecrets = new WeakMap<object, PairwiseIds>();

/** The pairwise ids of this key provider's current secret (a new secret starts afresh). */
function pairwiseIds(services: Services): PairwiseIds {
  const provider = services.keyring.provider;
  const secret = provider.deriveSecret('app pupil ids');
  let ids = pairwiseBySecrets.get(provider);
  if (ids === undefined || !ids.secret.equals(secret)) {
    ids = new PairwiseIds(secret);
    pairwiseBySecrets.set(provider, ids);
  }
  return ids;
}

type Opened = Partial<Record<data.IdentityColumn, string>>;

/** Each students.* scope's block of attributes, from the pupil row and the fields decrypted for it. */
const SCOPE_BLOCKS: {
  [S in StudentScope]: (
    row: data.PupilRow,
    opened: Opened,
  ) => Record<keyof (typeof STUDENT_SCOPE_FIELDS)[S], unknown>;
} = {
  'students.upn': (_row, opened) => ({ upn: opened.upn ?? null }),
  'students.dob': (_row, opened) => ({ date_of_birth: opened.dob ?? null }),
  'students.sex': (row) => ({ sex: row.sex }),
  'students.ethnicity': (row) => ({ ethnicity: row.ethnicity }),
  'students.fsm': (row) => ({ fsm: row.fsm, fsm6: row.fsm6 }),
  'students.disadvantaged': (row) => ({ disadvantaged: row.disadvantaged, pupil_premium: row.pupil_premium }),
  'students.sen': (row) => ({ sen: row.sen }),
  'students.eal': (row) => ({ eal: row.eal }),
  'students.care': (row) => ({
    looked_after: row.looked_after,
    previously_looked_after: row.previously_looked_after,
  }),
  'students.contacts': (_row, opened) => ({
    contacts: opened.contacts === undefined ? null : contactsOf(opened.contacts),
  }),
};

const STUDENT_SCOPES = Object.keys(SCOPE_BLOCKS).filter(
  (scope): scope is StudentScope => scope in SCOPE_BLOCKS,
);

/** Which encrypted columns a set of scopes needs: names always; UPN, date of birth, contacts only if granted. */
function columnsFor(scopes: ReadonlySet<string>): data.IdentityColumn[] {
  const columns: data.IdentityColumn[] = ['forename', 'surname', 'preferred_forename', 'preferred_surname'];
  if (scopes.has('students.upn')) {
    columns.push('upn');
  }
  if (scopes.has('students.dob')) {
    columns.push('dob');
  }
  if (scopes.has('students.contacts')) {
    columns.push('contacts');
  }
  return columns;
}

async function openFields(
  vault: SchoolVault,
  row: data.PupilRow,
  columns: readonly data.IdentityColumn[],
): Promise<Opened> {
  const sealed: Record<string, Buffer> = {};
  for (const column of columns) {
    const value = row[column];
    if (value !== null && value !== undefined) {
      sealed[column] = value;
    }
  }
  try {
    return await vault.decryptRecord('pupils', row.id, sealed);
  } catch (error) {
    // An erased pupil (key destroyed) stays in the school's statistics with nothing to identify them.
    if (error instanceof DecryptionError && error.reason === 'unknown_key') {
      return {};
    }
    throw error;
  }
}

async function studentsOf(
  services: Services,
  trx: Transaction<DB>,
  access: AppAccess,
  rows: readonly data.PupilRow[],
): Promise<Array<Static<typeof Student>>> {
  const vault = new SchoolVault(services.keyring, trx, access.schoolId);
  await vault.preloadSubjects(rows.map((row) => row.id));
  const columns = columnsFor(access.scopes);
  const granted = STUDENT_SCOPES.filter((scope) => access.scopes.has(scope));
  const ids = pairwiseIds(services);
  const students: Array<Static<typeof Student>> = [];
  for (const row of rows) {
    const opened = await openFields(vault, row, columns);
    const names = {
      forename: opened.forename ?? null,
      surname: opened.surname ?? null,
      preferredForename: opened.preferred_forename ?? null,
      preferredSurname: opened.preferred_surname ?? null,
    };
    const student: Static<typeof Student> = {
      id: ids.of(access.clientId, row.id),
      first_name: names.preferredForename ?? names.forename,
      last_name: names.preferredSurname ?? names.surname,
      display_name: displayName(names),
      year_group: row.year_group,
      registration_group: row.registration_group,
      enrolment_status: row.enrolment_status,
      start_date: row.start_date,
      leave_date: row.leave_date,
    };
    for (const scope of granted) {
      Object.assign(student, SCOPE_BLOCKS[scope](row, opened));
    }
    students.push(student);
  }
  return students;
}

/** Every read by an app is in the school's audit log: which app, what, and which pupils. */
async function auditRead(
  trx: Transaction<DB>,
  access: AppAccess,
  resource: string,
  pupilIds: readonly string[],
  requestId: string,
): Promise<void> {
  await recordAudit(trx, {
    orgId: access.schoolId,
    actor: { type: 'app', id: access.clientId },
    action: 'apps.data_read',
    target: resource,
    subjectIds: [...pupilIds],
    requestId,
    details: { pupils: pupilIds.length },
  });
}

export async function appSchool(services: Services, access: AppAccess) {
  const school = await getSchool(services, access.schoolId);
  return { id: school.id, name: school.name, urn: school.urn };
}

/** Pupils a page at a time in a stable order, with only the attributes the school granted. */
export async function appStudents(
  services: Services,
  access: AppAccess,
  request: { page: PageRequest; since?: Date | undefined; left?: boolean },
  requestId: string,
) {
  return services.db.withSchool(access.schoolId, async (trx) => {
    const found = await data.pupilPage(
      trx,
      access.schoolId,
      { since: request.since, left: request.left === true },
      columnsFor(access.scopes),
      { offset: offsetOf(request.page), limit: request.page.perPage },
    );
    const students = await studentsOf(services, trx, access, found.rows);
    await auditRead(
      trx,
      access,
      request.left === true ? 'students.left' : 'students',
      found.rows.map((row) => row.id),
      requestId,
    );
    return { students, total: found.total, lastModified: found.lastModified };
  });
}

/** One pupil by the app's own id for them (found by computing this app's ids for the school's pupils). */
export async function appStudent(
  services: Services,
  access: AppAccess,
  studentId: string,
  requestId: string,
) {
  return services.db.withSchool(access.schoolId, async (trx) => {
    const ids = pairwiseIds(services);
    const pupilId = (await data.pupilIds(trx, access.schoolId)).find(
      (id) => ids.of(access.clientId, id) === studentId,
    );
    const found =
      pupilId === undefined
        ? undefined
        : await data.pupilPage(trx, access.schoolId, { ids: [pupilId] }, columnsFor(access.scopes), {
            offset: 0,
            limit: 1,
          });
    const row = found?.rows[0];
    if (row === undefined) {
      throw new AppApiError(404, 'not_found', 'There is no such student in this school.');
    }
    const [student] = await studentsOf(services, trx, access, [row]);
    await auditRead(trx, access, 'student', [row.id], requestId);
    return { student, lastModified: row.updated_at };
  });
}

export async function appYearGroups(services: Services, access: AppAccess) {
  const rows = await services.db.withSchool(access.schoolId, (trx) => data.yearGroups(trx, access.schoolId));
  return rows.map((row) => ({ year_group: row.year_group, students: Number(row.pupils) }));
}

export async function appClasses(services: Services, access: AppAccess, page: PageRequest) {
  return services.db.withSchool(access.schoolId, (trx) =>
    data.classPage(trx, access.schoolId, offsetOf(page), page.perPage),
  );
}

export async function appClassMembers(
  services: Services,
  access: AppAccess,
  classId: string,
  requestId: string,
) {
  return services.db.withSchool(access.schoolId, async (trx) => {
    const members = await data.classMembers(trx, access.schoolId, classId);
    if (members === undefined) {
      throw new AppApiError(404, 'not_found', 'There is no such class in this school.');
    }
    await auditRead(trx, access, `class:${classId}`, members, requestId);
    return {
      class_id: classId,
      student_ids: members.map((id) => pairwisePupilId(services, access.clientId, id)),
    };
  });
}

export async function appSubjects(services: Services, access: AppAccess) {
  return services.db.withSchool(access.schoolId, (trx) => data.subjects(trx, access.schoolId));
}

export async function appAssessmentPoints(services: Services, access: AppAccess) {
  return services.db.withSchool(access.schoolId, (trx) => data.assessmentPoints(trx, access.schoolId));
}

export async function appGradeSets(services: Services, access: AppAccess) {
  return services.db.withSchool(access.schoolId, (trx) => data.gradeSets(trx, access.schoolId));
}

/** Achieved and baseline grades need assessments.results; targets and predictions assessments.targets. */
export function facetsGranted(access: AppAccess): Facet[] {
  return [
    ...(access.scopes.has('assessments.results') ? (['achieved', 'baseline'] as const) : []),
    ...(access.scopes.has('assessments.targets') ? (['target', 'prediction'] as const) : []),
  ];
}

export async function appResults(
  services: Services,
  access: AppAccess,
  request: {
    page: PageRequest;
    facets: Facet[];
    assessmentPointId?: string | undefined;
    since?: Date | undefined;
  },
  requestId: string,
) {
  return services.db.withSchool(access.schoolId, async (trx) => {
    const found = await data.resultPage(
      trx,
      access.schoolId,
      { facets: request.facets, assessmentPointId: request.assessmentPointId, since: request.since },
      offsetOf(request.page),
      request.page.perPage,
    );
    const pupils = [...new Set(found.rows.map((row) => row.pupil_id))];
    await auditRead(trx, access, 'results', pupils, requestId);
    return {
      results: found.rows.map((row) => ({
        student_id: pairwisePupilId(services, access.clientId, row.pupil_id),
        subject: row.subject,
        assessment_point_id: row.assessment_point_id,
        facet: row.facet,
        grade: row.grade,
        points: row.points,
      })),
      total: found.total,
      lastModified: found.lastModified,
    };
  });
}

export async function appPriorAttainment(
  services: Services,
  access: AppAccess,
  page: PageRequest,
  requestId: string,
) {
  return services.db.withSchool(access.schoolId, async (trx) => {
    const found = await data.priorAttainmentPage(trx, access.schoolId, offsetOf(page), page.perPage);
    await auditRead(
      trx,
      access,
      'prior_attainment',
      found.rows.map((row) => row.pupil_id),
      requestId,
    );
    return {
      rows: found.rows.map((row) => ({
        student_id: pairwisePupilId(services, access.clientId, row.pupil_id),
        ks2_reading_score: row.ks2_reading_score,
        ks2_reading_outcome: row.ks2_reading_outcome,
        ks2_maths_score: row.ks2_maths_score,
        ks2_maths_outcome: row.ks2_maths_outcome,
        ks2_reading_ta: row.ks2_reading_ta,
        ks2_maths_ta: row.ks2_maths_ta,
      })),
      total: found.total,
    };
  });
}

/**
 * The deletions feed: pupils the app must delete (erased) or stop using (restricted, or withdrawn from
 * apps), as this app's own ids for them. Reading it is audited like any read.
 */
export async function appDeletions(
  services: Services,
  access: AppAccess,
  request: { page: PageRequest; since?: Date | undefined },
  requestId: string,
) {
  return services.db.withSchool(access.schoolId, async (trx) => {
    const found = await data.removalsPage(
      trx,
      access.schoolId,
      { since: request.since },
      offsetOf(request.page),
      request.page.perPage,
    );
    await auditRead(trx, access, 'deletions', [], requestId);
    return {
      deletions: found.rows.map((row) => ({
        student_id: pairwisePupilId(services, access.clientId, row.pupil_id),
        reason: row.reason,
        removed_at: row.removed_at.toISOString(),
      })),
      total: found.total,
      lastModified: found.lastModified,
    };
  });
}
