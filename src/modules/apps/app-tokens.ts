import type { FastifyReply, FastifyRequest } from 'fastify';
import { useAuthorisation } from './authorisations.service.ts';
import type { OAuthServer } from './oauth/provider.ts';
import type { Services } from '../../services.ts';

/** What a valid app token lets a request do: one school, these scopes, on behalf of this app. */
export interface AppAccess {
  schoolId: string;
  clientId: string;
  authorisationId: string;
  scopes: ReadonlySet<string>;
}

declare module 'fastify' {
  interface FastifyRequest {
    appAccess: AppAccess | null;
  }
}

/** App API errors, as the app model has them: `{"error": code, "message": text}` (RFC 6750 codes). */
export class AppApiError extends Error {
  override name = 'AppApiError';
  readonly status: number;
  readonly code: 'invalid_request' | 'invalid_token' | 'insufficient_scope' | 'not_found' | 'rate_limited';

  constructor(status: number, code: AppApiError['code'], message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const invalidToken = () =>
  new AppApiError(401, 'invalid_token', 'The access token is missing, expired or revoked. Get a new one.');

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(header ?? '');
  return match?.[1];
}

/**
 * Checks an app's bearer token on every request: issued by Haven's OAuth server for the app data API,
 * unexpired, its grant still approved by the school (a revoked grant fails on the very next request), and
 * counts the request for the school's view of the app's usage.
 */
export function requireAppToken(services: Services, server: OAuthServer) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const value = bearerOf(request);
    if (value === undefined) {
      throw invalidToken();
    }
    const token = await server.provider.AccessToken.find(value);
    if (token === undefined) {
      const appToken = await server.provider.ClientCredentials.find(value);
      if (appToken !== undefined && !appToken.isExpired) {
        // A client-credentials token speaks for the app, not for any school.
        throw new AppApiError(
          403,
          'insufficient_scope',
          'This token is the app’s own: school data needs a token a school approved.',
        );
      }
      throw invalidToken();
    }
    if (token.isExpired || token.aud !== server.resource) {
      throw invalidToken();
    }
    // A disabled app is no client at all (see the registry): its tokens stop at once.
    if (token.clientId === undefined || (await server.provider.Client.find(token.clientId)) === undefined) {
      throw invalidToken();
    }
    const schoolId = token.accountId;
    const grantId = token.grantId;
    if (schoolId === '' || grantId === '') {
      throw invalidToken();
    }
    const authorisation = await useAuthorisation(services, schoolId, grantId);
    if (authorisation === undefined) {
      throw invalidToken();
    }
    const granted = new Set(authorisation.scopes);
    const scopes = new Set((token.scope ?? '').split(' ').filter((scope) => granted.has(scope)));
    request.appAccess = {
      schoolId,
      clientId: token.clientId ?? '',
      authorisationId: authorisation.id,
      scopes,
    };
  };
}

export function appAccessOf(request: FastifyRequest): AppAccess {
  if (request.appAccess === null) {
    throw invalidToken();
  }
  return request.appAccess;
}

/** Refuses unless the school granted `scope` to the app. */
export function needScope(access: AppAccess, scope: string): void {
  if (!access.scopes.has(scope)) {
    throw new AppApiError(
      403,
      'insufficient_scope',
      `This needs the ${scope} scope, which the school has not granted.`,
    );
  }
}
