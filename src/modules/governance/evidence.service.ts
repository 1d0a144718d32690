import { PLATFORM_ORG_ID, recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import { withIdentity, type SignedIn } from '../organisations/identity.ts';
import { getSchool, listSchools, schoolRequiresTwoFactor } from '../organisations/organisations.service.ts';
import { listStaff } from '../organisations/staff.service.ts';
import { schoolGrants } from './support-access.service.ts';
import { registerFigures, type RegisterFigures } from './breach-evidence.service.ts';
import * as repository from './evidence.repository.ts';
import {
  backupEvidence,
  noticeEvidence,
  type BackupEvidence,
  type NoticeEvidence,
} from './evidence.registers.ts';
import { requestStatistics, type RequestFacts, type RequestStatistics } from './evidence.stats.ts';
import { ENCRYPTED_FIELDS } from './ropa.categories.ts';
import { columnCounts } from './ropa.repository.ts';
import { twoFactorCounts } from './ropa.service.ts';
import { transferPosition, type TransferPosition } from './residency.ts';

// The compliance evidence report: what a school (or the operator, for the annual audit) shows an
// auditor. Figures, roles and dates; pupils appear only as counts.

export const ALGORITHM =
  'AES-256-GCM per field; per-pupil keys wrapped by the school’s data key (crypto-shredding)';

export interface KeyEvidence {
  purpose: string;
  version: number;
  state: string;
  masterKeyId: string;
  createdAt: string;
}

export interface EncryptionEvidence {
  algorithm: string;
  fields: Array<{ table: string; column: string; what: string; values: number }>;
  keys: KeyEvidence[];
  /** When the newest key version after the first was made; null: never rotated. */
  lastRotation: string | null;
  pupilKeys: number;
}

export interface RetentionEvidence {
  certificates: number;
  recent: Array<{ id: string; rule: string; createdAt: string }>;
  runs: Array<{ status: string; startedAt: string; finishedAt: string | null }>;
  lastSuccessfulRun: string | null;
}

/** A support grant as evidence: who, what access, which ticket and window; not its purpose (free text). */
export interface GrantEvidence {
  engineer: string;
  access: string;
  ticket: string;
  startsAt: string;
  expiresAt: string;
  status: string;
  requests: number;
}

export interface SchoolEvidence {
  generatedAt: string;
  school: { id: string; name: string; urn: string | null };
  encryption: EncryptionEvidence;
  access: Array<{ userId: string; email: string; roles: string[]; status: string; twoFactor: boolean }>;
  twoFactor: { staff: number; withTwoFactor: number; required: boolean };
  supportGrants: GrantEvidence[];
  requests: RequestStatistics;
  retention: RetentionEvidence;
  backups: BackupEvidence;
  breaches: { notices: NoticeEvidence[] };
  transfers: TransferPosition;
}

async function encryptionOf(services: Services, schoolId: string): Promise<EncryptionEvidence> {
  return services.db.withSchool(schoolId, async (trx) => {
    const fields: EncryptionEvidence['fields'] = [];
    for (const field of ENCRYPTED_FIELDS) {
      const counts = await columnCounts(trx, schoolId, field.table, [field.column]);
      fields.push({ ...field, values: counts[field.column] ?? 0 });
    }
    const keys = (await repository.schoolKeyVersions(trx, schoolId)).map((key) => ({
      purpose: key.purpose,
      version: key.version,
      state: key.state,
      masterKeyId: key.kek_id,
      createdAt: key.created_at.toISOString(),
    }));
    const rotations = keys.filter((key) => key.version > 1).map((key) => key.createdAt);
    return {
      algorithm: ALGORITHM,
      fields,
      keys,
      lastRotation: rotations.sort().at(-1) ?? null,
      pupilKeys: await repository.pupilKeyCount(trx, schoolId),
    };
  });
}

async function retentionRuns(
  services: Services,
): Promise<Pick<RetentionEvidence, 'runs' | 'lastSuccessfulRun'>> {
  const rows = await services.db.withPlatform('governance.retention_runs', (trx) =>
    repository.retentionRuns(trx, 50),
  );
  return {
    runs: rows.slice(0, 10).map((row) => ({
      status: row.status,
      startedAt: row.started_at.toISOString(),
      finishedAt: row.finished_at?.toISOString() ?? null,
    })),
    lastSuccessfulRun: rows.find((row) => row.status === 'succeeded')?.finished_at?.toISOString() ?? null,
  };
}

async function schoolFacts(services: Services, schoolId: string) {
  return services.db.withSchool(schoolId, async (trx) => ({
    requests: (await repository.requestDates(trx, schoolId)) as RequestFacts[],
    certificates: await repository.retentionCertificates(trx, schoolId, 10),
  }));
}

export async function schoolEvidence(
  services: Services,
  schoolId: string,
  who: SignedIn,
  requestId: string,
): Promise<SchoolEvidence> {
  const school = await getSchool(services, schoolId);
  const [encryption, staff, grants, required, facts, runs, backups, breaches] = await Promise.all([
    encryptionOf(services, schoolId),
    listStaff(services, who, schoolId, requestId),
    schoolGrants(services, who, schoolId, requestId),
    schoolRequiresTwoFactor(services, schoolId),
    schoolFacts(services, schoolId),
    retentionRuns(services),
    backupEvidence(services),
    noticeEvidence(services, schoolId),
  ]);
  const active = staff.filter((member) => member.status === 'active');
  const evidence: SchoolEvidence = {
    generatedAt: new Date().toISOString(),
    school: { id: school.id, name: school.name, urn: school.urn },
    encryption,
    access: staff,
    twoFactor: {
      staff: active.length,
      withTwoFactor: active.filter((member) => member.twoFactor).length,
      required,
    },
    supportGrants: grants.map((grant) => ({
      engineer: grant.engineer.email,
      access: grant.access,
      ticket: grant.ticket,
      startsAt: grant.startsAt,
      expiresAt: grant.expiresAt,
      status: grant.status,
      requests: grant.requests.count,
    })),
    requests: requestStatistics(facts.requests),
    retention: {
      certificates: facts.certificates.total,
      recent: facts.certificates.rows.map((row) => ({
        id: row.id,
        rule: row.rule,
        createdAt: row.created_at.toISOString(),
      })),
      ...runs,
    },
    backups,
    breaches,
    transfers: transferPosition(services.governance),
  };
  await services.db.withSchool(schoolId, (trx) =>
    recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'governance.evidence_read',
      requestId,
    }),
  );
  return evidence;
}

