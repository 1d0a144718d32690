import { randomUUID } from 'node:crypto';
import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { badRequest, conflict, notFound } from '../../platform/http/errors.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';
import type { Services } from '../../services.ts';
import { invitationMail } from '../organisations/account-mail.ts';
import { normaliseEmail, withIdentity, type SignedIn } from '../organisations/identity.ts';
import { createUser } from '../organisations/users.service.ts';
import * as repository from './apps.repository.ts';
import * as developers from './developers.repository.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SETUP_LINK_DAYS = 7;

export interface DeveloperApplication {
  id: string;
  email: string;
  organisation: string;
  reason: string;
  status: string;
  createdAt: string;
  decidedAt: string | null;
}

/**
 * Someone asks to build apps for Haven's schools. Stored until the platform operator decides; the
 * address is personal data, encrypted under the platform's keys. Answers the same whoever asks.
 */
export async function applyAsDeveloper(
  services: Services,
  input: { email: string; organisation: string; reason: string },
  requestId: string,
): Promise<void> {
  const email = normaliseEmail(input.email);
  const fields = [];
  if (!EMAIL.test(email) || email.length > 254) {
    fields.push({ field: 'email', message: 'is not an e-mail address' });
  }
  if (input.organisation.trim() === '') {
    fields.push({ field: 'organisation', message: 'is required' });
  }
  if (input.reason.trim().length < 10) {
    fields.push({ field: 'reason', message: 'must say in a sentence what you want to build' });
  }
  if (fields.length > 0) {
    throw badRequest('The application could not be sent: some fields need changing.', fields);
  }
  await withIdentity(services, async (trx) => {
    await services.keyring.createSchoolKeys(trx, PLATFORM_ORG_ID);
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    const id = randomUUID();
    await developers.insertApplication(trx, {
      id,
      email: await vault.encrypt(id, { table: 'developer_applications', column: 'email', rowId: id }, email),
      organisation: input.organisation.trim(),
      reason: input.reason.trim(),
    });
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'system', id: 'public' },
      action: 'developers.applied',
      target: `developer_application:${id}`,
      requestId,
    });
  });
}

export async function developerApplications(services: Services): Promise<DeveloperApplication[]> {
  return withIdentity(services, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, PLATFORM_ORG_ID);
    const rows = await developers.listApplications(trx);
    return Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        email: await vault.decrypt(
          { table: 'developer_applications', column: 'email', rowId: row.id },
          row.email,
        ),
        organisation: row.organisation,
        reason: row.reason,
        status: row.status,
        createdAt: row.created_at.toISOString(),
        decidedAt: row.decided_at?.toISOString() ?? null,
      })),
    );
  });
}

function refusalMail(to: string): MailMessage {
  const text =
    'Thank you for asking to build apps for schools on Haven. We are not able to approve your request at the moment.';
  return { to, subject: 'Your Haven developer application', text: `${text}\n`, html: `<p>${text}</p>` };
}

/**
 * The operator's decision. Approval gives the applicant the app developer role (a new account gets an
 * e-mailed set-up link); refusal tells them. Either way the application is closed.
 */
export async function decideApplication(
  services: Services,
  who: SignedIn,
  applicationId: string,
  approve: boolean,
  requestId: string,
): Promise<void> {
  const application = (await developerApplications(services)).find((entry) => entry.id === applicationId);
  if (application === undefined) {
    throw notFound('That application');
  }
  if (application.status !== 'pending') {
    throw conflict('That application has already been decided.');
  }
  if (approve) {
    const created = await createUser(
      services,
      { email: application.email, role: 'app_developer', orgId: PLATFORM_ORG_ID },
      { type: 'user', id: who.userId },
    );
    if (created.setupLink !== undefined) {
      services.mailer.queue(
        invitationMail(created.email, created.setupLink, 'Haven (app developers)', SETUP_LINK_DAYS),
      );
    }
  } else {
    services.mailer.queue(refusalMail(application.email));
  }
  await withIdentity(services, async (trx) => {
    await developers.decide(trx, applicationId, approve ? 'approved' : 'refused', who.userId);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: approve ? 'developers.approved' : 'developers.refused',
      target: `developer_application:${applicationId}`,
      requestId,
    });
  });
}

/** The operator's view of every app, and the switch that stops one at once. */
export async function allApps(services: Services) {
  return withIdentity(services, async (trx) => {
    const apps = await repository.allApps(trx);
    return apps.map((app) => ({
      id: app.id,
      name: app.name,
      clientId: app.client_id,
      status: app.status,
      developerId: app.developer_id,
      createdAt: app.created_at.toISOString(),
    }));
  });
}

export async function setAppStatus(
  services: Services,
  who: SignedIn,
  appId: string,
  status: 'active' | 'disabled',
  requestId: string,
): Promise<void> {
  await withIdentity(services, async (trx) => {
    if ((await repository.findApp(trx, appId)) === undefined) {
      throw notFound('That app');
    }
    await repository.setAppStatus(trx, appId, status);
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: status === 'disabled' ? 'apps.disabled' : 'apps.enabled',
      target: `app:${appId}`,
      requestId,
    });
  });
}
