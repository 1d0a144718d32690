import { Type, type TProperties } from 'typebox';

// The app data API's shapes. A pupil's attributes come in blocks, one per scope: the response schema is
// the basic block plus every scope's block as optional properties, and the service builds each pupil from
// the blocks of the scopes granted, never by deleting what was not.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateText = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const AppApiError = Type.Object({
  error: Type.String({
    description: 'invalid_request, invalid_token, insufficient_scope, not_found, rate_limited',
  }),
  message: Type.String(),
});

export const PageQuery = Type.Object({
  page: Type.Integer({ minimum: 1, default: 1 }),
  per_page: Type.Integer({ minimum: 1, maximum: 1500, default: 100 }),
});

const StudentBasic = {
  id: Type.String({ description: 'Pairwise pupil id: the same pupil has another id in every other app' }),
  first_name: Nullable(Type.String()),
  last_name: Nullable(Type.String()),
  display_name: Nullable(Type.String()),
  year_group: Nullable(Type.Integer()),
  registration_group: Nullable(Type.String()),
  enrolment_status: Nullable(
    Type.String({ description: 'C current, M main dual, S subsidiary, G guest, O other' }),
  ),
  start_date: Nullable(DateText),
  leave_date: Nullable(DateText),
} satisfies TProperties;

const Contact = Type.Object({
  forename: Type.Optional(Type.String()),
  surname: Type.Optional(Type.String()),
  relationship: Type.Optional(Type.String()),
  responsibility: Type.Optional(Type.Boolean()),
  phones: Type.Optional(Type.Array(Type.String())),
  email: Type.Optional(Type.String()),
});

/** Each students.* scope and the attributes it adds. */
export const STUDENT_SCOPE_FIELDS = {
  'students.upn': { upn: Nullable(Type.String()) },
  'students.dob': { date_of_birth: Nullable(DateText) },
  'students.sex': { sex: Nullable(Type.String({ description: 'M or F' })) },
  'students.ethnicity': { ethnicity: Nullable(Type.String({ description: 'DfE ethnicity code' })) },
  'students.fsm': { fsm: Nullable(Type.Boolean()), fsm6: Nullable(Type.Boolean()) },
  'students.disadvantaged': {
    disadvantaged: Nullable(Type.Boolean()),
    pupil_premium: Nullable(Type.Boolean()),
  },
  'students.sen': { sen: Nullable(Type.String({ description: 'N none, K SEN support, E EHC plan' })) },
  'students.eal': { eal: Nullable(Type.Boolean()) },
  'students.care': {
    looked_after: Nullable(Type.Boolean()),
    previously_looked_after: Nullable(Type.Boolean()),
  },
  'students.contacts': { contacts: Nullable(Type.Array(Contact)) },
} satisfies Record<string, TProperties>;

export type StudentScope = keyof typeof STUDENT_SCOPE_FIELDS;

export const Student = Type.Object({
  ...StudentBasic,
  ...Object.fromEntries(
    Object.entries(STUDENT_SCOPE_FIELDS).flatMap(([scope, fields]) =>
      Object.entries(fields).map(([name, schema]) => [
        name,
        Type.Optional({ ...schema, description: `Only with the ${scope} scope` }),
      ]),
    ),
  ),
});

export const StudentParams = Type.Object({ studentId: Type.String({ minLength: 1, maxLength: 64 }) });
export const ClassParams = Type.Object({ classId: Type.String({ format: 'uuid' }) });

export const SchoolView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  urn: Nullable(Type.String()),
});

export const ClassView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  subject: Nullable(Type.String({ description: 'Subject code' })),
  year_group: Nullable(Type.Integer()),
});

export const ClassMembers = Type.Object({
  class_id: Type.String({ format: 'uuid' }),
  student_ids: Type.Array(Type.String()),
});

export const YearGroupView = Type.Object({ year_group: Nullable(Type.Integer()), students: Type.Integer() });

export const SubjectView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  qualification: Type.String(),
  pillar: Type.String({ description: 'The Attainment 8 pillar it counts in' }),
  grade_set: Type.String(),
});

export const AssessmentPointView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  rank: Type.Integer({ description: 'Stable order, earlier first' }),
  date: Nullable(DateText),
});

export const GradeSetView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  grades: Type.Array(Type.Object({ code: Type.String(), points: Type.Number(), rank: Type.Integer() })),
});

export const ResultsQuery = Type.Object({
  ...PageQuery.properties,
  assessment_point: Type.Optional(Type.String({ format: 'uuid' })),
  facet: Type.Optional(
    Type.Union([
      Type.Literal('achieved'),
      Type.Literal('target'),
      Type.Literal('prediction'),
      Type.Literal('baseline'),
    ]),
  ),
});

export const ResultView = Type.Object({
  student_id: Type.String(),
  subject: Type.String(),
  assessment_point_id: Type.String({ format: 'uuid' }),
  facet: Type.String(),
  grade: Type.String(),
  points: Type.Number(),
});

export const PriorAttainmentView = Type.Object({
  student_id: Type.String(),
  ks2_reading_score: Nullable(Type.Number()),
  ks2_reading_outcome: Nullable(Type.String()),
  ks2_maths_score: Nullable(Type.Number()),
  ks2_maths_outcome: Nullable(Type.String()),
  ks2_reading_ta: Nullable(Type.String()),
  ks2_maths_ta: Nullable(Type.String()),
});

export const DeletionView = Type.Object({
  student_id: Type.String({ description: 'The pupil’s id for this app (as in /students)' }),
  reason: Type.Union([Type.Literal('erased'), Type.Literal('restricted')], {
    description: 'erased: delete every copy; restricted: stop using and showing the pupil',
  }),
  removed_at: Type.String({ format: 'date-time' }),
});

export const DeletionsQuery = Type.Object({
  ...PageQuery.properties,
  since: Type.Optional(
    Type.String({
      format: 'date-time',
      description: 'Only removals after this moment (like If-Modified-Since)',
    }),
  ),
});
