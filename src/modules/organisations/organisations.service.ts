import { classifyDatabaseError } from '../../platform/db/errors.ts';
import { AppError, badRequest, notFound, type FieldError } from '../../platform/http/errors.ts';
import { PLATFORM_ORG_ID, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { Services } from '../../services.ts';
import * as repository from './organisations.repository.ts';
import type { OrganisationKind, SchoolRow, SchoolSettingsRow, SchoolStatus } from './organisations.tables.ts';

export interface School {
  id: string;
  name: string;
  /** Unique Reference Number from Get Information about Schools (6 digits). */
  urn: string | null;
  laCode: string | null;
  establishmentNumber: string | null;
  status: SchoolStatus;
  createdAt: Date;
}

export interface NewSchool {
  name: string;
  urn?: string | undefined;
  laCode?: string | undefined;
  establishmentNumber?: string | undefined;
  /** The multi-academy trust the school belongs to, if any. */
  trustId?: string | undefined;
}

/**
 * Creates a school (platform work) with default settings and its own data and index keys; refuses bad
 * fields and a URN already in use.
 */
export async function createSchool(
  { db, keyring }: Pick<Services, 'db' | 'keyring'>,
  input: NewSchool,
): Promise<School> {
  const school = validateNewSchool(input);
  try {
    const row = await db.withPlatform('organisations.create_school', async (trx) => {
      if (
        input.trustId !== undefined &&
        (await repository.findOrganisation(trx, input.trustId))?.kind !== 'trust'
      ) {
        throw new AppError(404, 'not_found', 'That trust was not found.', [
          { field: 'trust', message: 'is not a trust' },
        ]);
      }
      const created = await repository.insertSchool(trx, school, input.trustId ?? null);
      await keyring.createSchoolKeys(trx, created.id);
      await recordAudit(trx, {
        orgId: created.id,
        actor: SYSTEM_ACTOR,
        action: 'school.created',
        target: `school:${created.id}`,
      });
      return created;
    });
    return toSchool(row);
  } catch (error) {
    if (classifyDatabaseError(error) === 'unique_violation') {
      throw new AppError(409, 'urn_taken', `A school with URN ${school.urn ?? ''} already exists.`, [
        { field: 'urn', message: 'is already used by another school' },
      ]);
    }
    throw error;
  }
}

/** One school, seen from inside its own tenant context. */
export async function getSchool({ db }: Services, schoolId: string): Promise<School> {
  const row = await db.withSchool(schoolId, (trx) => repository.findSchool(trx, schoolId));
  if (row === undefined) {
    throw notFound('That school');
  }
  return toSchool(row);
}

/** Every school on the platform (operator view). */
export async function listSchools({ db }: Services): Promise<School[]> {
  const rows = await db.withPlatform('organisations.list_schools', (trx) => repository.listSchools(trx));
  return rows.map(toSchool);
}

function validateNewSchool(input: NewSchool): {
  name: string;
  urn: string | null;
  la_code: string | null;
  establishment_number: string | null;
} {
  const fields: FieldError[] = [];
  const name = input.name.trim();
  if (name.length === 0 || name.length > 200) {
    fields.push({ field: 'name', message: 'must be between 1 and 200 characters' });
  }
  const urn = digits(input.urn, 6, 'urn', fields);
  const laCode = digits(input.laCode, 3, 'laCode', fields);
  const establishmentNumber = digits(input.establishmentNumber, 4, 'establishmentNumber', fields);
  if (fields.length > 0) {
    throw badRequest('The school details are not valid.', fields);
  }
  return { name, urn, la_code: laCode, establishment_number: establishmentNumber };
}

function digits(
  value: string | undefined,
  length: number,
  field: string,
  fields: FieldError[],
): string | null {
  if (value === undefined || value.trim() === '') {
    return null;
  }
  const trimmed = value.trim();
  if (!new RegExp(`^[0-9]{${length}}$`).test(trimmed)) {
    fields.push({ field, message: `must be exactly ${length} digits` });
  }
  return trimmed;
}

function toSchool(row: SchoolRow): School {
  return {
    id: row.id,
    name: row.name,
    urn: row.urn,
    laCode: row.la_code,
    establishmentNumber: row.establishment_number,
    status: row.status,
    createdAt: row.created_at,
  };
}

export interface SchoolSettings {
  timezone: string;
  academicYearStartMonth: number;
  requireTwoFactor: boolean;
}

export async function getSchoolSettings({ db }: Services, schoolId: string): Promise<SchoolSettings> {
  const row = await db.withSchool(schoolId, (trx) => repository.findSettings(trx, schoolId));
  if (row === undefined) {
    throw notFound('That school');
  }
  return toSettings(row);
}

/**
 * Changes a school's settings. Requiring two-factor sign-in is refused to an admin who has not turned it
 * on themselves: it would lock them out of the school they are managing.
 */
export async function updateSchoolSettings(
  { db }: Services,
  schoolId: string,
  changes: { academicYearStartMonth?: number | undefined; requireTwoFactor?: boolean | undefined },
  by: { userId: string; twoFactor: boolean; requestId: string },
): Promise<SchoolSettings> {
  if (changes.requireTwoFactor === true && !by.twoFactor) {
    throw new AppError(
      409,
      'two_factor_needed_first',
      'Turn on two-factor sign-in for your own account before requiring it of all staff.',
    );
  }
  const row = await db.withSchool(schoolId, async (trx) => {
    const updated = await repository.updateSettings(trx, schoolId, {
      ...(changes.academicYearStartMonth === undefined
        ? {}
        : { academic_year_start_month: changes.academicYearStartMonth }),
      ...(changes.requireTwoFactor === undefined ? {} : { require_two_factor: changes.requireTwoFactor }),
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: by.userId },
      action: 'school.settings_changed',
      requestId: by.requestId,
      details: Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)),
    });
    return updated;
  });
  if (row === undefined) {
    throw notFound('That school');
  }
  return toSettings(row);
}

