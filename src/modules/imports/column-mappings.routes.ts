import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { deleteMapping, listMappings, saveMapping } from './column-mappings.service.ts';
import { ColumnMapping, ColumnMappingBody, MappingParams, SchoolParams } from './imports.schema.ts';

const errors = errorResponses(400, 401, 403, 404);

/** The school's saved column mappings for its own file layouts. */
export const columnMappingRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const importers = requireSchoolPermission(services, 'imports.run');

  app.get(
    '/api/v1/schools/:schoolId/column-mappings',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary: 'The school’s saved column mappings for its own file layouts',
        tags: ['imports'],
        params: SchoolParams,
        response: { 200: Type.Array(ColumnMapping), ...errors },
      },
    },
    async (request) => listMappings(services, request.params.schoolId),
  );

  app.put(
    '/api/v1/schools/:schoolId/column-mappings/:name',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary: 'Save a column mapping under a name',
        tags: ['imports'],
        params: MappingParams,
        body: ColumnMappingBody,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await saveMapping(
        services,
        signedIn(request),
        request.params.schoolId,
        request.params.name,
        request.body,
        request.id,
      );
      return reply.status(204).send(null);
    },
  );

  app.delete(
    '/api/v1/schools/:schoolId/column-mappings/:name',
    {
      config: { access: 'school:imports.run' },
      onRequest: importers,
      schema: {
        summary: 'Delete a saved column mapping',
        tags: ['imports'],
        params: MappingParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      if (
        !(await deleteMapping(
          services,
          signedIn(request),
          request.params.schoolId,
          request.params.name,
          request.id,
        ))
      ) {
        throw notFound('That mapping');
      }
      return reply.status(204).send(null);
    },
  );
};
