import { Type } from 'typebox';
import { Sensitivity } from './scopes.ts';

export const ScopeView = Type.Object({
  scope: Type.String(),
  title: Type.String(),
  description: Type.String(),
  sensitivity: Sensitivity,
  why: Type.Optional(Type.String()),
});

export const RequestedScopeView = Type.Intersect([
  ScopeView,
  Type.Object({ required: Type.Boolean(), reason: Type.String() }),
]);

export const ConsentDetails = Type.Object({
  app: Type.Object({
    name: Type.String(),
    purpose: Type.String(),
    privacyNoticeUrl: Type.String(),
  }),
  scopes: Type.Array(RequestedScopeView, { description: 'What the app asks for, required ones first' }),
  schools: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }), {
    description: 'The schools this person may approve apps for',
  }),
});

export const InteractionParams = Type.Object({
  uid: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' }),
});

export const ApproveBody = Type.Object({
  schoolId: Type.String({ format: 'uuid' }),
  scopes: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 50 }),
});

export const RedirectResponse = Type.Object({
  redirectTo: Type.String({ description: 'Where the browser goes next: back to the app' }),
});

export const AuthorisationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  app: Type.Object({
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    purpose: Type.String(),
    privacyNoticeUrl: Type.String(),
    status: Type.String(),
  }),
  scopes: Type.Array(ScopeView),
  approvedAt: Type.String({ format: 'date-time' }),
  approvedBy: Type.String({ description: 'User id of the approving school admin' }),
  lastAccessAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  requestCount: Type.Integer(),
});

export const SchoolAppParams = Type.Object({
  schoolId: Type.String({ format: 'uuid' }),
  authorisationId: Type.String({ format: 'uuid' }),
});

const RequestedScope = Type.Object({
  scope: Type.String({ maxLength: 60 }),
  required: Type.Boolean(),
  reason: Type.String({ maxLength: 500 }),
});

export const NewAppBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  purpose: Type.String({ minLength: 1, maxLength: 2000 }),
  privacyNoticeUrl: Type.String({ minLength: 1, maxLength: 500 }),
  redirectUris: Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 10 }),
  scopes: Type.Array(RequestedScope, { maxItems: 50 }),
  acceptTerms: Type.Boolean({ description: 'The developer terms (version in the response) are accepted' }),
});

export const RegisteredAppView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  clientId: Type.String(),
  name: Type.String(),
  purpose: Type.String(),
  privacyNoticeUrl: Type.String(),
  redirectUris: Type.Array(Type.String()),
  status: Type.String(),
  scopes: Type.Array(RequestedScope),
  termsVersion: Type.String(),
  termsAcceptedAt: Type.String({ format: 'date-time' }),
  secretRotatedAt: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const DeveloperAppView = Type.Object({
  ...RegisteredAppView.properties,
  usage: Type.Object({
    schools: Type.Integer({ description: 'Schools where the app is authorised now' }),
    requests: Type.Integer({ description: 'Requests made under those authorisations' }),
    lastAccessAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
});

export const AppWithSecret = Type.Object({
  app: RegisteredAppView,
  clientSecret: Type.String({ description: 'Shown once: only a digest is kept' }),
});

export const AppParams = Type.Object({ appId: Type.String({ format: 'uuid' }) });

export const DeveloperApplicationView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String({ description: 'Personal data: the applicant’s address' }),
  organisation: Type.String(),
  reason: Type.String(),
  status: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  decidedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const PlatformAppView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  clientId: Type.String(),
  status: Type.String(),
  developerId: Type.String({ format: 'uuid' }),
  createdAt: Type.String({ format: 'date-time' }),
});
