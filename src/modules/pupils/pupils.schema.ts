import { Type, type Static, type TSchema } from 'typebox';

// The pupils API. Be careful what you expose here: these schemas are the allow-list of a child's
// personal data that leaves the server. Names, UPN, date of birth, address and contacts appear only
// where a schema below names them.

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const CalendarDate = Type.String({ format: 'date', description: 'yyyy-mm-dd' });
const YearGroup = Type.Integer({ minimum: -2, maximum: 14, description: 'Reception 0, nursery -2 and -1' });

export const SchoolParams = Type.Object({ schoolId: Type.String({ format: 'uuid' }) });
export const PupilParams = Type.Object({
  schoolId: Type.String({ format: 'uuid' }),
  pupilId: Type.String({ format: 'uuid' }),
});

export const SearchBody = Type.Object({
  query: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'Part of a forename, surname or preferred name (case does not matter), or a whole UPN',
  }),
  limit: Type.Integer({ minimum: 1, maximum: 50, default: 20 }),
});

export const ListQuery = Type.Object({
  yearGroup: Type.Optional(YearGroup),
  classId: Type.Optional(Type.String({ format: 'uuid', description: 'Only the pupils of this class' })),
  cursor: Type.Optional(
    Type.String({ format: 'uuid', description: 'The nextCursor of the previous page (opaque)' }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

export const PupilListItem = Type.Object({
  id: Type.String({ format: 'uuid', description: 'Pseudonymous pupil id' }),
  displayName: Nullable(Type.String({ description: 'Preferred (or legal) forename and surname' })),
  upn: Nullable(Type.String()),
  yearGroup: Nullable(YearGroup),
  classes: Type.Array(Type.String(), { description: 'Names of the classes and registration groups' }),
});

export const SearchResponse = Type.Object({
  pupils: Type.Array(PupilListItem, { description: 'By surname, then forename' }),
  total: Type.Integer({ description: 'How many pupils matched (more than shown when over the limit)' }),
});

export const ListResponse = Type.Object({
  pupils: Type.Array(PupilListItem, { description: 'By surname, then forename' }),
  nextCursor: Nullable(Type.String({ format: 'uuid', description: 'Pass as cursor for the next page' })),
});

/** A contact as a Common Transfer File carries it (stored as JSON in the pupil's encrypted contacts). */
export const ContactSchema = Type.Object({
  forename: Type.Optional(Type.String()),
  surname: Type.Optional(Type.String()),
  relationship: Type.Optional(Type.String()),
  responsibility: Type.Optional(Type.String()),
  phones: Type.Optional(Type.Array(Type.String())),
  email: Type.Optional(Type.String()),
});
export const ContactsSchema = Type.Array(ContactSchema);
export type Contact = Static<typeof ContactSchema>;

const Coded = Type.Object({ code: Type.String(), label: Nullable(Type.String()) });

export const PupilResponse = Type.Object({
  id: Type.String({ format: 'uuid' }),
  identity: Type.Object({
    upn: Nullable(Type.String()),
    identifierKind: Type.String({ description: 'upn, temporary_upn, pseudonymous or name' }),
    forename: Nullable(Type.String()),
    surname: Nullable(Type.String()),
    preferredForename: Nullable(Type.String()),
    preferredSurname: Nullable(Type.String()),
    displayName: Nullable(Type.String()),
    dob: Nullable(CalendarDate),
    address: Nullable(Type.String({ description: 'Lines separated by newlines' })),
    contacts: Nullable(Type.Array(ContactSchema)),
    erased: Type.Boolean({ description: 'The pupil’s key was destroyed: no identifier can be read' }),
  }),
  characteristics: Type.Object({
    yearGroup: Nullable(YearGroup),
    birthYear: Nullable(Type.Integer()),
    birthMonth: Nullable(Type.Integer({ minimum: 1, maximum: 12 })),
    sex: Nullable(Type.String({ description: 'M or F' })),
    ethnicity: Nullable(
      Type.Object({ code: Type.String(), label: Nullable(Type.String()), group: Nullable(Type.String()) }),
    ),
    fsm: Nullable(Type.Boolean()),
    fsm6: Nullable(Type.Boolean()),
    disadvantaged: Nullable(Type.Boolean()),
    pupilPremium: Nullable(Type.Boolean()),
    sen: Nullable(Coded),
    eal: Nullable(Type.Boolean()),
    gifted: Nullable(Type.Boolean()),
    lookedAfter: Nullable(Type.Boolean()),
    previouslyLookedAfter: Nullable(Type.Boolean()),
    serviceChild: Nullable(Type.Boolean()),
    enrolmentStatus: Nullable(Coded),
    startDate: Nullable(CalendarDate),
    leaveDate: Nullable(CalendarDate),
  }),
  priorAttainment: Nullable(
    Type.Object({
      ks2ReadingScore: Nullable(Type.Number()),
      ks2ReadingOutcome: Nullable(Type.String()),
      ks2MathsScore: Nullable(Type.Number()),
      ks2MathsOutcome: Nullable(Type.String()),
      ks2ReadingTa: Nullable(Type.String()),
      ks2MathsTa: Nullable(Type.String()),
    }),
  ),
  classes: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      name: Type.String(),
      yearGroup: Nullable(Type.Integer()),
      subject: Nullable(Type.Object({ code: Type.String(), name: Type.String() })),
    }),
  ),
  groups: Type.Array(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() })),
  results: Type.Array(
    Type.Object({
      assessmentPoint: Type.Object({
        id: Type.String({ format: 'uuid' }),
        name: Type.String(),
        date: Nullable(CalendarDate),
        rank: Type.Integer({ description: 'Order of assessment points, earlier first' }),
      }),
      subject: Type.Object({ code: Type.String(), name: Type.String() }),
      facet: Type.String({ description: 'achieved, target, prediction or baseline' }),
      grade: Type.String(),
      points: Type.Number(),
    }),
    { description: 'By assessment point, then subject, then facet' },
  ),
});
export type PupilDetails = Static<typeof PupilResponse>;
