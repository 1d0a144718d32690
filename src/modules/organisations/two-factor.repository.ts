import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';

// TOTP secrets and recovery codes: identity context only.

export async function setPendingSecret(trx: Transaction<DB>, userId: string, sealed: Buffer): Promise<void> {
  await trx
    .updateTable('users')
    .set({ totp_secret: sealed, totp_enabled_at: null, totp_last_step: null, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export async function enable(trx: Transaction<DB>, userId: string, step: number): Promise<void> {
  await trx
    .updateTable('users')
    .set({ totp_enabled_at: new Date(), totp_last_step: step, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
}

export async function disable(trx: Transaction<DB>, userId: string): Promise<void> {
  await trx
    .updateTable('users')
    .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
}

/** Accepts a time step only if it is newer than the last one accepted (no replay), atomically. */
export async function advanceStep(trx: Transaction<DB>, userId: string, step: number): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function replaceRecoveryCodes(
  trx: Transaction<DB>,
  userId: string,
  hashes: Buffer[],
): Promise<void> {
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await trx
    .insertInto('recovery_codes')
    .values(hashes.map((hash) => ({ user_id: userId, code_hash: hash })))
    .execute();
}

/** Marks an unused recovery code used; false when there is no such unused code. */
export async function useRecoveryCode(trx: Transaction<DB>, userId: string, hash: Buffer): Promise<boolean> {
  const result = await trx
    .updateTable('recovery_codes')
    .set({ used_at: new Date() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function unusedRecoveryCodes(trx: Transaction<DB>, userId: string): Promise<number> {
  const row = await trx
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
