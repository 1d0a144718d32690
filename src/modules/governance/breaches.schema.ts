import { Type, type Static, type TSchema } from 'typebox';
import { BREACH_NATURES, DATA_CATEGORIES, NOTICE_KINDS, PEOPLE_CATEGORIES } from './breaches.tables.ts';

// The breach register's API. Be careful what you expose here: the free text of a breach may describe
// people (it is encrypted at rest); it appears only where a schema names it. Instants go out as ISO
// 8601 and, for reading, as UK time with the zone; countdowns are words as of the response.

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Text = (description: string, maxLength = 5000) => Type.String({ minLength: 1, maxLength, description });
const When = (description: string) =>
  Type.String({
    minLength: 16,
    maxLength: 40,
    description: `${description}: RFC 3339 with an offset, or UK clock time as yyyy-mm-ddThh:mm`,
  });

export const BreachParams = Type.Object({ breachId: Uuid });
export const SchoolParams = Type.Object({ schoolId: Uuid });
export const NoticeParams = Type.Object({ schoolId: Uuid, noticeId: Uuid });

export const NewBreachBody = Type.Object({
  awareAt: When('When the operator discovered the breach (became aware of it)'),
  occurredAt: Type.Optional(When('When it happened, if known')),
  nature: Type.Enum(BREACH_NATURES),
  description: Text('What happened: describe people by category, never by name'),
  peopleCategories: Type.Array(Type.Enum(PEOPLE_CATEGORIES), { minItems: 1, uniqueItems: true }),
  dataCategories: Type.Array(Type.Enum(DATA_CATEGORIES), { minItems: 1, uniqueItems: true }),
  approxPeople: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
  approxRecords: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
  schoolIds: Type.Array(Uuid, { uniqueItems: true, maxItems: 10_000, description: 'Schools affected' }),
  consequences: Text('Likely consequences for the people involved'),
  measuresTaken: Text('Measures taken to deal with it and limit its effects'),
  measuresProposed: Type.Optional(Type.String({ maxLength: 5000 })),
  contact: Text('Who the schools contact: the operator’s DPO or contact point', 500),
});
export type NewBreach = Static<typeof NewBreachBody>;

export const NotificationsBody = Type.Object({
  ico: Type.Enum(['pending', 'notified', 'not_notified']),
  icoToldAt: Type.Optional(When('When the ICO was told')),
  icoReference: Type.Optional(Type.String({ maxLength: 100 })),
  icoReason: Type.Optional(Type.String({ maxLength: 5000, description: 'Why the ICO is not told' })),
  subjects: Type.Enum(['pending', 'told', 'not_told']),
  subjectsToldAt: Type.Optional(When('When the people involved were told')),
  subjectsReason: Type.Optional(Type.String({ maxLength: 5000, description: 'Why they are not told' })),
});
export type NotificationsInput = Static<typeof NotificationsBody>;

export const UpdateBody = Type.Object({
  text: Text('What is new'),
  sendToSchools: Type.Boolean(),
});

export const CloseBody = Type.Object({
  outcome: Text('How it ended'),
  lessons: Text('Lessons learned and changes made'),
  tellSchools: Type.Boolean(),
});

const Clock = Type.Object({
  at: Type.String({ format: 'date-time' }),
  display: Type.String({ description: 'UK time with the zone, e.g. Mon 30 Mar 2026, 10:00 BST' }),
  countdown: Type.String({ description: 'e.g. "31 hours left" or "overdue by 3 hours"' }),
  overdue: Type.Boolean(),
});

export const BreachSummary = Type.Object({
  id: Uuid,
  reference: Type.String(),
  nature: Type.Enum(BREACH_NATURES),
  status: Type.Enum(['open', 'closed']),
  aware: Type.Object({ at: Type.String({ format: 'date-time' }), display: Type.String() }),
  icoDeadline: Clock,
  schoolTarget: Clock,
  icoStatus: Type.Enum(['pending', 'notified', 'not_notified']),
  schoolsAffected: Type.Integer(),
  schoolsNotified: Type.Integer(),
});
export type BreachSummaryView = Static<typeof BreachSummary>;

const Stamp = Nullable(Type.Object({ at: Type.String({ format: 'date-time' }), display: Type.String() }));

export const BreachDetails = Type.Object({
  ...BreachSummary.properties,
  occurred: Stamp,
  description: Type.String(),
  peopleCategories: Type.Array(Type.Enum(PEOPLE_CATEGORIES)),
  dataCategories: Type.Array(Type.Enum(DATA_CATEGORIES)),
  approxPeople: Type.Integer(),
  approxRecords: Type.Integer(),
  consequences: Type.String(),
  measuresTaken: Type.String(),
  measuresProposed: Nullable(Type.String()),
  contact: Type.String(),
  schools: Type.Array(
    Type.Object({
      schoolId: Uuid,
      name: Type.String(),
      notifyBy: Clock,
      notified: Stamp,
      acknowledged: Stamp,
    }),
  ),
  ico: Type.Object({
    status: Type.Enum(['pending', 'notified', 'not_notified']),
    told: Stamp,
    reference: Nullable(Type.String()),
    reason: Nullable(Type.String()),
  }),
  subjects: Type.Object({
    status: Type.Enum(['pending', 'told', 'not_told']),
    told: Stamp,
    reason: Nullable(Type.String()),
  }),
  updates: Type.Array(
    Type.Object({
      id: Uuid,
      text: Type.String(),
      sentToSchools: Type.Boolean(),
      at: Type.String({ format: 'date-time' }),
      display: Type.String(),
    }),
  ),
  closure: Nullable(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      display: Type.String(),
      outcome: Type.String(),
      lessons: Type.String(),
    }),
  ),
});
export type BreachDetailsView = Static<typeof BreachDetails>;

export const SchoolNotice = Type.Object({
  id: Uuid,
  breachId: Uuid,
  kind: Type.Enum(NOTICE_KINDS),
  reference: Type.String(),
  subject: Type.String(),
  sections: Type.Array(Type.Object({ heading: Type.String(), text: Type.String() })),
  sent: Type.Object({ at: Type.String({ format: 'date-time' }), display: Type.String() }),
  acknowledged: Stamp,
});
export type SchoolNoticeView = Static<typeof SchoolNotice>;
