import { Type } from 'typebox';

const Uuid = Type.String({ format: 'uuid' });
const CalendarDate = Type.String({ format: 'date', pattern: '^20\\d{2}-', description: 'yyyy-mm-dd' });

export const SchoolParams = Type.Object({ schoolId: Uuid });
export const VersionParams = Type.Object({ schoolId: Uuid, versionId: Uuid });

export const NewTermsBody = Type.Object({
  version: Type.String({ minLength: 1, maxLength: 50, description: 'e.g. 2027.1' }),
  summary: Type.String({ minLength: 1, maxLength: 2000, description: 'What changes, in plain words' }),
  body: Type.String({ minLength: 1, maxLength: 200_000, description: 'The full terms' }),
  effectiveOn: CalendarDate,
});

export const SchoolTermsResponse = Type.Array(
  Type.Object({
    id: Uuid,
    version: Type.String(),
    summary: Type.String(),
    body: Type.String(),
    publishedAt: Type.String({ format: 'date-time' }),
    effectiveOn: CalendarDate,
    standing: Type.Enum(['in_force', 'upcoming', 'superseded']),
    response: Type.Union([Type.Enum(['accepted', 'opted_out']), Type.Null()]),
    respondedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  }),
);

export const PlatformTermsResponse = Type.Array(
  Type.Object({
    id: Uuid,
    version: Type.String(),
    summary: Type.String(),
    publishedAt: Type.String({ format: 'date-time' }),
    effectiveOn: CalendarDate,
    accepted: Type.Integer(),
    optedOut: Type.Integer(),
  }),
);

export const OptOutBody = Type.Object({
  confirmName: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'The school’s name, typed to confirm',
  }),
});
