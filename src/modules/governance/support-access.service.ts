import { randomUUID } from 'node:crypto';
import { PLATFORM_ORG_ID, recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError, badRequest, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { withIdentity, type SignedIn } from '../organisations/identity.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { mailSchoolAdmins, privacyMail } from '../privacy/privacy-mail.ts';
import * as repository from './support-access.repository.ts';
import type { SupportAccess, SupportEndReason } from './support-access.tables.ts';

// Support access: the operator's staff see no pupil data unless a school's administrator grants a named
// support engineer access, for a stated purpose, a ticket and a window of at most 72 hours. While the
// grant is live the engineer holds a read-only (senior leader) or data manager role in that school
// only; every request they make under it is written to the school's audit log and listed on the
// school's Support access page as it happens. The grant ends at its time, when the school revokes it,
// or when the engineer closes the ticket; the school's administrators are told each time.

export const MAX_HOURS = 72;
const PURPOSE = { table: 'support_grants', column: 'purpose' } as const;

export type GrantStatus = 'scheduled' | 'live' | 'expired' | SupportEndReason;

export interface GrantView {
  id: string;
  schoolId: string;
  schoolName?: string;
  engineer: { id: string; email: string };
  access: SupportAccess;
  ticket: string;
  purpose: string;
  startsAt: string;
  expiresAt: string;
  grantedBy: string;
  grantedAt: string;
  endedAt: string | null;
  status: GrantStatus;
  requests: { count: number; recent: Array<{ at: string; method: string; route: string }> };
}

export interface NewGrant {
  engineerId: string;
  access: SupportAccess;
  ticket: string;
  purpose: string;
  hours: number;
  startsAt?: string | undefined;
}

function statusOf(row: repository.GrantRow, now: Date): GrantStatus {
  if (row.end_reason !== null) {
    return row.end_reason;
  }
  if (row.expires_at <= now) {
    return 'expired';
  }
  return row.starts_at > now ? 'scheduled' : 'live';
}

/** The support engineers a school may choose from (their work addresses). */
export async function supportEngineers(services: Services): Promise<Array<{ id: string; email: string }>> {
  return withIdentity(services, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    const rows = await repository.supportEngineers(trx);
    return Promise.all(
      [...new Map(rows.map((row) => [row.user_id, row])).values()].map(async (row) => ({
        id: row.user_id,
        email: await vault.decrypt({ table: 'users', column: 'email', rowId: row.user_id }, row.email),
      })),
    );
  });
}

/** A school admin grants a named engineer time-limited access. */
export async function grantSupport(
  services: Services,
  who: SignedIn,
  schoolId: string,
  input: NewGrant,
  requestId: string,
): Promise<{ id: string }> {
  if (!Number.isInteger(input.hours) || input.hours < 1 || input.hours > MAX_HOURS) {
    throw badRequest(`Access lasts from 1 to ${MAX_HOURS} hours.`, [
      { field: 'body.hours', message: `must be a whole number of hours from 1 to ${MAX_HOURS}` },
    ]);
  }
  const now = new Date();
  const startsAt = input.startsAt === undefined ? now : new Date(input.startsAt);
  if (Number.isNaN(startsAt.getTime()) || startsAt.getTime() < now.getTime() - 60_000) {
    throw badRequest('Access cannot start in the past.', [
      { field: 'body.startsAt', message: 'must be now or later' },
    ]);
  }
  const engineers = await supportEngineers(services);
  const engineer = engineers.find((candidate) => candidate.id === input.engineerId);
  if (engineer === undefined) {
    throw badRequest('Choose one of the support engineers listed.', [
      { field: 'body.engineerId', message: 'is not a support engineer' },
    ]);
  }
  const school = await getSchool(services, schoolId);
  const id = randomUUID();
  const expiresAt = new Date(startsAt.getTime() + input.hours * 3_600_000);
  await withIdentity(services, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    await repository.insertGrant(trx, {
      id,
      org_id: schoolId,
      engineer_id: engineer.id,
      access: input.access,
      ticket: input.ticket,
      purpose: await vault.encrypt(id, { ...PURPOSE, rowId: id }, input.purpose),
      starts_at: startsAt,
      expires_at: expiresAt,
      granted_by: who.userId,
    });
  });
  await services.db.withSchool(schoolId, (trx) =>
    recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'support.granted',
      target: `support_grant:${id}`,
      requestId,
      details: { engineer: engineer.id, access: input.access, hours: input.hours },
    }),
  );
  const window = `from ${startsAt.toISOString()} to ${expiresAt.toISOString()} (UTC)`;
  await mailSchoolAdmins(services, schoolId, `Haven: support access granted for ticket ${input.ticket}`, [
    `A Haven support engineer (${engineer.email}) may now use ${school.name}'s data in Haven ${window}, ${input.access === 'view' ? 'to read it' : 'as a data manager'}, for ticket ${input.ticket}.`,
    `Everything they do is listed as it happens on the Support access page, where you can end it at any time: ${services.publicUrl}/schools/${schoolId}/support`,
  ]);
  services.mailer.queue(
    privacyMail(engineer.email, `Haven: ${school.name} granted you access for ticket ${input.ticket}`, [
      `${school.name} granted you ${input.access === 'view' ? 'read-only' : 'data manager'} access ${window}.`,
      'Close the ticket in Haven when you are done: the access ends with it.',
    ]),
  );
  return { id };
}

