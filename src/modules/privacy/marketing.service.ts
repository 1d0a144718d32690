import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { PLATFORM_ORG_ID, recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError, badRequest, notFound, type FieldError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { normaliseEmail, tokenDigest, withIdentity } from '../organisations/identity.ts';
import {
  CONSENT_WORDING,
  currentWording,
  FORMS,
  PURPOSES,
  wordingOf,
  type MarketingForm,
} from './consent-wording.ts';
import * as repository from './marketing.repository.ts';
import type { MarketingPurpose, SuppressionReason, WithdrawnVia } from './marketing.tables.ts';

// The operator's marketing contacts (demo bookings, enquiries, the newsletter): consent per purpose with
// the wording version, time and form; unsubscribe links; and a suppression list that keeps nothing of an
// address but its keyed hash. See docs/marketing-contacts.md.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Blind index of a contact's address (lookups). */
export const EMAIL_KIND = 'marketing_email';
/** HMAC domain of the suppression list: a different kind, so its digests match no blind index. */
export const SUPPRESSION_KIND = 'marketing_suppression';
const FORM_ACTOR: Actor = { type: 'system', id: 'public_form' };
const LINK_ACTOR: Actor = { type: 'system', id: 'unsubscribe_link' };

/** The public's answer for a suppressed address: the same whatever put it on the list, and when. */
export const NOT_CONTACTABLE =
  'We will not contact this address: it is on our list of addresses never to contact. Nothing has been recorded.';

export interface ConsentDetails {
  purpose: MarketingPurpose;
  title: string;
  wordingVersion: string;
  source: string;
  grantedAt: string;
  withdrawnAt: string | null;
  withdrawnVia: string | null;
}

export interface MarketingContact {
  id: string;
  name: string;
  email: string;
  message: string | null;
  createdAt: string;
  consents: ConsentDetails[];
}

export interface Subscription {
  purpose: MarketingPurpose;
  title: string;
}

export type Trx = Transaction<DB>;

export function vaultOf(services: Services, trx: Trx): SchoolVault {
  return new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
}

export function checkedEmail(input: string, fields: FieldError[]): string {
  const email = normaliseEmail(input);
  if (!EMAIL.test(email) || email.length > 254) {
    fields.push({ field: 'email', message: 'is not an e-mail address' });
  }
  return email;
}

/** The form's current wording, purpose by purpose, for the page to show beside unticked boxes. */
export function formWording(form: MarketingForm) {
  return { form, title: FORMS[form].title, consents: currentWording(form) };
}

export interface ContactInput {
  form: MarketingForm;
  name: string;
  email: string;
  message?: string | undefined;
  consents: ReadonlyArray<{ purpose: MarketingPurpose; version: string }>;
}

function checkContactInput(input: ContactInput): { email: string; name: string; message: string | null } {
  const fields: FieldError[] = [];
  const email = checkedEmail(input.email, fields);
  const name = input.name.trim();
  if (name === '') {
    fields.push({ field: 'name', message: 'is required' });
  }
  const offered: readonly MarketingPurpose[] = FORMS[input.form].purposes;
  const seen = new Set<MarketingPurpose>();
  for (const consent of input.consents) {
    if (!offered.includes(consent.purpose) || seen.has(consent.purpose)) {
      fields.push({ field: 'consents', message: `cannot include ${consent.purpose} on this form` });
    } else if (wordingOf(consent.purpose, consent.version) === undefined) {
      fields.push({ field: 'consents', message: `names a wording we never showed (${consent.version})` });
    }
    seen.add(consent.purpose);
  }
  if (input.consents.length === 0) {
    fields.push({ field: 'consents', message: 'must have at least one box ticked: we need your agreement' });
  }
  if (fields.length > 0) {
    throw badRequest('Nothing was recorded: some fields need changing.', fields);
  }
  const message = input.message?.trim() ?? '';
  return { email, name, message: message === '' ? null : message };
}

/**
 * A person fills in a public form: their consent to each ticked purpose is recorded with the wording
 * version they saw, the time and the form. A new address becomes a contact (name, address and message
 * encrypted under its own key); a known one gets the consents added, and answers exactly the same. A
 * suppressed address is refused, and nothing about it is stored.
 */
export async function recordContact(
  services: Services,
  input: ContactInput,
  requestId: string,
): Promise<void> {
  const checked = checkContactInput(input);
  const recorded = await withIdentity(services, async (trx) => {
    await services.keyring.createSchoolKeys(trx, PLATFORM_ORG_ID);
    const vault = vaultOf(services, trx);
    const hmac = await vault.digest(SUPPRESSION_KIND, checked.email);
    await repository.lockAddress(trx, hmac);
    if (await repository.isSuppressed(trx, hmac)) {
      await recordAudit(trx, {
        orgId: PLATFORM_ORG_ID,
        actor: FORM_ACTOR,
        action: 'marketing.contact_refused',
        outcome: 'denied',
        requestId,
        details: { form: input.form, reason: 'suppressed' },
      });
      return false;
    }
    const contactId = await contactFor(vault, trx, checked);
    const grantedAt = new Date();
    for (const consent of input.consents) {
      await repository.upsertConsent(trx, {
        contactId,
        purpose: consent.purpose,
        wordingVersion: consent.version,
        source: input.form,
        grantedAt,
      });
    }
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: FORM_ACTOR,
      action: 'marketing.consent_recorded',
      target: `marketing_contact:${contactId}`,
      subjectIds: [contactId],
      requestId,
      details: {
        form: input.form,
        purposes: input.consents.map((consent) => consent.purpose).join(','),
        versions: input.consents.map((consent) => consent.version).join(','),
      },
    });
    return true;
  });
  if (!recorded) {
    throw new AppError(409, 'not_contactable', NOT_CONTACTABLE);
  }
}

