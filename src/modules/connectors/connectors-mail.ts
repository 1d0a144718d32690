import type { Services } from '../../services.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { schoolStaffHolding } from '../organisations/staff.service.ts';
import { privacyMail } from '../privacy/privacy-mail.ts';

// Notices about a school's connector go to everyone who manages it (data managers and school admins).
// They say what happened and where to look, never a pupil's name or a value from the export.

async function mailManagers(
  services: Services,
  schoolId: string,
  subject: string,
  paragraphs: readonly string[],
): Promise<void> {
  for (const holder of await schoolStaffHolding(services, schoolId, 'connectors.manage')) {
    services.mailer.queue(privacyMail(holder.email, subject, paragraphs));
  }
}

const statusPage = (services: Services, schoolId: string) =>
  `${services.publicUrl}/schools/${schoolId}/connector`;

/** A sync was refused (the export has errors) or failed (the source could not be read). */
export async function alertSyncProblem(
  services: Services,
  schoolId: string,
  status: 'refused' | 'failed' | 'succeeded' | 'unchanged',
  message: string,
): Promise<void> {
  const school = await getSchool(services, schoolId);
  await mailManagers(
    services,
    schoolId,
    status === 'refused'
      ? `${school.name}: the MIS export was refused`
      : `${school.name}: the MIS sync failed`,
    [
      message,
      'Haven kept the data from the last good sync: nothing was half-applied.',
      `The errors, by row and column, are on the connector page: ${statusPage(services, schoolId)}`,
    ],
  );
}

/** No new data has arrived for a while. */
export async function alertStale(services: Services, schoolId: string, days: number): Promise<void> {
  const school = await getSchool(services, schoolId);
  await mailManagers(services, schoolId, `${school.name}: no MIS data for ${days} days`, [
    `Haven has not received an export from ${school.name}'s MIS for ${days} days, so pupils and classes may be out of date.`,
    `Check that the MIS's scheduled export (or the OneRoster connection) still runs: ${statusPage(services, schoolId)}`,
  ]);
}

/** The connector was removed: when its data goes, and how to keep it. */
export async function noticeDisconnected(
  services: Services,
  schoolId: string,
  deletionDueOn: string,
): Promise<void> {
  const school = await getSchool(services, schoolId);
  await mailManagers(services, schoolId, `${school.name}: MIS connector removed`, [
    `The MIS connector of ${school.name} was removed. Syncs have stopped and the connector token no longer works.`,
    `The pupils it synced will be deleted on ${deletionDueOn}. Reconnect before then to keep them: ${statusPage(services, schoolId)}`,
  ]);
}
