import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { OrganisationKind, UsersTable } from './organisations.tables.ts';

// Staff identities: every method runs in the identity context (the platform's tenant).
export type UserRow = Selectable<UsersTable>;

export async function insertUser(
  trx: Transaction<DB>,
  user: { id: string; email: Buffer; passwordHash: string | null },
): Promise<void> {
  await trx
    .insertInto('users')
    .values({ id: user.id, email: user.email, password_hash: user.passwordHash })
    .execute();
}

export async function findUser(trx: Transaction<DB>, userId: string): Promise<UserRow | undefined> {
  return trx.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
}

export async function setUserStatus(
  trx: Transaction<DB>,
  userId: string,
  status: 'active' | 'disabled',
): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set({ status, updated_at: new Date() })
    .where('id', '=', userId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function setPasswordHash(
  trx: Transaction<DB>,
  userId: string,
  passwordHash: string,
): Promise<void> {
  await trx
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export async function insertMembership(
  trx: Transaction<DB>,
  membership: { userId: string; orgId: string; role: string },
): Promise<boolean> {
  const result = await trx
    .insertInto('memberships')
    .values({ user_id: membership.userId, org_id: membership.orgId, role: membership.role })
    .onConflict((conflict) => conflict.columns(['user_id', 'org_id', 'role']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** A user's memberships with each organisation's kind and name. */
export async function membershipsOf(
  trx: Transaction<DB>,
  userId: string,
): Promise<Array<{ orgId: string; orgKind: OrganisationKind; orgName: string; role: string }>> {
  return trx
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.org_id')
    .select([
      'memberships.org_id as orgId',
      'organisations.kind as orgKind',
      'organisations.name as orgName',
      'memberships.role',
    ])
    .where('memberships.user_id', '=', userId)
    .orderBy('organisations.name')
    .orderBy('memberships.role')
    .execute();
}

/**
 * A support engineer's grants in force now (the governance module's table, read here because sign-in
 * reads it beside memberships: a live grant lends a school role for its window).
 */
export async function liveSupportGrantsOf(
  trx: Transaction<DB>,
  userId: string,
  now: Date,
): Promise<Array<{ grantId: string; orgId: string; orgName: string; access: 'view' | 'data' }>> {
  return trx
    .selectFrom('support_grants')
    .innerJoin('organisations', 'organisations.id', 'support_grants.org_id')
    .select([
      'support_grants.id as grantId',
      'support_grants.org_id as orgId',
      'organisations.name as orgName',
      'support_grants.access',
    ])
    .where('support_grants.engineer_id', '=', userId)
    .where('support_grants.ended_at', 'is', null)
    .where('support_grants.starts_at', '<=', now)
    .where('support_grants.expires_at', '>', now)
    .execute();
}

export async function countRole(trx: Transaction<DB>, role: string): Promise<number> {
  const row = await trx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('role', '=', role)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Staff of one organisation: each user with their roles there. */
export async function staffOf(
  trx: Transaction<DB>,
  orgId: string,
): Promise<
  Array<{
    user_id: string;
    role: string;
    email: Buffer;
    status: 'active' | 'disabled';
    totp_enabled_at: Date | null;
  }>
> {
  return trx
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'memberships.user_id',
      'memberships.role',
      'users.email',
      'users.status',
      'users.totp_enabled_at',
    ])
    .where('memberships.org_id', '=', orgId)
    .orderBy('memberships.user_id')
    .orderBy('memberships.role')
    .execute();
}

export async function deleteMembership(
  trx: Transaction<DB>,
  membership: { userId: string; orgId: string; role: string },
): Promise<boolean> {
  const result = await trx
    .deleteFrom('memberships')
    .where('user_id', '=', membership.userId)
    .where('org_id', '=', membership.orgId)
    .where('role', '=', membership.role)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