/** The contact with this address (its latest message kept), created when there is none. */
async function contactFor(
  vault: SchoolVault,
  trx: Trx,
  checked: { email: string; name: string; message: string | null },
): Promise<string> {
  const existing = await vault.lookup(EMAIL_KIND, checked.email);
  if (existing !== undefined) {
    if (checked.message !== null) {
      const where = { table: 'marketing_contacts', column: 'message', rowId: existing };
      await repository.replaceMessage(trx, existing, await vault.encrypt(existing, where, checked.message));
    }
    return existing;
  }
  const id = randomUUID();
  const fields: Record<string, string> = { email: checked.email, name: checked.name };
  if (checked.message !== null) {
    fields.message = checked.message;
  }
  const sealed = await vault.encryptRecord(id, 'marketing_contacts', id, fields);
  await repository.insertContact(trx, {
    id,
    email: need(sealed.email),
    name: need(sealed.name),
    message: sealed.message ?? null,
  });
  await vault.index(id, EMAIL_KIND, checked.email);
  return id;
}

function need(value: Buffer | undefined): Buffer {
  if (value === undefined) {
    throw new Error('a sealed field is missing');
  }
  return value;
}

const titleOf = (purpose: MarketingPurpose): string => CONSENT_WORDING[purpose].title;

async function subscriptionsOf(trx: Trx, contactId: string): Promise<Subscription[]> {
  const consents = await repository.consentsOf(trx, [contactId]);
  return PURPOSES.filter((purpose) =>
    consents.some((consent) => consent.purpose === purpose && consent.withdrawn_at === null),
  ).map((purpose) => ({ purpose, title: titleOf(purpose) }));
}

async function tokenOwner(trx: Trx, token: string) {
  const found = await repository.findToken(trx, tokenDigest(token));
  if (found === undefined) {
    throw new AppError(
      404,
      'not_found',
      'This unsubscribe link does not work. If you have unsubscribed from everything already, your details are deleted and there is nothing more to do.',
    );
  }
  return found;
}

/** What an unsubscribe link is about and what its holder still hears about; changes nothing. */
export async function describeUnsubscribe(
  services: Services,
  token: string,
  requestId: string,
): Promise<{ purpose: MarketingPurpose; title: string; subscriptions: Subscription[] }> {
  return withIdentity(services, async (trx) => {
    const owner = await tokenOwner(trx, token);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: LINK_ACTOR,
      action: 'marketing.unsubscribe_link_opened',
      target: `marketing_contact:${owner.contactId}`,
      subjectIds: [owner.contactId],
      requestId,
    });
    return {
      purpose: owner.purpose,
      title: titleOf(owner.purpose),
      subscriptions: await subscriptionsOf(trx, owner.contactId),
    };
  });
}

/**
 * The holder of an unsubscribe link withdraws one purpose, or everything: then the contact is deleted
 * and only the address's keyed hash stays, on the suppression list.
 */
