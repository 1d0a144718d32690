import type { Services } from '../../services.ts';
import { schoolAdminAddresses } from '../organisations/staff.service.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';

const escape = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** A notice about the requests register. Never a name or an address of the subject: references only. */
export function privacyMail(to: string, subject: string, paragraphs: readonly string[]): MailMessage {
  return {
    to,
    subject,
    text: `${paragraphs.join('\n\n')}\n\n— Haven\n`,
    html: `${paragraphs.map((paragraph) => `<p>${escape(paragraph)}</p>`).join('')}<p>— Haven</p>`,
  };
}

/** Sends one notice to every active administrator of a school (by reference: never a pupil's name). */
export async function mailSchoolAdmins(
  services: Services,
  schoolId: string,
  subject: string,
  paragraphs: readonly string[],
): Promise<void> {
  for (const address of await schoolAdminAddresses(services, schoolId)) {
    services.mailer.queue(privacyMail(address, subject, paragraphs));
  }
}
