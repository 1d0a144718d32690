import { sql, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { LoginFailuresTable, SessionsTable } from './organisations.tables.ts';

// Sessions and sign-in failures: identity context only.
export type SessionRow = Selectable<SessionsTable>;

export async function insertSession(
  trx: Transaction<DB>,
  session: { userId: string; tokenHash: Buffer; expiresAt: Date; secondFactor: boolean },
): Promise<SessionRow> {
  return trx
    .insertInto('sessions')
    .values({
      user_id: session.userId,
      token_hash: session.tokenHash,
      expires_at: session.expiresAt,
      second_factor: session.secondFactor,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** The session with this token digest and its user's status. */
export async function findSessionByToken(
  trx: Transaction<DB>,
  tokenHash: Buffer,
): Promise<(SessionRow & { user_status: 'active' | 'disabled'; totp_enabled_at: Date | null }) | undefined> {
  return trx
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('sessions')
    .select(['users.status as user_status', 'users.totp_enabled_at'])
    .where('sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/** Marks whether a session has proved a second factor (its user just turned two-factor on or off). */
export async function setSecondFactor(
  trx: Transaction<DB>,
  sessionId: string,
  secondFactor: boolean,
): Promise<void> {
  await trx
    .updateTable('sessions')
    .set({ second_factor: secondFactor })
    .where('id', '=', sessionId)
    .execute();
}

export async function touchSession(trx: Transaction<DB>, sessionId: string, at: Date): Promise<void> {
  await trx.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', sessionId).execute();
}

export async function revokeSession(
  trx: Transaction<DB>,
  userId: string,
  sessionId: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function revokeAllSessions(trx: Transaction<DB>, userId: string): Promise<void> {
  await trx
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** A user's sessions that are neither revoked nor past their absolute lifetime. */
export async function liveSessions(trx: Transaction<DB>, userId: string, now: Date): Promise<SessionRow[]> {
  return trx
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

export async function findFailures(
  trx: Transaction<DB>,
  digest: Buffer,
): Promise<Selectable<LoginFailuresTable> | undefined> {
  return trx.selectFrom('login_failures').selectAll().where('email_digest', '=', digest).executeTakeFirst();
}

/**
 * The address's failure row, locked until the transaction ends: a sign-in that passed the early check
 * while other attempts were failing in parallel sees their lock here, and cannot race a new one.
 */
export async function findFailuresForUpdate(
  trx: Transaction<DB>,
  digest: Buffer,
): Promise<Selectable<LoginFailuresTable> | undefined> {
  return trx
    .selectFrom('login_failures')
    .selectAll()
    .where('email_digest', '=', digest)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Counts one more failure; locks the address once `maxFailures` is reached. After a lock has run out the
 * count starts again. Returns the lock, if any.
 */
export async function recordFailure(
  trx: Transaction<DB>,
  digest: Buffer,
  maxFailures: number,
  lockUntil: Date,
): Promise<Date | null> {
  const result = await sql<{ locked_until: Date | null }>`
    insert into login_failures (email_digest, failures, locked_until)
    values (${digest}, 1, case when 1 >= ${maxFailures}::int then ${lockUntil}::timestamptz end)
    on conflict (email_digest) do update set
      failures = case when login_failures.locked_until <= now() then 1 else login_failures.failures + 1 end,
      locked_until = case
        when (case when login_failures.locked_until <= now() then 1 else login_failures.failures + 1 end) >= ${maxFailures}::int
        then ${lockUntil}::timestamptz end,
      updated_at = now()
    returning locked_until`.execute(trx);
  return result.rows[0]?.locked_until ?? null;
}

export async function clearFailures(trx: Transaction<DB>, digest: Buffer): Promise<void> {
  await trx.deleteFrom('login_failures').where('email_digest', '=', digest).execute();
}

/** Ends every session of the user but the one making the request. */
export async function revokeOtherSessions(
  trx: Transaction<DB>,
  userId: string,
  keepSessionId: string,
): Promise<void> {
  await trx
    .updateTable('sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('id', '!=', keepSessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Every session a user ever opened (for their access request), newest first. */
export async function sessionsOfUser(trx: Transaction<DB>, userId: string): Promise<SessionRow[]> {
  return trx
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}
