import type { Selectable, Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { AccountLinksTable } from './organisations.tables.ts';

// One-time set-up and reset links: identity context only.
export type AccountLinkRow = Selectable<AccountLinksTable>;
export type LinkPurpose = AccountLinksTable['purpose'];

export async function insertLink(
  trx: Transaction<DB>,
  link: { userId: string; purpose: LinkPurpose; tokenHash: Buffer; expiresAt: Date },
): Promise<void> {
  await trx
    .insertInto('account_links')
    .values({
      user_id: link.userId,
      purpose: link.purpose,
      token_hash: link.tokenHash,
      expires_at: link.expiresAt,
    })
    .execute();
}

/** A link that can still be used: unspent, unexpired, and its account active. */
export async function findLiveLink(
  trx: Transaction<DB>,
  tokenHash: Buffer,
  now: Date,
): Promise<AccountLinkRow | undefined> {
  return trx
    .selectFrom('account_links')
    .innerJoin('users', 'users.id', 'account_links.user_id')
    .selectAll('account_links')
    .where('account_links.token_hash', '=', tokenHash)
    .where('account_links.used_at', 'is', null)
    .where('account_links.expires_at', '>', now)
    .where('users.status', '=', 'active')
    .executeTakeFirst();
}

/** Spends a link; false when another request spent it first. */
export async function spendLink(trx: Transaction<DB>, linkId: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('account_links')
    .set({ used_at: now })
    .where('id', '=', linkId)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Spends the user's unspent links of one purpose, before a new one of that purpose is issued: only the
 * newest reset link works, and asking for a reset leaves a new colleague's set-up link alone.
 */
export async function spendLinksFor(
  trx: Transaction<DB>,
  userId: string,
  purpose: LinkPurpose,
  now: Date,
): Promise<void> {
  await trx
    .updateTable('account_links')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .execute();
}

/** Spends every unspent link of the user: once the password is set or changed, none works. */
export async function spendOtherLinks(trx: Transaction<DB>, userId: string, now: Date): Promise<void> {
  await trx
    .updateTable('account_links')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}

/** How many links of a purpose the user was sent since `since` (caps reset mail to one address). */
export async function countLinksSince(
  trx: Transaction<DB>,
  userId: string,
  purpose: LinkPurpose,
  since: Date,
): Promise<number> {
  const row = await trx
    .selectFrom('account_links')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('created_at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