/**
 * The kind of organisation with this id, or undefined when there is none. Organisations carry no personal
 * data; read in the platform's tenant, as a user's memberships are.
 */
export async function organisationKind(
  { db }: Pick<Services, 'db'>,
  orgId: string,
): Promise<OrganisationKind | undefined> {
  const row = await db.withSchool(PLATFORM_ORG_ID, (trx) => repository.findOrganisation(trx, orgId));
  return row?.kind;
}

/** An organisation's name, or undefined for an unknown id. */
export async function organisationName(
  { db }: Pick<Services, 'db'>,
  orgId: string,
): Promise<string | undefined> {
  const row = await db.withSchool(PLATFORM_ORG_ID, (trx) => repository.findOrganisation(trx, orgId));
  return row?.name;
}

/** Every organisation of a kind by name and id: e.g. the schools a virtual school may link a child to. */
export async function organisationDirectory(
  { db }: Pick<Services, 'db'>,
  kind: OrganisationKind,
): Promise<Array<{ id: string; name: string }>> {
  return db.withSchool(PLATFORM_ORG_ID, (trx) => repository.organisationsOfKind(trx, kind));
}

/** Organisations' names by id, inside any context's transaction (names are not personal data). */
export async function organisationNamesIn(
  trx: Transaction<DB>,
  ids: readonly string[],
): Promise<Map<string, string>> {
  const rows = await repository.organisationsByIds(trx, [...new Set(ids)]);
  return new Map(rows.map((row) => [row.id, row.name]));
}

/** Whether the school requires two-factor sign-in of its staff. */
export async function schoolRequiresTwoFactor({ db }: Services, schoolId: string): Promise<boolean> {
  const row = await db.withSchool(schoolId, (trx) => repository.findSettings(trx, schoolId));
  return row?.require_two_factor === true;
}

/** Creates a multi-academy trust or a local authority (virtual school): platform work. */
export async function createOrganisation(
  { db }: Services,
  input: { kind: string; name: string },
): Promise<{ id: string; kind: 'trust' | 'local_authority'; name: string }> {
  const name = input.name.trim();
  const fields = [];
  if (input.kind !== 'trust' && input.kind !== 'local_authority') {
    fields.push({
      field: 'kind',
      message: 'must be trust or local_authority (schools are created with school create)',
    });
  }
  if (name.length === 0 || name.length > 200) {
    fields.push({ field: 'name', message: 'must be between 1 and 200 characters' });
  }
  if (fields.length > 0 || (input.kind !== 'trust' && input.kind !== 'local_authority')) {
    throw badRequest('The organisation details are not valid.', fields);
  }
  const kind = input.kind;
  const created = await db.withPlatform('organisations.create_organisation', async (trx) => {
    const row = await repository.insertOrganisation(trx, { kind, name });
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: SYSTEM_ACTOR,
      action: 'organisation.created',
      target: `${kind}:${row.id}`,
    });
    return row;
  });
  return { id: created.id, kind, name };
}

function toSettings(row: SchoolSettingsRow): SchoolSettings {
  return {
    timezone: row.timezone,
    academicYearStartMonth: row.academic_year_start_month,
    requireTwoFactor: row.require_two_factor,
  };
}