export interface PlatformEvidence {
  generatedAt: string;
  schools: Array<{
    id: string;
    name: string;
    status: string;
    staff: number;
    withTwoFactor: number;
    dataKeyVersion: number | null;
    lastRotation: string | null;
    pupilKeys: number;
    requests: RequestStatistics;
    certificates: number;
    supportGrants: number;
  }>;
  requests: RequestStatistics;
  retention: Pick<RetentionEvidence, 'runs' | 'lastSuccessfulRun'>;
  supportGrants: { total: number; live: number };
  backups: BackupEvidence;
  breaches: RegisterFigures;
  transfers: TransferPosition;
}

/** The annual audit's view across schools: per-school figures and platform-wide totals. */
export async function platformEvidence(
  services: Services,
  by: Actor,
  requestId: string,
): Promise<PlatformEvidence> {
  const [schools, staff, runs, grants, backups, breaches] = await Promise.all([
    listSchools(services),
    twoFactorCounts(services),
    retentionRuns(services),
    withIdentity(services, (trx) => repository.supportGrantCounts(trx)),
    backupEvidence(services),
    registerFigures(services),
  ]);
  const rows: PlatformEvidence['schools'] = [];
  const everyRequest: RequestFacts[] = [];
  for (const school of schools.filter((entry) => entry.status !== 'left')) {
    const [encryption, facts] = await Promise.all([
      encryptionOf(services, school.id),
      schoolFacts(services, school.id),
    ]);
    everyRequest.push(...facts.requests);
    const dataKey = encryption.keys.find((key) => key.purpose === 'data' && key.state === 'active');
    rows.push({
      id: school.id,
      name: school.name,
      status: school.status,
      staff: staff.get(school.id)?.staff ?? 0,
      withTwoFactor: staff.get(school.id)?.withTwoFactor ?? 0,
      dataKeyVersion: dataKey?.version ?? null,
      lastRotation: encryption.lastRotation,
      pupilKeys: encryption.pupilKeys,
      requests: requestStatistics(facts.requests),
      certificates: facts.certificates.total,
      supportGrants: grants.get(school.id)?.total ?? 0,
    });
  }
  const evidence: PlatformEvidence = {
    generatedAt: new Date().toISOString(),
    schools: rows,
    requests: requestStatistics(everyRequest),
    retention: runs,
    supportGrants: {
      total: [...grants.values()].reduce((sum, entry) => sum + entry.total, 0),
      live: [...grants.values()].reduce((sum, entry) => sum + entry.live, 0),
    },
    backups,
    breaches,
    transfers: transferPosition(services.governance),
  };
  await services.db.withSchool(PLATFORM_ORG_ID, (trx) =>
    recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: by,
      action: 'governance.platform_evidence_read',
      requestId,
    }),
  );
  return evidence;
}
