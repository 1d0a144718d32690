import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { paramOf, requireSchoolPermission, signedIn } from '../organisations/auth.hooks.ts';
import { readChild } from './children.service.ts';
import { decideLink, linkRequests } from './links.service.ts';
import { schoolViewer } from './pep-access.ts';
import { registerPepDocumentRoutes } from './pep-documents.routes.ts';
import {
  AgreeBody,
  ChildDetail,
  LinkRequests,
  SchoolChildParams,
  SchoolParams,
  SchoolPepParams,
} from './pep.schema.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const PREFIX = '/api/v1/schools/:schoolId/pep';

/** The school's side of PEPs: the designated teacher agrees links and writes the school's sections. */
export const pepSchoolRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (
  app,
  { services },
) => {
  const read = {
    config: { access: 'school:pep.read' as const },
    onRequest: requireSchoolPermission(services, 'pep.read'),
  };
  const write = {
    config: { access: 'school:pep.write' as const },
    onRequest: requireSchoolPermission(services, 'pep.write'),
  };

  app.get(
    `${PREFIX}/links`,
    {
      ...read,
      schema: {
        summary: 'Virtual schools’ requests to link a looked-after child, and the children linked',
        tags: ['pep'],
        params: SchoolParams,
        response: { 200: LinkRequests, ...errors },
      },
    },
    async (request) => linkRequests(services, signedIn(request), request.params.schoolId, request.id),
  );

  app.post(
    `${PREFIX}/links/:childId/agree`,
    {
      ...write,
      schema: {
        summary: 'Agree to link a looked-after child to one of the school’s pupils',
        tags: ['pep'],
        params: SchoolChildParams,
        body: AgreeBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { schoolId, childId } = request.params;
      await decideLink(
        services,
        signedIn(request),
        schoolId,
        childId,
        { agree: true, pupilId: request.body.pupilId },
        request.id,
      );
      return reply.status(204).send(null);
    },
  );

  app.post(
    `${PREFIX}/links/:childId/refuse`,
    {
      ...write,
      schema: {
        summary: 'Refuse a link request (the child is not the school’s pupil)',
        tags: ['pep'],
        params: SchoolChildParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const { schoolId, childId } = request.params;
      await decideLink(services, signedIn(request), schoolId, childId, { agree: false }, request.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${PREFIX}/children/:childId`,
    {
      ...read,
      schema: {
        summary: 'A linked child’s record and PEPs',
        tags: ['pep'],
        params: SchoolChildParams,
        response: { 200: ChildDetail, ...errors },
      },
    },
    async (request) => {
      const { schoolId, childId } = request.params;
      return readChild(
        services,
        await schoolViewer(services, signedIn(request), schoolId, childId, request.id),
        childId,
      );
    },
  );

  registerPepDocumentRoutes(app, services, {
    prefix: PREFIX,
    access: (permission) => `school:${permission}`,
    hook: (permission) => requireSchoolPermission(services, permission),
    childParams: SchoolChildParams,
    pepParams: SchoolPepParams,
    viewer: async (request, childId) => {
      const schoolId = paramOf(request, 'schoolId');
      return schoolViewer(services, signedIn(request), schoolId, childId, request.id);
    },
    tag: 'pep',
  });
};
