import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthSettings } from '../../platform/config.ts';
import { AppError } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { authenticate, type SignedIn } from './auth.service.ts';

export const SESSION_COOKIE = 'haven_session';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in user, set by `requireSession`. */
    signedIn: SignedIn | null;
  }
}

/** A preHandler for routes with `access: 'session'`: 401 unless the session cookie is valid. */
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
