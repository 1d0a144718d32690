import { Type } from 'typebox';

export const SchoolParams = Type.Object({ schoolId: Type.String({ format: 'uuid' }) });

export const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Actor id (a user id)' })),
  pupil: Type.Optional(Type.String({ format: 'uuid', description: 'Pseudonymous pupil id' })),
  action: Type.Optional(
    Type.String({
      pattern: '^[a-z_]+(\\.[a-z_]+)*\\.?$',
      description: "An action, or a prefix ending in '.' such as 'auth.'",
    }),
  ),
  from: Type.Optional(Type.String({ format: 'date', description: 'First day included (YYYY-MM-DD)' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Last day included (YYYY-MM-DD)' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  perPage: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
});

export const AuditEvent = Type.Object({
  seq: Type.Integer(),
  id: Type.String({ format: 'uuid' }),
  occurredAt: Type.String({ format: 'date-time' }),
  actorType: Type.String(),
  actorId: Type.String(),
  action: Type.String(),
  outcome: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  subjectIds: Type.Array(Type.String({ format: 'uuid' })),
  requestId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(
    Type.String(),
    Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
  ),
});

export const AuditPage = Type.Object({
  events: Type.Array(AuditEvent),
  page: Type.Integer(),
  perPage: Type.Integer(),
  total: Type.Integer(),
});
