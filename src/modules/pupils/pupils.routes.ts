import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { readPupil } from './pupil-details.service.ts';
import { listPupils, searchPupils } from './pupil-search.service.ts';
import {
  ListQuery,
  ListResponse,
  PupilParams,
  PupilResponse,
  SchoolParams,
  SearchBody,
  SearchResponse,
} from './pupils.schema.ts';

const errors = errorResponses(400, 401, 403, 404);

/**
 * Pupil search, browsing and the pupil record. Open to pupils.read_own_classes (held by everyone with
 * pupils.read too); teachers then see only the pupils of the classes they teach, and any other pupil is
 * answered as not found.
 */
export const pupilRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const readers = requireSchoolPermission(services, 'pupils.read_own_classes');

  app.post(
    '/api/v1/schools/:schoolId/pupils/search',
    {
      config: { access: 'school:pupils.read_own_classes' },
      onRequest: readers,
      schema: {
        summary:
          'Find pupils by part of a name (forename, surname or preferred names) or by UPN; a POST so that names never appear in URLs or logs',
        tags: ['pupils'],
        params: SchoolParams,
        body: SearchBody,
        response: { 200: SearchResponse, ...errors },
      },
    },
    async (request) =>
      searchPupils(services, signedIn(request), request.params.schoolId, request.body, request.id),
  );

  app.get(
    '/api/v1/schools/:schoolId/pupils',
    {
      config: { access: 'school:pupils.read_own_classes' },
      onRequest: readers,
      schema: {
        summary:
          'The pupils one may see, by surname and forename, a page at a time (optionally one year or class)',
        tags: ['pupils'],
        params: SchoolParams,
        querystring: ListQuery,
        response: { 200: ListResponse, ...errors },
      },
    },
    async (request) =>
      listPupils(services, signedIn(request), request.params.schoolId, request.query, request.id),
  );

  app.get(
    '/api/v1/schools/:schoolId/pupils/:pupilId',
    {
      config: { access: 'school:pupils.read_own_classes' },
      onRequest: readers,
      schema: {
        summary:
          'A pupil’s record: identity, characteristics, KS2, classes, groups and results (recorded in the audit log)',
        tags: ['pupils'],
        params: PupilParams,
        response: { 200: PupilResponse, ...errors },
      },
    },
    async (request) =>
      readPupil(services, signedIn(request), request.params.schoolId, request.params.pupilId, request.id),
  );
};
