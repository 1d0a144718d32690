import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TObject } from 'typebox';
import { Type } from 'typebox';
import type { Access } from '../../platform/http/access.ts';
import { conflict, errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { Permission } from '../organisations/roles.policy.ts';
import { paramOf } from '../organisations/auth.hooks.ts';
import type { PepViewer } from './pep-access.ts';
import { childReference } from './pep-access.ts';
import { pepHtml, pepPdf } from './pep-export.ts';
import { PEP_MODULES } from './pep.policy.ts';
import { Created, MODULE_SCHEMAS, NewPepBody, PepView, TransitionBody } from './pep.schema.ts';
import * as service from './pep.service.ts';

// A child's PEPs, the same for the virtual school (/authorities/:authorityId/pep/...) and for the school's
// designated teacher (/schools/:schoolId/pep/...): only who is asking, and how that is checked, differ.

export interface PepSide {
  /** e.g. '/api/v1/authorities/:authorityId/pep' */
  prefix: string;
  access: (permission: Permission) => Access;
  hook: (permission: Permission) => (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** The params of `/children/:childId` and of `/children/:childId/peps/:pepId` on this side. */
  childParams: TObject;
  pepParams: TObject;
  viewer: (request: FastifyRequest, childId: string) => Promise<PepViewer>;
  tag: string;
}

const errors = errorResponses(400, 401, 403, 404, 409);

type TypeboxApp = Parameters<FastifyPluginAsyncTypebox>[0];

const ids = (request: FastifyRequest) => ({
  childId: paramOf(request, 'childId'),
  pepId: paramOf(request, 'pepId'),
});

export function registerPepDocumentRoutes(app: TypeboxApp, services: Services, side: PepSide): void {
  const read = { config: { access: side.access('pep.read') }, onRequest: side.hook('pep.read') };
  const write = { config: { access: side.access('pep.write') }, onRequest: side.hook('pep.write') };

  app.post(
    `${side.prefix}/children/:childId/peps`,
    {
      ...write,
      schema: {
        summary: 'Start the PEP for a term (initial or termly review); last term’s open targets are carried',
        tags: [side.tag],
        params: side.childParams,
        body: NewPepBody,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const { childId } = ids(request);
      const viewer = await side.viewer(request, childId);
      const { term } = request.body;
      return reply.status(201).send(await service.startPep(services, viewer, childId, term));
    },
  );

  app.get(
    `${side.prefix}/children/:childId/peps/:pepId`,
    {
      ...read,
      schema: {
        summary: 'A PEP with its modules, history and what you may do next',
        tags: [side.tag],
        params: side.pepParams,
        response: { 200: PepView, ...errors },
      },
    },
    async (request) => {
      const { childId, pepId } = ids(request);
      return service.readPep(services, await side.viewer(request, childId), childId, pepId);
    },
  );

  for (const module of PEP_MODULES) {
    app.put(
      `${side.prefix}/children/:childId/peps/:pepId/modules/${module}`,
      {
        ...write,
        schema: {
          summary: `Save the PEP's ${module.replace('_', ' ')} section (the whole section)`,
          tags: [side.tag],
          params: side.pepParams,
          body: MODULE_SCHEMAS[module],
          response: { 200: PepView, ...errors },
        },
      },
      async (request) => {
        const { childId, pepId } = ids(request);
        const viewer = await side.viewer(request, childId);
        return service.saveModule(services, viewer, childId, pepId, module, request.body);
      },
    );
  }

  app.post(
    `${side.prefix}/children/:childId/peps/:pepId/transitions`,
    {
      ...write,
      schema: {
        summary: 'Submit, return for amendments (with a comment), approve or sign off a PEP',
        tags: [side.tag],
        params: side.pepParams,
        body: TransitionBody,
        response: { 200: PepView, ...errors },
      },
    },
    async (request) => {
      const { childId, pepId } = ids(request);
      const body = request.body;
      return service.transition(
        services,
        await side.viewer(request, childId),
        childId,
        pepId,
        body.action,
        body.comment,
      );
    },
  );

  app.post(
    `${side.prefix}/children/:childId/peps/:pepId/next-version`,
    {
      ...write,
      schema: {
        summary: 'Start the next version of a signed-off (locked) PEP',
        tags: [side.tag],
        params: side.pepParams,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const { childId, pepId } = ids(request);
      return reply
        .status(201)
        .send(await service.nextVersion(services, await side.viewer(request, childId), childId, pepId));
    },
  );

  for (const format of ['html', 'pdf'] as const) {
    app.get(
      `${side.prefix}/children/:childId/peps/:pepId/export.${format}`,
      {
        ...read,
        schema: {
          summary: `A signed-off PEP as ${format.toUpperCase()}, to keep or share`,
          tags: [side.tag],
          params: side.pepParams,
          produces: [format === 'html' ? 'text/html' : 'application/pdf'],
          response: { 200: Type.Unknown(), ...errors },
        },
      },
      async (request, reply) => {
        const { childId, pepId } = ids(request);
        const pep = await service.exportablePep(
          services,
          await side.viewer(request, childId),
          childId,
          pepId,
          format,
        );
        if (pep.state !== 'signed_off') {
          throw conflict('Only a signed-off PEP can be exported. This one is not signed off yet.');
        }
        const name = `pep-${childReference(childId)}-${pep.term}-v${pep.version}.${format}`;
        void reply.header('content-disposition', `attachment; filename="${name}"`);
        return format === 'html'
          ? reply.type('text/html; charset=utf-8').send(pepHtml(pep))
          : reply.type('application/pdf').send(await pepPdf(pep));
      },
    );
  }
}
