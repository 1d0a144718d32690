import { PLATFORM_ORG_ID, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { AppError, badRequest, notFound } from '../../platform/http/errors.ts';
import type { MailMessage } from '../../platform/mail/mailer.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { organisationKind } from '../organisations/organisations.service.ts';
import { can } from '../organisations/roles.policy.ts';
import { schoolAdminAddresses } from '../organisations/staff.service.ts';
import * as authorisations from './authorisations.repository.ts';
import * as artifacts from './oauth/artifacts.repository.ts';
import { appsById, type RegisteredApp } from './registry.service.ts';
import { describeScope, withImplied, type ScopeDescription } from './scopes.ts';

export interface RequestedScopeView extends ScopeDescription {
  required: boolean;
  reason: string;
}

/** The scopes an app asks a school for, in words, required ones first (from its registry entry). */
export function requestedScopes(app: RegisteredApp, asked: readonly string[]): RequestedScopeView[] {
  const askedSet = new Set(withImplied(asked));
  return app.scopes
    .filter((scope) => askedSet.has(scope.scope))
    .map((scope) => ({ ...describeScope(scope.scope), required: scope.required, reason: scope.reason }))
    .toSorted((a, b) => Number(b.required) - Number(a.required));
}

export async function mayApprove(services: Services, who: SignedIn, schoolId: string): Promise<boolean> {
  return (
    can(who.actor, 'apps.approve', { id: schoolId, kind: 'school' }) &&
    (await organisationKind(services, schoolId)) === 'school'
  );
}

/**
 * Checks a school admin's decision against what the app asked: every required scope must be approved
 * (or the whole request declined); nothing beyond the request can be granted. Returns the scopes as
 * granted (with students.basic when any pupil attribute is).
 */
export function approvedScopes(
  requested: readonly RequestedScopeView[],
  chosen: readonly string[],
): string[] {
  const offered = new Set(requested.map((scope) => scope.scope));
  const extra = chosen.filter((scope) => !offered.has(scope));
  if (extra.length > 0) {
    throw badRequest('Only scopes the app asked for can be approved.', [
      { field: 'scopes', message: `${extra.join(', ')} was not asked for` },
    ]);
  }
  const missing = requested.filter((scope) => scope.required && !chosen.includes(scope.scope));
  if (missing.length > 0) {
    throw badRequest(
      'The app cannot work without its required scopes: approve them, or decline the request.',
      [
        {
          field: 'scopes',
          message: `${missing.map((scope) => scope.scope).join(', ')} is required by the app`,
        },
      ],
    );
  }
  return withImplied(chosen);
}

function notice(to: string, subject: string, text: string): MailMessage {
  const escaped = text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return { to, subject, text: `${text}\n`, html: `<p>${escaped}</p>` };
}

/** Every approval, refusal and revocation is told to all the school's administrators. */
async function tellAdmins(
  services: Services,
  schoolId: string,
  subject: string,
  text: string,
): Promise<void> {
  for (const address of await schoolAdminAddresses(services, schoolId)) {
    services.mailer.queue(notice(address, subject, text));
  }
}

/** Ends an authorisation: the grant and every code and token of it are deleted at once. */
async function endGrant(services: Services, grantId: string): Promise<void> {
  await services.db.withSchool(PLATFORM_ORG_ID, (trx) => artifacts.destroyGrant(trx, grantId));
}

/**
 * Records a school's approval (the grant already made in the OAuth server). An earlier authorisation of the
 * same app by the school is replaced: its tokens stop working, the new scopes apply from now.
 */
export async function recordApproval(
  services: Services,
  input: {
    who: SignedIn;
    schoolId: string;
    app: RegisteredApp;
    scopes: string[];
    grantId: string;
    requestId: string;
  },
): Promise<void> {
  const previous = await services.db.withSchool(input.schoolId, async (trx) => {
    const earlier = await authorisations.findActiveForApp(trx, input.schoolId, input.app.id);
    for (const row of earlier) {
      await authorisations.markRevoked(trx, row.id, 'superseded');
    }
    const row = await authorisations.insertAuthorisation(trx, {
      schoolId: input.schoolId,
      appId: input.app.id,
      scopes: input.scopes,
      grantId: input.grantId,
      approvedBy: input.who.userId,
    });
    await recordAudit(trx, {
      orgId: input.schoolId,
      actor: { type: 'user', id: input.who.userId },
      action: 'apps.approved',
      target: `app:${input.app.id}`,
      requestId: input.requestId,
      details: { authorisation: row.id, scopes: input.scopes.join(' ') },
    });
    return earlier;
  });
  for (const row of previous) {
    await endGrant(services, row.grant_id);
  }
  await tellAdmins(
    services,
    input.schoolId,
    `Haven: ${input.app.name} was approved`,
    `${input.app.name} may now read these parts of your school's data in Haven: ${input.scopes.join(', ')}. Any school administrator can withdraw this at any time from Haven's Apps page.`,
  );
}

export async function recordRefusal(
  services: Services,
  input: { who: SignedIn; schoolId: string; app: RegisteredApp; requestId: string },
): Promise<void> {
  await services.db.withSchool(input.schoolId, (trx) =>
    recordAudit(trx, {
      orgId: input.schoolId,
      actor: { type: 'user', id: input.who.userId },
      action: 'apps.refused',
      target: `app:${input.app.id}`,
      requestId: input.requestId,
    }),
  );
  await tellAdmins(
    services,
    input.schoolId,
    `Haven: ${input.app.name} was declined`,
    `A request from ${input.app.name} to read your school's data in Haven was declined. The app received nothing.`,
  );
}

export interface AuthorisationView {
  id: string;
  app: { id: string; name: string; purpose: string; privacyNoticeUrl: string; status: string };
  scopes: ScopeDescription[];
  approvedAt: string;
  approvedBy: string;
  lastAccessAt: string | null;
  requestCount: number;
}

/** The school's apps page: every app it authorised, with what it may read and how much it has. */
export async function schoolAuthorisations(
  services: Services,
  schoolId: string,
): Promise<AuthorisationView[]> {
  const rows = await services.db.withSchool(schoolId, (trx) =>
    authorisations.activeAuthorisations(trx, schoolId),
  );
  const apps = await appsById(
    services,
    rows.map((row) => row.app_id),
  );
  return rows.flatMap((row) => {
    const app = apps.get(row.app_id);
    return app === undefined
      ? []
      : [
          {
            id: row.id,
            app: {
              id: app.id,
              name: app.name,
              purpose: app.purpose,
              privacyNoticeUrl: app.privacyNoticeUrl,
              status: app.status,
            },
            scopes: row.scopes.map(describeScope),
            approvedAt: row.approved_at.toISOString(),
            approvedBy: row.approved_by,
            lastAccessAt: row.last_access_at?.toISOString() ?? null,
            requestCount: Number(row.request_count),
          },
        ];
  });
}

/**
 * Withdraws an app's access to a school, at once: the next request with any of its tokens is refused.
 * `by` is the school admin, or the app itself (deauthorising).
 */
export async function revokeAuthorisation(
  services: Services,
  input: {
    schoolId: string;
    authorisationId: string;
    by: { type: 'user' | 'app'; id: string };
    requestId: string;
  },
): Promise<void> {
  const row = await services.db.withSchool(input.schoolId, async (trx) => {
    const found = (await authorisations.activeAuthorisations(trx, input.schoolId)).find(
      (entry) => entry.id === input.authorisationId,
    );
    if (found === undefined) {
      return undefined;
    }
    await authorisations.markRevoked(trx, found.id, `${input.by.type}:${input.by.id}`);
    await recordAudit(trx, {
      orgId: input.schoolId,
      actor: input.by.type === 'user' ? { type: 'user', id: input.by.id } : { type: 'app', id: input.by.id },
      action: 'apps.revoked',
      target: `app:${found.app_id}`,
      requestId: input.requestId,
      details: { authorisation: found.id },
    });
    return found;
  });
  if (row === undefined) {
    throw notFound('That app authorisation');
  }
  await endGrant(services, row.grant_id);
  const app = (await appsById(services, [row.app_id])).get(row.app_id);
  await tellAdmins(
    services,
    input.schoolId,
    `Haven: ${app?.name ?? 'an app'} no longer has access`,
    `${app?.name ?? 'An app'}'s access to your school's data in Haven was withdrawn${input.by.type === 'app' ? ' by the app itself' : ''}. Its tokens no longer work.`,
  );
}

/**
 * Withdraws every app's access to a school at once (the school is leaving, or its data is being
 * deleted): the authorisations are marked revoked and every grant's tokens deleted.
 */
export async function revokeAllForSchool(services: Services, schoolId: string, by: string): Promise<number> {
  const ended = await services.db.withSchool(schoolId, async (trx) => {
    const active = await authorisations.activeAuthorisations(trx, schoolId);
    for (const row of active) {
      await authorisations.markRevoked(trx, row.id, `system:${by}`);
      await recordAudit(trx, {
        orgId: schoolId,
        actor: SYSTEM_ACTOR,
        action: 'apps.revoked',
        target: `app:${row.app_id}`,
        details: { authorisation: row.id, reason: by },
      });
    }
    return active;
  });
  for (const row of ended) {
    await endGrant(services, row.grant_id);
  }
  return ended.length;
}

/**
 * The authorisation behind an access token's grant, if it is still in force, counting the request for the
 * school's view of the app's use (one statement: this runs on every app request).
 */
export async function useAuthorisation(
  services: Services,
  schoolId: string,
  grantId: string,
): Promise<authorisations.AuthorisationInUse | undefined> {
  return services.db.withSchool(schoolId, (trx) => authorisations.useActiveByGrant(trx, grantId));
}

export function refuseNotApprover(): AppError {
  return new AppError(403, 'forbidden', 'Only a school administrator can approve apps for the school.');
}