async function views(
  services: Services,
  rows: repository.GrantRow[],
  names: Map<string, string>,
): Promise<GrantView[]> {
  const now = new Date();
  const engineers = new Map(
    (await supportEngineers(services)).map((engineer) => [engineer.id, engineer.email]),
  );
  const purposes = await withIdentity(services, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    return Promise.all(rows.map((row) => vault.decrypt({ ...PURPOSE, rowId: row.id }, row.purpose)));
  });
  const requests = new Map<string, { count: number; recent: repository.SupportRequestRow[] }>();
  for (const [schoolId, grants] of Map.groupBy(rows, (row) => row.org_id)) {
    const found = await services.db.withSchool(schoolId, (trx) =>
      repository.requestsUnderGrants(
        trx,
        schoolId,
        grants.map((row) => row.id),
        50,
      ),
    );
    for (const [grantId, entry] of found) {
      requests.set(grantId, entry);
    }
  }
  return rows.map((row, index) => ({
    id: row.id,
    schoolId: row.org_id,
    schoolName: names.get(row.org_id),
    engineer: { id: row.engineer_id, email: engineers.get(row.engineer_id) ?? 'a former support engineer' },
    access: row.access,
    ticket: row.ticket,
    purpose: purposes[index] ?? '',
    startsAt: row.starts_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    grantedBy: row.granted_by,
    grantedAt: row.granted_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    status: statusOf(row, now),
    requests: {
      count: requests.get(row.id)?.count ?? 0,
      recent: (requests.get(row.id)?.recent ?? []).map((entry) => ({
        at: entry.occurred_at.toISOString(),
        method: entry.method ?? '',
        route: entry.route ?? '',
      })),
    },
  }));
}

/** The school's grants, newest first, each with the requests made under it (the reader is audited). */
export async function schoolGrants(
  services: Services,
  who: SignedIn,
  schoolId: string,
  requestId: string,
): Promise<GrantView[]> {
  const rows = await withIdentity(services, (trx) => repository.grantsOfSchool(trx, schoolId));
  await services.db.withSchool(schoolId, (trx) =>
    recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'support.grants_read',
      requestId,
    }),
  );
  return views(services, rows, new Map());
}

/** The signed-in engineer's own grants, across schools. */
export async function myGrants(services: Services, who: SignedIn): Promise<GrantView[]> {
  const rows = await withIdentity(services, (trx) => repository.grantsOfEngineer(trx, who.userId));
  const names = new Map<string, string>();
  for (const schoolId of new Set(rows.map((row) => row.org_id))) {
    names.set(schoolId, (await getSchool(services, schoolId)).name);
  }
  return views(services, rows, names);
}

async function endGrant(
  services: Services,
  grant: repository.GrantRow,
  by: Actor,
  reason: SupportEndReason,
  requestId: string,
): Promise<void> {
  const ended = await withIdentity(services, (trx) =>
    repository.endGrant(trx, grant.id, { by: by.id, reason }),
  );
  if (!ended) {
    throw new AppError(409, 'already_ended', 'That support access has ended already.');
  }
  await services.db.withSchool(grant.org_id, (trx) =>
    recordAudit(trx, {
      orgId: grant.org_id,
      actor: by,
      action: reason === 'revoked' ? 'support.revoked' : 'support.ticket_closed',
      target: `support_grant:${grant.id}`,
      requestId,
    }),
  );
  await mailSchoolAdmins(
    services,
    grant.org_id,
    `Haven: support access for ticket ${grant.ticket} has ended`,
    [
      reason === 'revoked'
        ? `Support access for ticket ${grant.ticket} was withdrawn by your school. The engineer can no longer see your school's data.`
        : `The support engineer closed ticket ${grant.ticket}, which ended their access to your school's data.`,
      `What they did is still listed on the Support access page: ${services.publicUrl}/schools/${grant.org_id}/support`,
    ],
  );
}

/** A school admin ends a grant early. */
export async function revokeSupport(
  services: Services,
  who: SignedIn,
  schoolId: string,
  grantId: string,
  requestId: string,
): Promise<void> {
  const grant = await withIdentity(services, (trx) => repository.grantById(trx, grantId));
  if (grant?.org_id !== schoolId) {
    throw notFound('That support access');
  }
  await endGrant(services, grant, { type: 'user', id: who.userId }, 'revoked', requestId);
}

/** The engineer closes the ticket: the access ends with it. */
export async function closeTicket(
  services: Services,
  who: SignedIn,
  grantId: string,
  requestId: string,
): Promise<void> {
  const grant = await withIdentity(services, (trx) => repository.grantById(trx, grantId));
  if (grant?.engineer_id !== who.userId) {
    throw notFound('That support access');
  }
  await endGrant(services, grant, { type: 'user', id: who.userId }, 'ticket_closed', requestId);
}
