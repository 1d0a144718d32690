import { Type } from 'typebox';

// Support access. A grant's purpose is the school's own words; it is returned to the school's
// administrators and to the engineer it names, nobody else.

const Uuid = Type.String({ format: 'uuid' });

export const SchoolParams = Type.Object({ schoolId: Uuid });
export const SchoolGrantParams = Type.Object({ schoolId: Uuid, grantId: Uuid });
export const GrantParams = Type.Object({ grantId: Uuid });

export const EngineersResponse = Type.Array(Type.Object({ id: Uuid, email: Type.String() }));

export const NewGrantBody = Type.Object({
  engineerId: Type.String({ format: 'uuid', description: 'The support engineer (see …/support/engineers)' }),
  access: Type.Enum(['view', 'data'], {
    description: 'view: read pupils and analysis; data: also run imports (a data manager’s access)',
  }),
  ticket: Type.String({ minLength: 1, maxLength: 100, description: 'The support ticket this is for' }),
  purpose: Type.String({ minLength: 1, maxLength: 2000, description: 'What the engineer needs to do' }),
  hours: Type.Integer({ minimum: 1, maximum: 72, description: 'How long access lasts (at most 72 hours)' }),
  startsAt: Type.Optional(Type.String({ format: 'date-time', description: 'Later than now to schedule it' })),
});

export const GrantView = Type.Object({
  id: Uuid,
  schoolId: Uuid,
  schoolName: Type.Optional(Type.String()),
  engineer: Type.Object({ id: Uuid, email: Type.String() }),
  access: Type.Enum(['view', 'data']),
  ticket: Type.String(),
  purpose: Type.String(),
  startsAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  grantedBy: Type.String(),
  grantedAt: Type.String({ format: 'date-time' }),
  endedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  status: Type.Enum(['scheduled', 'live', 'expired', 'revoked', 'ticket_closed']),
  requests: Type.Object({
    count: Type.Integer(),
    recent: Type.Array(
      Type.Object({
        at: Type.String({ format: 'date-time' }),
        method: Type.String(),
        route: Type.String({ description: 'The route pattern (ids, never names)' }),
      }),
    ),
  }),
});

export const GrantsResponse = Type.Array(GrantView);
