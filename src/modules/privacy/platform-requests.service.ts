import { notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { organisationKind } from '../organisations/organisations.service.ts';
import { schoolStaffHolding } from '../organisations/staff.service.ts';
import { privacyMail } from './privacy-mail.ts';
import type { NewRequest } from './requests.schema.ts';
import { createRequest } from './requests.service.ts';

/**
 * Enters a request received by the platform in the school's register (received_via 'platform', no
 * pupil linked: the operator cannot see pupils) and tells the school's request handlers by e-mail.
 */
export async function routeToSchool(
  services: Services,
  who: SignedIn,
  input: Omit<NewRequest, 'subjectId' | 'identityStatus' | 'assigneeId'> & { schoolId: string },
  httpRequestId: string,
): Promise<{ reference: string; schoolId: string }> {
  if ((await organisationKind(services, input.schoolId)) !== 'school') {
    throw notFound('That school');
  }
  const { schoolId, ...request } = input;
  const created = await createRequest(services, who, schoolId, request, httpRequestId, 'platform');
  const link = `${services.publicUrl}/schools/${schoolId}/privacy/requests/${created.id}`;
  for (const person of await schoolStaffHolding(services, schoolId, 'privacy.manage')) {
    services.mailer.queue(
      privacyMail(person.email, `A data protection request for your school: ${created.reference}`, [
        `Haven received a data protection request about your school’s data and has added it to your register as ${created.reference}. As the controller, your school decides and answers it; the legal clock started on ${input.receivedOn}.`,
        `Open it, identify the pupil and check the requester’s identity: ${link}`,
      ]),
    );
  }
  return { reference: created.reference, schoolId };
}
