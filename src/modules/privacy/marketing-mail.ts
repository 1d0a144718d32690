import { randomBytes } from 'node:crypto';
import { PLATFORM_ORG_ID, recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';
import type { Services } from '../../services.ts';
import { tokenDigest, withIdentity } from '../organisations/identity.ts';
import * as repository from './marketing.repository.ts';
import { decryptContacts, SUPPRESSION_KIND, vaultOf } from './marketing.service.ts';
import type { MarketingPurpose } from './marketing.tables.ts';

// Sending marketing e-mail: who may be mailed for a purpose, and the message, which always carries the
// recipient's unsubscribe link. (Haven has no newsletter sender; these are what one would call.)

export interface MailableContact {
  contactId: string;
  name: string;
  email: string;
  /** The page that withdraws this purpose or all; its token works until the contact is gone. */
  unsubscribeUrl: string;
}

/**
 * Who may be e-mailed for a purpose now: an unwithdrawn consent and an address not suppressed. Each gets
 * a fresh unsubscribe link (a random token, stored as its SHA-256 only) for the message being sent.
 */
export async function mailableContacts(
  services: Services,
  purpose: MarketingPurpose,
  actor: Actor,
  requestId?: string,
): Promise<MailableContact[]> {
  return withIdentity(services, async (trx) => {
    const vault = vaultOf(services, trx);
    const contacts = await decryptContacts(vault, trx, await repository.contactsConsentingTo(trx, purpose));
    const mailable: MailableContact[] = [];
    for (const contact of contacts) {
      // A suppressed address has no contact row; checked again so a mailing can never reach one.
      if (await repository.isSuppressed(trx, await vault.digest(SUPPRESSION_KIND, contact.email))) {
        continue;
      }
      const token = randomBytes(32).toString('base64url');
      await repository.insertToken(trx, { tokenHash: tokenDigest(token), contactId: contact.id, purpose });
      mailable.push({
        contactId: contact.id,
        name: contact.name,
        email: contact.email,
        unsubscribeUrl: `${services.publicUrl}/unsubscribe#token=${token}`,
      });
    }
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor,
      action: 'marketing.mailing_list_built',
      subjectIds: mailable.map((contact) => contact.contactId),
      ...(requestId === undefined ? {} : { requestId }),
      details: { purpose, count: mailable.length },
    });
    return mailable;
  });
}

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A marketing e-mail to one mailable contact, always ending with their unsubscribe link. */
export function marketingMail(
  contact: MailableContact,
  subject: string,
  paragraphs: readonly string[],
): MailMessage {
  const footer = 'You get this e-mail because you asked to. To stop it, or everything from us, unsubscribe:';
  const text = [...paragraphs, `${footer} ${contact.unsubscribeUrl}`].join('\n\n');
  const html = [
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    `<p>${escapeHtml(footer)} <a href="${escapeHtml(contact.unsubscribeUrl)}">${escapeHtml(contact.unsubscribeUrl)}</a></p>`,
  ].join('\n');
  return { to: contact.email, subject, text: `${text}\n`, html };
}
