import type { FastifyReply, FastifyRequest } from 'fastify';
import { PLATFORM_ORG_ID } from '../../platform/audit/audit-log.ts';
import { KnownTokens, sessionStillBinds, type KnownToken } from './app-token-cache.ts';
import { useAuthorisation } from './authorisations.service.ts';
import * as artifacts from './oauth/artifacts.repository.ts';
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

/** The token as oidc-provider finds and validates it (first use of a token): its immutable facts. */
async function findToken(server: OAuthServer, value: string): Promise<KnownToken> {
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
  const schoolId = token.accountId ?? '';
  const grantId = token.grantId ?? '';
  if (schoolId === '' || grantId === '') {
    throw invalidToken();
  }
  return {
    clientId: token.clientId,
    schoolId,
    grantId,
    scope: token.scope ?? '',
    sessionUid: token.expiresWithSession === true ? token.sessionUid : undefined,
    expiresAt: (token.exp ?? 0) * 1000,
  };
}

/**
 * A token seen before: what could have changed since is asked of the database (one query): the token is
 * still stored (revocation deletes it), its session still binds it, its app is still active.
 */
async function stillLive(services: Services, value: string, known: KnownToken): Promise<boolean> {
  const live = await services.db.withSchool(PLATFORM_ORG_ID, (trx) =>
    artifacts.tokenLiveness(trx, { tokenId: value, sessionUid: known.sessionUid, clientId: known.clientId }),
  );
  return (
    live.token && live.appActive && (known.sessionUid === undefined || sessionStillBinds(live.session, known))
  );
}

/**
 * Checks an app's bearer token on every request: issued by Haven's OAuth server for the app data API,
 * unexpired, not revoked, its app active and its grant still approved by the school (a revoked grant fails
 * on the very next request), and counts the request for the school's view of the app's usage. Only the
 * token's immutable facts are remembered between requests (see KnownTokens); everything that can change
 * is read again each time.
 */
export function requireAppToken(services: Services, server: OAuthServer) {
  const known = new KnownTokens();
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const value = bearerOf(request);
    if (value === undefined) {
      throw invalidToken();
    }
    const digest = KnownTokens.digest(value);
    let token = known.get(digest);
    if (token === undefined) {
      token = await findToken(server, value);
      known.set(digest, token);
    } else if (!(await stillLive(services, value, token))) {
      known.delete(digest);
      throw invalidToken();
    }
    const authorisation = await useAuthorisation(services, token.schoolId, token.grantId);
    if (authorisation === undefined) {
      known.delete(digest);
      throw invalidToken();
    }
    const granted = new Set(authorisation.scopes);
    request.appAccess = {
      schoolId: token.schoolId,
      clientId: token.clientId,
      authorisationId: authorisation.id,
      scopes: new Set(token.scope.split(' ').filter((scope) => granted.has(scope))),
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