export async function unsubscribe(
  services: Services,
  token: string,
  purpose: MarketingPurpose | 'all',
  requestId: string,
): Promise<{ message: string; subscriptions: Subscription[] }> {
  return withIdentity(services, async (trx) => {
    const owner = await tokenOwner(trx, token);
    const vault = vaultOf(services, trx);
    if (purpose === 'all') {
      await eraseInTransaction(vault, trx, owner.contactId, 'unsubscribed', LINK_ACTOR, requestId);
      return {
        message:
          'You are unsubscribed from everything. We have deleted your details and will not e-mail this address again.',
        subscriptions: [],
      };
    }
    const left = await withdrawInTransaction(
      vault,
      trx,
      owner.contactId,
      purpose,
      { actor: LINK_ACTOR, via: 'unsubscribe_link' },
      requestId,
    );
    const stopped = `You will not get these e-mails any more: ${titleOf(purpose)}.`;
    return {
      message:
        left.length === 0
          ? `${stopped} You had agreed to nothing else, so we have deleted your details.`
          : stopped,
      subscriptions: left,
    };
  });
}

/**
 * Withdraws one consent (already withdrawn: nothing changes). A contact left with no consent is deleted,
 * without suppression: they stopped each purpose, not all contact. Returns what they still hear about.
 */
export async function withdrawInTransaction(
  vault: SchoolVault,
  trx: Trx,
  contactId: string,
  purpose: MarketingPurpose,
  by: { actor: Actor; via: WithdrawnVia },
  requestId: string,
): Promise<Subscription[]> {
  const { actor, via } = by;
  const withdrawn = await repository.withdrawConsent(trx, contactId, purpose, via, new Date());
  if (withdrawn) {
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor,
      action: 'marketing.consent_withdrawn',
      target: `marketing_contact:${contactId}`,
      subjectIds: [contactId],
      requestId,
      details: { purpose, via },
    });
  }
  const left = await subscriptionsOf(trx, contactId);
  if (left.length === 0) {
    await repository.deleteContact(trx, contactId);
    await vault.shred(contactId);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor,
      action: 'marketing.contact_deleted',
      target: `marketing_contact:${contactId}`,
      subjectIds: [contactId],
      requestId,
      details: { reason: 'no_consent_left' },
    });
  }
  return left;
}

/**
 * Erasure: the address's keyed hash goes on the suppression list, the contact row (and with it every
 * consent and unsubscribe token) is deleted and its key shredded, so nothing of the person is left.
 */
export async function eraseInTransaction(
  vault: SchoolVault,
  trx: Trx,
  contactId: string,
  reason: SuppressionReason,
  actor: Actor,
  requestId: string,
): Promise<void> {
  const contact = await repository.findContact(trx, contactId);
  if (contact === undefined) {
    throw notFound('That contact');
  }
  const email = await vault.decrypt(
    { table: 'marketing_contacts', column: 'email', rowId: contactId },
    contact.email,
  );
  const hmac = await vault.digest(SUPPRESSION_KIND, email);
  await repository.lockAddress(trx, hmac);
  await repository.insertSuppression(trx, { emailHmac: hmac, reason });
  await repository.deleteContact(trx, contactId);
  await vault.shred(contactId);
  await recordAudit(trx, {
    orgId: PLATFORM_ORG_ID,
    actor,
    action: 'marketing.contact_erased',
    target: `marketing_contact:${contactId}`,
    subjectIds: [contactId],
    requestId,
    details: { reason },
  });
}

export async function decryptContacts(
  vault: SchoolVault,
  trx: Trx,
  rows: repository.ContactRow[],
): Promise<MarketingContact[]> {
  await vault.preloadSubjects(rows.map((row) => row.id));
  const consents = await repository.consentsOf(
    trx,
    rows.map((row) => row.id),
  );
  return Promise.all(
    rows.map(async (row) => {
      const sealed: Record<string, Buffer> = { email: row.email, name: row.name };
      if (row.message !== null) {
        sealed.message = row.message;
      }
      const open = await vault.decryptRecord('marketing_contacts', row.id, sealed);
      return {
        id: row.id,
        name: open.name ?? '',
        email: open.email ?? '',
        message: open.message ?? null,
        createdAt: row.created_at.toISOString(),
        consents: consents
          .filter((consent) => consent.contact_id === row.id)
          .map((consent) => ({
            purpose: consent.purpose,
            title: titleOf(consent.purpose),
            wordingVersion: consent.wording_version,
            source: consent.source,
            grantedAt: consent.granted_at.toISOString(),
            withdrawnAt: consent.withdrawn_at?.toISOString() ?? null,
            withdrawnVia: consent.withdrawn_via,
          })),
      };
    }),
  );
}
