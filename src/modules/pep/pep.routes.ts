import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { paramOf, requireAuthorityPermission, signedIn } from '../organisations/auth.hooks.ts';
import * as children from './children.service.ts';
import { childBundle, eraseChild } from './child-records.service.ts';
import { dashboard } from './dashboard.service.ts';
import { authorityViewer } from './pep-access.ts';
import { registerPepDocumentRoutes } from './pep-documents.routes.ts';
import {
  AuthorityChildParams,
  AuthorityParams,
  AuthorityPepParams,
  ChildDetail,
  ChildrenResponse,
  ChildUpdateBody,
  Created,
  Dashboard,
  ErasureBody,
  NewChildBody,
  SchoolOptions,
  StaffOptions,
} from './pep.schema.ts';

const errors = errorResponses(400, 401, 403, 404, 409);
const PREFIX = '/api/v1/authorities/:authorityId/pep';

/** The virtual school's routes: its dashboard, its children and their PEPs. */
export const pepRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  const readers = requireAuthorityPermission(services, 'pep.read');
  const writers = requireAuthorityPermission(services, 'pep.write');
  const heads = requireAuthorityPermission(services, 'pep.sign_off');
  const read = { config: { access: 'authority:pep.read' as const }, onRequest: readers };
  const write = { config: { access: 'authority:pep.write' as const }, onRequest: writers };
  const head = { config: { access: 'authority:pep.sign_off' as const }, onRequest: heads };

  app.get(
    `${PREFIX}/dashboard`,
    {
      ...read,
      schema: {
        summary: 'This term’s PEPs at a glance',
        tags: ['pep'],
        params: AuthorityParams,
        response: { 200: Dashboard, ...errors },
      },
    },
    async (request) =>
      dashboard(services, authorityViewer(signedIn(request), request.params.authorityId, request.id)),
  );

  app.get(
    `${PREFIX}/children`,
    {
      ...read,
      schema: {
        summary: 'The children the virtual school looks after (a social worker: those allocated to them)',
        tags: ['pep'],
        params: AuthorityParams,
        response: { 200: ChildrenResponse, ...errors },
      },
    },
    async (request) =>
      children.listChildren(
        services,
        authorityViewer(signedIn(request), request.params.authorityId, request.id),
      ),
  );

  app.post(
    `${PREFIX}/children`,
    {
      ...write,
      schema: {
        summary: 'Add a looked-after child; a school on Haven is asked to agree the link to its record',
        tags: ['pep'],
        params: AuthorityParams,
        body: NewChildBody,
        response: { 201: Created, ...errors },
      },
    },
    async (request, reply) => {
      const viewer = authorityViewer(signedIn(request), request.params.authorityId, request.id);
      return reply.status(201).send(await children.addChild(services, viewer, request.body));
    },
  );

  app.get(
    `${PREFIX}/children/:childId`,
    {
      ...read,
      schema: {
        summary: 'A child’s record, PEPs and (when linked) the PEP-relevant part of the school’s data',
        tags: ['pep'],
        params: AuthorityChildParams,
        response: { 200: ChildDetail, ...errors },
      },
    },
    async (request) =>
      children.readChild(
        services,
        authorityViewer(signedIn(request), request.params.authorityId, request.id),
        request.params.childId,
      ),
  );

  app.patch(
    `${PREFIX}/children/:childId`,
    {
      ...write,
      schema: {
        summary: 'Change a child’s care details, social worker or school, or record that they left care',
        tags: ['pep'],
        params: AuthorityChildParams,
        body: ChildUpdateBody,
        response: { 200: ChildDetail, ...errors },
      },
    },
    async (request) => {
      const viewer = authorityViewer(signedIn(request), request.params.authorityId, request.id);
      await children.updateChild(services, viewer, request.params.childId, request.body);
      return children.readChild(services, viewer, request.params.childId);
    },
  );

  app.get(
    `${PREFIX}/children/:childId/export`,
    {
      ...head,
      schema: {
        summary: 'Everything Haven holds about the child in their PEPs (a subject access bundle, JSON)',
        tags: ['pep'],
        params: AuthorityChildParams,
        response: { 200: Type.Unknown(), ...errors },
      },
    },
    async (request, reply) => {
      const viewer = authorityViewer(signedIn(request), request.params.authorityId, request.id);
      const bundle = await childBundle(services, viewer, request.params.childId);
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', 'attachment; filename="looked-after-child-data.json"')
        .send(JSON.stringify(bundle, null, 2));
    },
  );

  app.post(
    `${PREFIX}/children/:childId/erase`,
    {
      ...head,
      schema: {
        summary: 'Erase a child from the virtual school: PEPs deleted and the child’s key destroyed',
        tags: ['pep'],
        params: AuthorityChildParams,
        body: ErasureBody,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      const viewer = authorityViewer(signedIn(request), request.params.authorityId, request.id);
      await eraseChild(services, viewer, request.params.childId, request.body.reason);
      return reply.status(204).send(null);
    },
  );

  app.get(
    `${PREFIX}/schools`,
    {
      ...write,
      schema: {
        summary: 'Schools on Haven a child can be linked to',
        tags: ['pep'],
        params: AuthorityParams,
        response: { 200: SchoolOptions, ...errors },
      },
    },
    async () => children.schoolOptions(services),
  );

  app.get(
    `${PREFIX}/social-workers`,
    {
      ...write,
      schema: {
        summary: 'The virtual school’s social workers',
        tags: ['pep'],
        params: AuthorityParams,
        response: { 200: StaffOptions, ...errors },
      },
    },
    async (request) => children.socialWorkers(services, request.params.authorityId),
  );

  registerPepDocumentRoutes(app, services, {
    prefix: PREFIX,
    access: (permission) => `authority:${permission}`,
    hook: (permission) => requireAuthorityPermission(services, permission),
    childParams: AuthorityChildParams,
    pepParams: AuthorityPepParams,
    viewer: async (request) => {
      const authorityId = paramOf(request, 'authorityId');
      return authorityViewer(signedIn(request), authorityId, request.id);
    },
    tag: 'pep',
  });
};
