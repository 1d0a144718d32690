import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthSettings } from '../../platform/config.ts';
import { PLATFORM_ORG_ID, recordAudit } from '../../platform/audit/audit-log.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { authenticate } from './auth.service.ts';
import { organisationKind, schoolRequiresTwoFactor } from './organisations.service.ts';
import { can, supportGrantUsed, type Permission } from './roles.policy.ts';
import { withIdentity, type SignedIn } from './identity.ts';

export const SESSION_COOKIE = 'haven_session';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, set by `requireSession`. */
    signedIn: SignedIn | null;
  }
}

/** An onRequest hook for routes with `access: 'session'`: 401 unless the session cookie is valid. */
export function requireSession(services: Services) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const token = request.cookies[SESSION_COOKIE];
    const who = token === undefined || token === '' ? undefined : await authenticate(services, token);
    if (who === undefined) {
      if (token !== undefined) {
        void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
      throw new AppError(401, 'unauthenticated', 'Please sign in. Your session may have ended.');
    }
    request.signedIn = who;
  };
}

/**
 * An onRequest hook for school routes (`/api/v1/schools/:schoolId/...`): the signed-in user must hold a role
 * reaching that school. No role there at all → 404, as if the school did not exist (never confirm
 * another school's ids); a role there without the permission → 403.
 */
export function requireSchoolPermission(services: Services, permission: Permission) {
  const session = requireSession(services);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await session(request, reply);
    const who = signedIn(request);
    // Runs before schema validation (so an anonymous caller learns nothing, not even about the body):
    // a malformed id is simply a school that does not exist.
    const schoolId = schoolIdOf(request);
    if (!UUID.test(schoolId)) {
      throw notFound('That school');
    }
    const reaches = who.actor.memberships.some(
      (membership) => membership.orgId === schoolId || (membership.schoolIds ?? []).includes(schoolId),
    );
    if (!reaches) {
      await recordDenied(services, who, request, permission, 'outside_school');
      throw notFound('That school');
    }
    // The id may be one the user reaches but that is no school (their own trust, say): school routes and
    // their tenant context are for schools only, so it is answered as a school that does not exist.
    if ((await organisationKind(services, schoolId)) !== 'school') {
      await recordDenied(services, who, request, permission, 'not_a_school');
      throw notFound('That school');
    }
    const school = { id: schoolId, kind: 'school' as const };
    if (!can(who.actor, permission, school)) {
      await recordDenied(services, who, request, permission, 'missing_permission');
      throw new AppError(403, 'forbidden', 'Your role in this school does not allow that.');
    }
    if (!who.twoFactor && (await schoolRequiresTwoFactor(services, school.id))) {
      throw new AppError(
        403,
        'two_factor_required',
        'This school requires two-factor sign-in. Turn it on for your account first.',
      );
    }
    const grant = supportGrantUsed(who.actor, permission, school);
    if (grant !== undefined) {
      // Support access: every request under a school's grant is in the school's log as it happens.
      await services.db.withSchool(schoolId, (trx) =>
        recordAudit(trx, {
          orgId: schoolId,
          actor: { type: 'user', id: who.userId },
          action: 'support.request',
          target: `support_grant:${grant}`,
          requestId: request.id,
          details: { method: request.method, route: request.routeOptions.url ?? '' },
        }),
      );
    }
  };
}

/**
 * An onRequest hook for a virtual school's routes (`/api/v1/authorities/:authorityId/...`, `access:
 * 'authority:<permission>'`): the signed-in user must hold a role in that local authority. No role there
 * → 404, as for schools (never confirm another authority's ids); a role without the permission → 403.
 */
export function requireAuthorityPermission(services: Services, permission: Permission) {
  const session = requireSession(services);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await session(request, reply);
    const who = signedIn(request);
    const authorityId = paramOf(request, 'authorityId');
    if (!UUID.test(authorityId)) {
      throw notFound('That virtual school');
    }
    const target = `local_authority:${authorityId}`;
    if (!who.actor.memberships.some((membership) => membership.orgId === authorityId)) {
      await recordDenied(services, who, request, permission, 'outside_authority', target);
      throw notFound('That virtual school');
    }
    if ((await organisationKind(services, authorityId)) !== 'local_authority') {
      await recordDenied(services, who, request, permission, 'not_an_authority', target);
      throw notFound('That virtual school');
    }
    if (!can(who.actor, permission, { id: authorityId, kind: 'local_authority' })) {
      await recordDenied(services, who, request, permission, 'missing_permission', target);
      throw new AppError(403, 'forbidden', 'Your role in this virtual school does not allow that.');
    }
  };
}

/**
 * An onRequest hook for platform routes (`/api/v1/platform/...`, `access: 'platform:<permission>'`): the
 * signed-in user must hold the permission in the platform organisation (the operator); anyone else → 403.
 * Platform work never reaches into school data: these routes see organisations and keys, not pupils.
 */
export function requirePlatformPermission(services: Services, permission: Permission) {
  const session = requireSession(services);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await session(request, reply);
    const who = signedIn(request);
    if (!can(who.actor, permission, { id: PLATFORM_ORG_ID, kind: 'platform' })) {
      await recordDenied(services, who, request, permission, 'not_platform_operator');
      throw new AppError(403, 'forbidden', 'Only the platform operator may do that.');
    }
  };
}

/**
 * Refused attempts go into the platform's chain (not the school's: an outsider must not be able to write
 * into a school's history just by guessing its id), naming the user, the school and what was wanted.
 */
function schoolIdOf(request: FastifyRequest): string {
  return paramOf(request, 'schoolId');
}

/** A path parameter as a string ('' when absent): for hooks that run before schema validation. */
export function paramOf(request: FastifyRequest, name: string): string {
  const params: unknown = request.params;
  if (typeof params !== 'object' || params === null) {
    return '';
  }
  const value: unknown = Reflect.get(params, name);
  return typeof value === 'string' ? value : '';
}

async function recordDenied(
  services: Services,
  who: SignedIn,
  request: FastifyRequest,
  permission: Permission,
  reason: string,
  target = `school:${schoolIdOf(request)}`,
): Promise<void> {
  await withIdentity(services, (trx) =>
    recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: { type: 'user', id: who.userId },
      action: 'auth.access_denied',
      outcome: 'denied',
      target,
      requestId: request.id,
      details: { permission, reason, route: request.routeOptions.url ?? '' },
    }),
  );
}

/** The signed-in user of a route behind `requireSession`. */
export function signedIn(request: FastifyRequest): SignedIn {
  if (request.signedIn === null) {
    throw new AppError(401, 'unauthenticated', 'Please sign in.');
  }
  return request.signedIn;
}

export function sessionCookieOptions(settings: AuthSettings, expires: Date) {
  return { path: '/', httpOnly: true, secure: settings.cookieSecure, sameSite: 'strict' as const, expires };
}
