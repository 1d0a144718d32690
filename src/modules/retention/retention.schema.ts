import { Type, type TSchema } from 'typebox';

// The retention API. Pupils appear only by pseudonymous id (the web app links them to their record);
// a hold's reason is free text the school wrote and is returned only to those who manage retention.

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const CalendarDate = Type.String({ format: 'date', pattern: '^(19|20)\\d{2}-', description: 'yyyy-mm-dd' });
const Uuid = Type.String({ format: 'uuid' });
const RuleId = Type.Enum(['pupil_age', 'leaver_years', 'school_inactivity', 'school_offboarding']);
const SchoolRuleId = Type.Enum(['school_inactivity', 'school_offboarding']);

export const SchoolParams = Type.Object({ schoolId: Uuid });
export const RuleParams = Type.Object({ schoolId: Uuid, rule: RuleId });
export const HoldParams = Type.Object({ schoolId: Uuid, holdId: Uuid });
export const CertificateParams = Type.Object({ schoolId: Uuid, certificateId: Uuid });

export const RuleView = Type.Object({
  id: RuleId,
  category: Type.String(),
  trigger: Type.String(),
  action: Type.String(),
  unit: Type.Enum(['years_of_age', 'years', 'months', 'working_days']),
  default: Nullable(Type.Integer()),
  minimum: Type.Integer(),
  mandatory: Type.Boolean(),
  schoolPeriod: Nullable(Type.Integer({ description: 'The school’s own, shorter period, if it set one' })),
  inForce: Nullable(Type.Integer()),
  inForceText: Type.String({ description: 'The period in force, in words (or that the rule is off)' }),
});

export const RulesResponse = Type.Array(RuleView);

export const PolicyBody = Type.Object({
  period: Nullable(
    Type.Integer({
      minimum: 1,
      maximum: 100,
      description: 'A shorter period than Haven’s promise; null goes back to the promise',
    }),
  ),
});

export const OutlookQuery = Type.Object({
  days: Type.Integer({ minimum: 1, maximum: 366, default: 90, description: 'How far ahead to look' }),
});

const PupilDueView = Type.Object({
  pupilId: Uuid,
  rule: RuleId,
  dueOn: CalendarDate,
  held: Type.Boolean(),
});

export const Leaving = Type.Object({
  status: Type.Enum(['active', 'leaving', 'left']),
  requestedAt: Nullable(Type.String({ format: 'date-time' })),
  deletionDueOn: Nullable(CalendarDate),
  appsRevoked: Type.Integer(),
});

const CertificateSummary = Type.Object({
  id: Uuid,
  rule: RuleId,
  appliedOn: CalendarDate,
  records: Type.Integer({ description: 'Rows deleted in all' }),
  subjects: Type.Integer({ description: 'Pupils erased' }),
  createdAt: Type.String({ format: 'date-time' }),
});

export const OverviewResponse = Type.Object({
  today: CalendarDate,
  until: CalendarDate,
  rules: RulesResponse,
  leaving: Leaving,
  school: Type.Object({
    rule: SchoolRuleId,
    lastActivity: CalendarDate,
    dueOn: CalendarDate,
    held: Type.Boolean(),
  }),
  pupils: Type.Array(PupilDueView),
  withoutBirthDate: Type.Integer(),
  certificates: Type.Array(CertificateSummary),
});

export const LeaveBody = Type.Object({
  confirmName: Type.String({
    minLength: 1,
    maxLength: 300,
    description: 'The school’s name, typed to confirm that all of its data will be deleted',
  }),
});

export const HoldView = Type.Object({
  id: Uuid,
  scope: Type.Enum(['pupil', 'school']),
  pupilId: Nullable(Uuid),
  reason: Type.String(),
  placedBy: Type.String(),
  placedAt: Type.String({ format: 'date-time' }),
  expiresOn: Nullable(CalendarDate),
  releasedAt: Nullable(Type.String({ format: 'date-time' })),
  releasedBy: Nullable(Type.String()),
  live: Type.Boolean(),
});

export const HoldsResponse = Type.Array(HoldView);

export const NewHoldBody = Type.Object({
  pupilId: Type.Optional(
    Type.String({ format: 'uuid', description: 'The pupil; leave out to hold the whole school' }),
  ),
  reason: Type.String({ minLength: 1, maxLength: 2000, description: 'Why the data must be kept' }),
  expiresOn: Type.Optional(CalendarDate),
});

export const SchoolHoldBody = Type.Object({
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
  expiresOn: Type.Optional(CalendarDate),
});

export const CertificateResponse = Type.Object({
  certificate: Uuid,
  school: Type.Object({ id: Uuid, name: Type.String() }),
  rule: RuleId,
  ruleDescription: Type.String(),
  period: Type.String(),
  appliedOn: CalendarDate,
  categories: Type.Array(Type.String()),
  records: Type.Record(Type.String(), Type.Integer()),
  subjects: Type.Array(Uuid),
  heldBack: Type.Integer(),
  executedBy: Type.String(),
  executedAt: Type.String(),
  digest: Type.String({ description: 'SHA-256 of the certificate as written' }),
});

export const RunQuery = Type.Object({
  date: Type.Optional(CalendarDate),
});

const SchoolRunView = Type.Object({
  schoolId: Uuid,
  name: Type.String(),
  pupilsDue: Type.Integer(),
  pupilsHeld: Type.Integer(),
  pupilsErased: Type.Integer(),
  withoutBirthDate: Type.Integer(),
  school: Type.Object({
    rule: SchoolRuleId,
    dueOn: CalendarDate,
    held: Type.Boolean(),
    erased: Type.Boolean(),
    warningsSent: Type.Integer(),
  }),
});

export const RunResponse = Type.Object({
  dryRun: Type.Boolean(),
  today: CalendarDate,
  schools: Type.Array(SchoolRunView),
  totals: Type.Object({
    pupilsDue: Type.Integer(),
    pupilsHeld: Type.Integer(),
    pupilsErased: Type.Integer(),
    schoolsErased: Type.Integer(),
    warningsSent: Type.Integer(),
    lookedAfterChildrenDue: Type.Integer(),
    lookedAfterChildrenErased: Type.Integer(),
  }),
});
