import { PLATFORM_ORG_ID, recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import { schoolAuthorisations } from '../apps/authorisations.service.ts';
import { withIdentity } from '../organisations/identity.ts';
import { getSchool, listSchools, schoolRequiresTwoFactor } from '../organisations/organisations.service.ts';
import { schoolRules } from '../retention/overview.service.ts';
import * as evidence from './evidence.repository.ts';
import {
  columnsByTable,
  DATA_CATEGORIES,
  recordsHolding,
  type CategoryTable,
  type Sensitivity,
} from './ropa.categories.ts';
import * as repository from './ropa.repository.ts';
import { transferPosition, type TransferPosition } from './residency.ts';

// The processor's record of processing activities (UK GDPR Art. 30(2)), generated from the system at the
// moment it is asked for: https://ico.org.uk/for-organisations/uk-gdpr-guidance-and-resources/accountability-and-governance/documentation/
// Counts and categories only: nothing in it identifies a pupil.

export const PROCESSING_ACTIVITIES = [
  'Keeping pupil records imported from the school’s management information system, with direct identifiers encrypted and the rest pseudonymised',
  'Analysing attainment and progress (headline measures, Progress 8, gaps, targets) for the school’s staff',
  'Passing data to apps the school authorises, limited to the scopes the school approved',
  'Carrying out data subject requests (access, rectification, erasure, restriction) on the school’s instruction',
  'Deleting data under the retention rules and on the school’s leaving',
  'Keeping an audit log of every read and change of personal data, and encrypted backups',
];

export const DATA_SUBJECTS = [
  'Pupils, current and former',
  'Parents and carers (as contacts and as requesters)',
  'The school’s staff (their accounts)',
];

export interface CategoryInUse {
  id: string;
  name: string;
  description: string;
  sensitivity: Sensitivity;
  encrypted: boolean;
  records: number;
}

export interface Processor {
  name: string | null;
  contact: string | null;
}

export interface SecurityMeasure {
  measure: string;
  detail: string;
}

export interface SchoolRopa {
  generatedAt: string;
  processor: Processor;
  controller: { id: string; name: string; urn: string | null };
  activities: string[];
  dataSubjects: string[];
  categories: CategoryInUse[];
  notHeld: Array<{ id: string; name: string }>;
  recipients: Array<{
    app: string;
    purpose: string;
    approvedAt: string;
    scopes: Array<{ scope: string; title: string; sensitivity: string }>;
  }>;
  retention: Array<{ rule: string; category: string; period: string; setBySchool: boolean; action: string }>;
  security: SecurityMeasure[];
  transfers: TransferPosition;
}

/** Which categories the school's rows hold values for, with how many records hold each. */
export async function categoriesInUse(services: Services, schoolId: string): Promise<CategoryInUse[]> {
  const counts = await services.db.withSchool(schoolId, async (trx) => {
    const byTable = new Map<CategoryTable, Record<string, number>>();
    for (const [table, columns] of columnsByTable()) {
      byTable.set(table, await repository.columnCounts(trx, schoolId, table, columns));
    }
    return byTable;
  });
  return DATA_CATEGORIES.map((category) => ({
    id: category.id,
    name: category.name,
    description: category.description,
    sensitivity: category.sensitivity,
    encrypted: category.encrypted,
    records: recordsHolding(category, counts),
  })).filter((category) => category.records > 0);
}

/** Staff with a role at each organisation and how many have two-factor on. */
export async function twoFactorCounts(services: Services) {
  const rows = await withIdentity(services, (trx) => evidence.twoFactorByOrganisation(trx));
  return new Map(rows.map((row) => [row.orgId, row]));
}

export function processorOf(services: Services): Processor {
  return {
    name: services.governance.operatorName ?? null,
    contact: services.governance.operatorContact ?? null,
  };
}

/** The security measures in force, with this school's figures where it has them. */
export function securityMeasures(figures: {
  dataKeyVersion: number | null;
  staff: number;
  withTwoFactor: number;
  required: boolean | null;
}): SecurityMeasure[] {
  const key =
    figures.dataKeyVersion === null ? '' : ` The school’s data key is at version ${figures.dataKeyVersion}.`;
  const required =
    figures.required === null
      ? ''
      : figures.required
        ? ' The school requires it.'
        : ' The school does not require it.';
  return [
    {
      measure: 'Encryption of direct identifiers',
      detail:
        'AES-256-GCM per field, a random 96-bit nonce, and associated data binding school, table, column and row.',
    },
    {
      measure: 'Per-pupil keys',
      detail: `Each pupil has a key wrapped by the school’s versioned data key, itself wrapped by the master key; erasing a pupil destroys their key, so every copy of their ciphertext, backups included, becomes unreadable.${key}`,
    },
    {
      measure: 'Pseudonymisation',
      detail:
        'Analysis uses random pupil ids and coarse attributes; lookups by UPN or e-mail use keyed HMAC blind indexes.',
    },
    {
      measure: 'Tenancy',
      detail:
        'PostgreSQL row-level security (forced) keeps each school’s rows apart; a query without its school returns nothing.',
    },
    {
      measure: 'Audit',
      detail:
        'Every read or change of personal data is written to a hash-chained audit log, per school, with signed checkpoints.',
    },
    {
      measure: 'Staff sign-in',
      detail: `Passwords hashed with argon2id; time-based one-time codes (TOTP) as a second factor: ${figures.withTwoFactor} of ${figures.staff} staff have it on.${required}`,
    },
  ];
}

export async function schoolRopa(
  services: Services,
  schoolId: string,
  by: Actor,
  requestId: string,
): Promise<SchoolRopa> {
  const school = await getSchool(services, schoolId);
  const [categories, apps, rules, staff, required, keys] = await Promise.all([
    categoriesInUse(services, schoolId),
    schoolAuthorisations(services, schoolId),
    schoolRules(services, schoolId),
    twoFactorCounts(services),
    schoolRequiresTwoFactor(services, schoolId),
    services.db.withSchool(schoolId, (trx) => evidence.schoolKeyVersions(trx, schoolId)),
  ]);
  const held = new Set(categories.map((category) => category.id));
  const dataKey = keys.find((key) => key.purpose === 'data' && key.state === 'active');
  const record: SchoolRopa = {
    generatedAt: new Date().toISOString(),
    processor: processorOf(services),
    controller: { id: school.id, name: school.name, urn: school.urn },
    activities: PROCESSING_ACTIVITIES,
    dataSubjects: DATA_SUBJECTS,
    categories,
    notHeld: DATA_CATEGORIES.filter((category) => !held.has(category.id)).map(({ id, name }) => ({
      id,
      name,
    })),
    recipients: apps.map((authorisation) => ({
      app: authorisation.app.name,
      purpose: authorisation.app.purpose,
      approvedAt: authorisation.approvedAt,
      scopes: authorisation.scopes.map(({ scope, title, sensitivity }) => ({ scope, title, sensitivity })),
    })),
    retention: rules.map((rule) => ({
      rule: rule.id,
      category: rule.category,
      period: rule.inForceText,
      setBySchool: rule.schoolPeriod !== null,
      action: rule.action,
    })),
    security: securityMeasures({
      dataKeyVersion: dataKey?.version ?? null,
      staff: staff.get(schoolId)?.staff ?? 0,
      withTwoFactor: staff.get(schoolId)?.withTwoFactor ?? 0,
      required,
    }),
    transfers: transferPosition(services.governance),
  };
  await services.db.withSchool(schoolId, (trx) =>
    recordAudit(trx, { orgId: schoolId, actor: by, action: 'governance.ropa_read', requestId }),
  );
  return record;
}

export interface PlatformRopa {
  generatedAt: string;
  processor: Processor;
  activities: string[];
  dataSubjects: string[];
  security: SecurityMeasure[];
  transfers: TransferPosition;
  schools: Array<{
    id: string;
    name: string;
    status: string;
    apps: number;
    categories: Array<{ id: string; name: string; sensitivity: Sensitivity; records: number }>;
  }>;
}

/** The operator's record across schools: each school's categories by count, never pupil data. */
export async function platformRopa(services: Services, by: Actor, requestId: string): Promise<PlatformRopa> {
  const [schools, staff] = await Promise.all([listSchools(services), twoFactorCounts(services)]);
  const rows: PlatformRopa['schools'] = [];
  for (const school of schools.filter((entry) => entry.status !== 'left')) {
    const [categories, apps] = await Promise.all([
      categoriesInUse(services, school.id),
      schoolAuthorisations(services, school.id),
    ]);
    rows.push({
      id: school.id,
      name: school.name,
      status: school.status,
      apps: apps.length,
      categories: categories.map(({ id, name, sensitivity, records }) => ({
        id,
        name,
        sensitivity,
        records,
      })),
    });
  }
  const schoolStaff = schools.map((school) => staff.get(school.id));
  const record: PlatformRopa = {
    generatedAt: new Date().toISOString(),
    processor: processorOf(services),
    activities: PROCESSING_ACTIVITIES,
    dataSubjects: DATA_SUBJECTS,
    security: securityMeasures({
      dataKeyVersion: null,
      staff: schoolStaff.reduce((sum, entry) => sum + (entry?.staff ?? 0), 0),
      withTwoFactor: schoolStaff.reduce((sum, entry) => sum + (entry?.withTwoFactor ?? 0), 0),
      required: null,
    }),
    transfers: transferPosition(services.governance),
    schools: rows,
  };
  await services.db.withSchool(PLATFORM_ORG_ID, (trx) =>
    recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: by,
      action: 'governance.platform_ropa_read',
      requestId,
    }),
  );
  return record;
}
