import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/audit/audit-log.ts';
import { AppError, badRequest, errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { bufferSource } from '../imports/source.ts';
import { requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { CATEGORIES } from './categories.ts';
import {
  ConnectorPage,
  ConnectorView,
  ConnectorWithToken,
  SchoolParams,
  SetupBody,
  SyncOutcome,
  UploadHeaders,
} from './connectors.schema.ts';
import {
  connectorForToken,
  disconnect,
  getConnector,
  reconnect,
  setUpConnector,
} from './connectors.service.ts';
import { runSync } from './sync.service.ts';

const errors = errorResponses(400, 401, 403, 404, 409, 413);
const MANAGE = 'school:connectors.manage';
// An MIS export of a large secondary school with contacts is a few megabytes; this leaves room.
const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const actorOf = (request: FastifyRequest): Actor => ({ type: 'user', id: signedIn(request).userId });

declare module 'fastify' {
  interface FastifyRequest {
    /** The connector whose token authenticated the request (`access: 'connector'`). */
    connectorId: string | null;
  }
}

/** An onRequest hook for the agent's upload: the school's live connector token, as a bearer token. */
function requireConnectorToken(services: Services) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const params: unknown = request.params;
    const schoolId =
      typeof params === 'object' &&
      params !== null &&
      'schoolId' in params &&
      typeof params.schoolId === 'string'
        ? params.schoolId
        : '';
    // Another school's token, a revoked one and a made-up one are all simply not this school's token.
    const connectorId =
      token === '' || !UUID.test(schoolId) ? undefined : await connectorForToken(services, schoolId, token);
    if (connectorId === undefined) {
      throw new AppError(401, 'unauthenticated', 'Send this school’s connector token as a bearer token.');
    }
    request.connectorId = connectorId;
  };
}

/** The sync just recorded, as the status page shows it (null when nothing was recorded). */
async function syncView(services: Services, schoolId: string, syncId: string | null | undefined) {
  const connector = await getConnector(services, schoolId);
  return connector?.syncs.find((sync) => sync.id === syncId) ?? null;
}

/** A school's MIS connector: set up, status and history, sync now, remove, reconnect; the agent's uploads. */
export const connectorRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const managers = requireSchoolPermission(services, 'connectors.manage');
  app.decorateRequest('connectorId', null);
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/v1/schools/:schoolId/connector',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary: 'The school’s MIS connector with its recent syncs, and the data categories it can sync',
        tags: ['connectors'],
        params: SchoolParams,
        response: { 200: ConnectorPage, ...errors },
      },
    },
    async (request) => ({
      connector: (await getConnector(services, request.params.schoolId)) ?? null,
      categories: CATEGORIES.map(({ id, title, why, required, default: chosen }) => ({
        id,
        title,
        why,
        required,
        default: chosen,
      })),
    }),
  );

  app.post(
    '/api/v1/schools/:schoolId/connector',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary:
          'Set up the connector: its type, the data categories to sync and the schedule; returns its token once',
        tags: ['connectors'],
        params: SchoolParams,
        body: SetupBody,
        response: { 201: ConnectorWithToken, ...errors },
      },
    },
    async (request, reply) => {
      const created = await setUpConnector(
        services,
        request.params.schoolId,
        request.body,
        actorOf(request),
        request.id,
      );
      return reply.status(201).send(created);
    },
  );

  app.post(
    '/api/v1/schools/:schoolId/connector/sync',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary: 'Sync now (a OneRoster connector pulls a full extract)',
        tags: ['connectors'],
        params: SchoolParams,
        response: { 200: SyncOutcome, ...errors },
      },
    },
    async (request) => {
      const result = await runSync(services, request.params.schoolId, {
        trigger: 'manual',
        actor: actorOf(request),
        requestId: request.id,
      });
      return { sync: await syncView(services, request.params.schoolId, result?.id) };
    },
  );

  app.post(
    '/api/v1/schools/:schoolId/connector/disconnect',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary:
          'Remove the connector: syncs stop, its token is revoked, and its pupils are deleted after 5 working days',
        tags: ['connectors'],
        params: SchoolParams,
        response: { 200: ConnectorView, ...errors },
      },
    },
    async (request) => disconnect(services, request.params.schoolId, actorOf(request), request.id),
  );

  app.post(
    '/api/v1/schools/:schoolId/connector/reconnect',
    {
      config: { access: MANAGE },
      onRequest: managers,
      schema: {
        summary:
          'Reconnect a removed connector before its deletion day (the deletion is cancelled); a new token',
        tags: ['connectors'],
        params: SchoolParams,
        response: { 200: ConnectorWithToken, ...errors },
      },
    },
    async (request) => reconnect(services, request.params.schoolId, actorOf(request), request.id),
  );

  app.post(
    '/api/v1/schools/:schoolId/connector/uploads',
    {
      config: { access: 'connector' },
      onRequest: requireConnectorToken(services),
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        summary:
          'An on-premise agent uploads the MIS’s export (CSV, XLSX, CTF or OneRoster zip) as application/octet-stream; it is synced at once',
        tags: ['connectors'],
        params: SchoolParams,
        headers: UploadHeaders,
        security: [{ connectorToken: [] }],
        consumes: ['application/octet-stream'],
        response: { 200: SyncOutcome, ...errors },
      },
    },
    async (request) => {
      const body: unknown = request.body;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw badRequest('Send the export as the request body (Content-Type: application/octet-stream).', [
          { field: 'body', message: 'is empty' },
        ]);
      }
      const name = request.headers['x-file-name'] ?? 'export.csv';
      const result = await runSync(services, request.params.schoolId, {
        trigger: 'upload',
        actor: { type: 'system', id: `connector:${request.connectorId ?? ''}` },
        requestId: request.id,
        upload: bufferSource(name, body),
      });
      return { sync: await syncView(services, request.params.schoolId, result?.id) };
    },
  );
};
