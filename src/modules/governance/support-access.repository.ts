import { sql, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { SupportAccess, SupportEndReason } from './support-access.tables.ts';

// Support grants live in the platform's tenant beside memberships (every method runs under it); the
// requests made under a grant are read from the granting school's audit log (under its tenant).

export interface GrantRow {
  id: string;
  org_id: string;
  engineer_id: string;
  access: SupportAccess;
  ticket: string;
  purpose: Buffer;
  starts_at: Date;
  expires_at: Date;
  granted_by: string;
  granted_at: Date;
  ended_at: Date | null;
  ended_by: string | null;
  end_reason: SupportEndReason | null;
}

const COLUMNS = [
  'id',
  'org_id',
  'engineer_id',
  'access',
  'ticket',
  'purpose',
  'starts_at',
  'expires_at',
  'granted_by',
  'granted_at',
  'ended_at',
  'ended_by',
  'end_reason',
] as const;

/** People holding the support engineer role, with their (encrypted) addresses. */
export async function supportEngineers(
  trx: Transaction<DB>,
): Promise<Array<{ user_id: string; email: Buffer }>> {
  return trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select(['memberships.user_id', 'users.email'])
    .where('memberships.role', '=', 'support_engineer')
    .where('users.status', '=', 'active')
    .orderBy('memberships.user_id')
    .execute();
}

export async function insertGrant(
  trx: Transaction<DB>,
  grant: Omit<GrantRow, 'granted_at' | 'ended_at' | 'ended_by' | 'end_reason'>,
): Promise<void> {
  await trx.insertInto('support_grants').values(grant).execute();
}

export async function grantsOfSchool(trx: Transaction<DB>, schoolId: string): Promise<GrantRow[]> {
  return trx
    .selectFrom('support_grants')
    .select(COLUMNS)
    .where('org_id', '=', schoolId)
    .orderBy('granted_at', 'desc')
    .limit(100)
    .execute();
}

export async function grantsOfEngineer(trx: Transaction<DB>, engineerId: string): Promise<GrantRow[]> {
  return trx
    .selectFrom('support_grants')
    .select(COLUMNS)
    .where('engineer_id', '=', engineerId)
    .orderBy('granted_at', 'desc')
    .limit(100)
    .execute();
}

export async function grantById(trx: Transaction<DB>, grantId: string): Promise<GrantRow | undefined> {
  return trx.selectFrom('support_grants').select(COLUMNS).where('id', '=', grantId).executeTakeFirst();
}

/** Ends a grant not ended yet; false when it had ended already. */
export async function endGrant(
  trx: Transaction<DB>,
  grantId: string,
  end: { by: string; reason: SupportEndReason },
): Promise<boolean> {
  const result = await trx
    .updateTable('support_grants')
    .set({ ended_at: new Date(), ended_by: end.by, end_reason: end.reason })
    .where('id', '=', grantId)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export interface SupportRequestRow {
  occurred_at: Date;
  method: string | null;
  route: string | null;
}

/** The requests made under each grant (newest first, at most `limit` each), from the school's audit log. */
export async function requestsUnderGrants(
  trx: Transaction<DB>,
  schoolId: string,
  grantIds: readonly string[],
  limit: number,
): Promise<Map<string, { count: number; recent: SupportRequestRow[] }>> {
  const found = new Map<string, { count: number; recent: SupportRequestRow[] }>();
  for (const grantId of grantIds) {
    const { rows } = await sql<SupportRequestRow & { total: string }>`
      select occurred_at, details->>'method' as method, details->>'route' as route, count(*) over () as total
      from audit_events
      where org_id = ${schoolId} and action = 'support.request' and target = ${`support_grant:${grantId}`}
      order by seq desc limit ${limit}
    `.execute(trx);
    found.set(grantId, {
      count: Number(rows[0]?.total ?? 0),
      recent: rows.map(({ occurred_at, method, route }) => ({ occurred_at, method, route })),
    });
  }
  return found;
}
