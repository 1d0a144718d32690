import { sql, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type {
  MarketingConsentsTable,
  MarketingContactsTable,
  MarketingPurpose,
  MarketingSuppressionsTable,
  SuppressionReason,
  WithdrawnVia,
} from './marketing.tables.ts';

// Marketing contacts: every method runs in the platform's tenant (the identity context), where row-level
// security keeps these rows away from every school context.
export type ContactRow = Selectable<MarketingContactsTable>;
export type ConsentRow = Selectable<MarketingConsentsTable>;
export type SuppressionRow = Selectable<MarketingSuppressionsTable>;

/**
 * Serialises work on one address until commit (two submissions of the same new address would otherwise
 * both find no contact and both insert one). The key is the address's keyed digest, never the address.
 */
export async function lockAddress(trx: Transaction<DB>, digest: Buffer): Promise<void> {
  await sql`select pg_advisory_xact_lock(${digest.readBigInt64BE(0).toString()}::bigint)`.execute(trx);
}

export async function insertContact(
  trx: Transaction<DB>,
  row: { id: string; email: Buffer; name: Buffer; message: Buffer | null },
): Promise<void> {
  await trx.insertInto('marketing_contacts').values(row).execute();
}

export async function replaceMessage(trx: Transaction<DB>, id: string, message: Buffer): Promise<void> {
  await trx
    .updateTable('marketing_contacts')
    .set({ message, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function findContact(trx: Transaction<DB>, id: string): Promise<ContactRow | undefined> {
  return trx.selectFrom('marketing_contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listContacts(trx: Transaction<DB>): Promise<ContactRow[]> {
  return trx
    .selectFrom('marketing_contacts')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function deleteContact(trx: Transaction<DB>, id: string): Promise<boolean> {
  const result = await trx.deleteFrom('marketing_contacts').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Contacts with an unwithdrawn consent for the purpose, oldest first. */
export async function contactsConsentingTo(
  trx: Transaction<DB>,
  purpose: MarketingPurpose,
): Promise<ContactRow[]> {
  return trx
    .selectFrom('marketing_contacts')
    .innerJoin('marketing_consents', 'marketing_consents.contact_id', 'marketing_contacts.id')
    .selectAll('marketing_contacts')
    .where('marketing_consents.purpose', '=', purpose)
    .where('marketing_consents.withdrawn_at', 'is', null)
    .orderBy('marketing_contacts.created_at')
    .orderBy('marketing_contacts.id')
    .execute();
}

export async function consentsOf(trx: Transaction<DB>, contactIds: readonly string[]): Promise<ConsentRow[]> {
  if (contactIds.length === 0) {
    return [];
  }
  return trx
    .selectFrom('marketing_consents')
    .selectAll()
    .where('contact_id', 'in', contactIds)
    .orderBy('contact_id')
    .orderBy('purpose')
    .execute();
}

/** Records (or renews, after a withdrawal) a consent with the wording version, time and form. */
export async function upsertConsent(
  trx: Transaction<DB>,
  consent: {
    contactId: string;
    purpose: MarketingPurpose;
    wordingVersion: string;
    source: string;
    grantedAt: Date;
  },
): Promise<void> {
  const values = {
    wording_version: consent.wordingVersion,
    source: consent.source,
    granted_at: consent.grantedAt,
    withdrawn_at: null,
    withdrawn_via: null,
  };
  await trx
    .insertInto('marketing_consents')
    .values({ contact_id: consent.contactId, purpose: consent.purpose, ...values })
    .onConflict((conflict) => conflict.columns(['contact_id', 'purpose']).doUpdateSet(values))
    .execute();
}

/** Withdraws an active consent; false when there was none to withdraw. */
export async function withdrawConsent(
  trx: Transaction<DB>,
  contactId: string,
  purpose: MarketingPurpose,
  via: WithdrawnVia,
  at: Date,
): Promise<boolean> {
  const result = await trx
    .updateTable('marketing_consents')
    .set({ withdrawn_at: at, withdrawn_via: via })
    .where('contact_id', '=', contactId)
    .where('purpose', '=', purpose)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertToken(
  trx: Transaction<DB>,
  token: { tokenHash: Buffer; contactId: string; purpose: MarketingPurpose },
): Promise<void> {
  await trx
    .insertInto('marketing_unsubscribe_tokens')
    .values({ token_hash: token.tokenHash, contact_id: token.contactId, purpose: token.purpose })
    .execute();
}

export async function findToken(
  trx: Transaction<DB>,
  tokenHash: Buffer,
): Promise<{ contactId: string; purpose: MarketingPurpose } | undefined> {
  return trx
    .selectFrom('marketing_unsubscribe_tokens')
    .select(['contact_id as contactId', 'purpose'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export async function isSuppressed(trx: Transaction<DB>, emailHmac: Buffer): Promise<boolean> {
  const row = await trx
    .selectFrom('marketing_suppressions')
    .select('reason')
    .where('email_hmac', '=', emailHmac)
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds a suppression entry; false when the address was on the list already (the first entry stays). */
export async function insertSuppression(
  trx: Transaction<DB>,
  entry: { emailHmac: Buffer; reason: SuppressionReason },
): Promise<boolean> {
  const result = await trx
    .insertInto('marketing_suppressions')
    .values({ email_hmac: entry.emailHmac, reason: entry.reason })
    .onConflict((conflict) => conflict.column('email_hmac').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function listSuppressions(trx: Transaction<DB>): Promise<SuppressionRow[]> {
  return trx
    .selectFrom('marketing_suppressions')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('email_hmac')
    .execute();
}
