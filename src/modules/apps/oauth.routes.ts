import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSession, signedIn } from '../organisations/auth.hooks.ts';
import { describeMe } from '../organisations/auth.service.ts';
import { ApproveBody, ConsentDetails, InteractionParams, RedirectResponse } from './apps.schema.ts';
import {
  approvedScopes,
  mayApprove,
  recordApproval,
  recordRefusal,
  refuseNotApprover,
  requestedScopes,
} from './authorisations.service.ts';
import { OAUTH_PATH, type OAuthServer } from './oauth/provider.ts';
import { appByClientId } from './registry.service.ts';

const errors = errorResponses(400, 401, 403, 404);

/** The interaction in progress for this browser (oidc-provider checks its signed cookie). */
async function interactionOf(
  services: Services,
  server: OAuthServer,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  try {
    const interaction = await server.provider.interactionDetails(request.raw, reply.raw);
    const clientId = interaction.params.client_id;
    const app = typeof clientId === 'string' ? await appByClientId(services, clientId) : undefined;
    if (app === undefined) {
      throw new AppError(404, 'not_found', 'That app is not registered with Haven.');
    }
    const scope = typeof interaction.params.scope === 'string' ? interaction.params.scope : '';
    return { app, requested: requestedScopes(app, scope.split(' ').filter(Boolean)) };
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    throw new AppError(
      404,
      'interaction_not_found',
      'This request from the app has expired or was already answered. Start again from the app.',
    );
  }
}

/**
 * The OAuth server under /oauth (oidc-provider, a Koa app, handed the raw request), and the school's data
 * access request page's API: what the app asks for, approve, decline.
 */
export const oauthRoutes: FastifyPluginAsyncTypebox<{ services: Services; server: OAuthServer }> = async (
  app,
  { services, server },
) => {
  const callback = server.provider.callback();
  await app.register(async (mount) => {
    // oidc-provider reads its own request bodies (form-encoded, per the RFCs): Fastify leaves them alone.
    mount.removeAllContentTypeParsers();
    mount.addContentTypeParser('*', (_request, _payload, done) => done(null));
    mount.all('/oauth/*', { config: { access: 'public' }, schema: { hide: true } }, (request, reply) => {
      reply.hijack();
      const raw = request.raw;
      // Mounted below /oauth: the provider routes on the rest of the path and builds URLs from its issuer.
      Object.assign(raw, { originalUrl: raw.url });
      raw.url = (raw.url ?? '/').slice(OAUTH_PATH.length) || '/';
      // The protocol as Haven sees it (HAVEN_TRUST_PROXY decides), never as the client claims it.
      raw.headers['x-forwarded-proto'] = request.protocol;
      delete raw.headers['x-forwarded-for'];
      delete raw.headers['x-forwarded-host'];
      void callback(raw, reply.raw);
    });
  });

  const session = requireSession(services);

  app.get(
    '/oauth/interaction/:uid/details',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'What an app asks a school for (the data access request page)',
        tags: ['apps'],
        params: InteractionParams,
        response: { 200: ConsentDetails, ...errors },
      },
    },
    async (request, reply) => {
      const { app: registered, requested } = await interactionOf(services, server, request, reply);
      const me = await describeMe(services, signedIn(request));
      const schools = me.schools
        .filter((school) => school.permissions.includes('apps.approve'))
        .map(({ id, name }) => ({ id, name }));
      return {
        app: {
          name: registered.name,
          purpose: registered.purpose,
          privacyNoticeUrl: registered.privacyNoticeUrl,
        },
        scopes: requested,
        schools,
      };
    },
  );

  app.post(
    '/oauth/interaction/:uid/approve',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'Approve the app for a school, with the scopes ticked',
        tags: ['apps'],
        params: InteractionParams,
        body: ApproveBody,
        response: { 200: RedirectResponse, ...errors },
      },
    },
    async (request, reply) => {
      const who = signedIn(request);
      const { app: registered, requested } = await interactionOf(services, server, request, reply);
      if (!(await mayApprove(services, who, request.body.schoolId))) {
        throw refuseNotApprover();
      }
      const scopes = approvedScopes(requested, request.body.scopes);
      const grant = new server.provider.Grant({
        accountId: request.body.schoolId,
        clientId: registered.clientId,
      });
      grant.addResourceScope(server.resource, scopes.join(' '));
      // Optional scopes left unticked are declined, so the server does not ask the school about them again.
      const declined = requested.map((scope) => scope.scope).filter((scope) => !scopes.includes(scope));
      if (declined.length > 0) {
        grant.rejectResourceScope(server.resource, declined.join(' '));
      }
      const grantId = await grant.save();
      await recordApproval(services, {
        who,
        schoolId: request.body.schoolId,
        app: registered,
        scopes,
        grantId,
        requestId: request.id,
      });
      const redirectTo = await server.provider.interactionResult(request.raw, reply.raw, {
        login: { accountId: request.body.schoolId },
        consent: { grantId },
      });
      return { redirectTo };
    },
  );

  app.post(
    '/oauth/interaction/:uid/deny',
    {
      config: { access: 'session' },
      onRequest: session,
      schema: {
        summary: 'Decline the app: it receives nothing',
        tags: ['apps'],
        params: InteractionParams,
        body: ApproveBody,
        response: { 200: RedirectResponse, ...errors },
      },
    },
    async (request, reply) => {
      const who = signedIn(request);
      const { app: registered } = await interactionOf(services, server, request, reply);
      if (!(await mayApprove(services, who, request.body.schoolId))) {
        throw refuseNotApprover();
      }
      await recordRefusal(services, {
        who,
        schoolId: request.body.schoolId,
        app: registered,
        requestId: request.id,
      });
      const redirectTo = await server.provider.interactionResult(request.raw, reply.raw, {
        error: 'access_denied',
        error_description: 'The school did not approve this app.',
      });
      return { redirectTo };
    },
  );
};
