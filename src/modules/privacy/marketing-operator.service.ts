import { PLATFORM_ORG_ID, recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import { badRequest, conflict, notFound, type FieldError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { normaliseEmail, withIdentity } from '../organisations/identity.ts';
import * as repository from './marketing.repository.ts';
import {
  checkedEmail,
  decryptContacts,
  EMAIL_KIND,
  eraseInTransaction,
  SUPPRESSION_KIND,
  vaultOf,
  withdrawInTransaction,
  type MarketingContact,
} from './marketing.service.ts';
import type { MarketingPurpose, SuppressionReason } from './marketing.tables.ts';

// The platform operator's side of marketing contacts, and the lookups data subject requests use. Every
// read of a name or address is audited by the contact's pseudonymous id.

/** The operator's list of contacts with their consents, decrypted; the read is audited. */
export async function listContacts(
  services: Services,
  actor: Actor,
  requestId: string,
): Promise<MarketingContact[]> {
  return withIdentity(services, async (trx) => {
    const rows = await repository.listContacts(trx);
    const contacts = await decryptContacts(vaultOf(services, trx), trx, rows);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor,
      action: 'marketing.contacts_read',
      subjectIds: rows.map((row) => row.id),
      requestId,
      details: { count: rows.length },
    });
    return contacts;
  });
}

/** The operator withdraws one consent on the person's behalf. */
export async function withdrawConsent(
  services: Services,
  actor: Actor,
  contactId: string,
  purpose: MarketingPurpose,
  requestId: string,
): Promise<void> {
  await withIdentity(services, async (trx) => {
    const consents = await repository.consentsOf(trx, [contactId]);
    if (!consents.some((consent) => consent.purpose === purpose && consent.withdrawn_at === null)) {
      throw notFound('That consent');
    }
    await withdrawInTransaction(
      vaultOf(services, trx),
      trx,
      contactId,
      purpose,
      { actor, via: 'operator' },
      requestId,
    );
  });
}

/** The operator erases a contact (their request, or any other reason): only a suppression entry stays. */
export async function eraseContact(
  services: Services,
  actor: Actor,
  contactId: string,
  requestId: string,
): Promise<void> {
  await withIdentity(services, (trx) =>
    eraseInTransaction(vaultOf(services, trx), trx, contactId, 'erased', actor, requestId),
  );
}

/**
 * The operator puts an address on the suppression list directly (a request by phone or letter, a
 * complaint). A contact with that address is erased with it. An address already listed is refused.
 */
export async function suppressAddress(
  services: Services,
  actor: Actor,
  input: string,
  requestId: string,
): Promise<{ erasedContact: boolean }> {
  const fields: FieldError[] = [];
  const email = checkedEmail(input, fields);
  if (fields.length > 0) {
    throw badRequest('The address was not added: it needs changing.', fields);
  }
  return withIdentity(services, async (trx) => {
    await services.keyring.createSchoolKeys(trx, PLATFORM_ORG_ID);
    const vault = vaultOf(services, trx);
    const hmac = await vault.digest(SUPPRESSION_KIND, email);
    await repository.lockAddress(trx, hmac);
    if (await repository.isSuppressed(trx, hmac)) {
      throw conflict('This address is already on the suppression list.');
    }
    const contactId = await vault.lookup(EMAIL_KIND, email);
    if (contactId !== undefined) {
      await eraseInTransaction(vault, trx, contactId, 'operator', actor, requestId);
    } else {
      await repository.insertSuppression(trx, { emailHmac: hmac, reason: 'operator' });
    }
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor,
      action: 'marketing.address_suppressed',
      subjectIds: contactId === undefined ? [] : [contactId],
      requestId,
      details: { hadContact: contactId !== undefined },
    });
    return { erasedContact: contactId !== undefined };
  });
}

/** The suppression list as the operator sees it: a short reference of each hash, the reason and time. */
export async function listSuppressions(
  services: Services,
): Promise<Array<{ reference: string; reason: SuppressionReason; createdAt: string }>> {
  return withIdentity(services, async (trx) =>
    (await repository.listSuppressions(trx)).map((row) => ({
      reference: row.email_hmac.toString('hex').slice(0, 12),
      reason: row.reason,
      createdAt: row.created_at.toISOString(),
    })),
  );
}

/** A contact found by address, for data subject access requests (audited like the operator's list). */
export async function contactByEmail(
  services: Services,
  actor: Actor,
  email: string,
  requestId: string,
): Promise<MarketingContact | undefined> {
  return withIdentity(services, async (trx) => {
    await services.keyring.createSchoolKeys(trx, PLATFORM_ORG_ID);
    const vault = vaultOf(services, trx);
    const contactId = await vault.lookup(EMAIL_KIND, normaliseEmail(email));
    const row = contactId === undefined ? undefined : await repository.findContact(trx, contactId);
    if (row === undefined) {
      return undefined;
    }
    const [contact] = await decryptContacts(vault, trx, [row]);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor,
      action: 'marketing.contact_read',
      target: `marketing_contact:${row.id}`,
      subjectIds: [row.id],
      requestId,
    });
    return contact;
  });
}

/** Erases the contact with this address, if there is one (data subject erasure requests). */
export async function eraseContactByEmail(
  services: Services,
  actor: Actor,
  email: string,
  requestId: string,
): Promise<boolean> {
  return withIdentity(services, async (trx) => {
    await services.keyring.createSchoolKeys(trx, PLATFORM_ORG_ID);
    const vault = vaultOf(services, trx);
    const contactId = await vault.lookup(EMAIL_KIND, normaliseEmail(email));
    if (contactId === undefined) {
      return false;
    }
    await eraseInTransaction(vault, trx, contactId, 'erased', actor, requestId);
    return true;
  });
}
