import { Type } from 'typebox';

// Response schemas are allow-lists: the record carries categories, counts, apps, rules and measures,
// never a pupil's data.

export const SchoolParams = Type.Object({ schoolId: Type.String({ format: 'uuid' }) });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Sensitivity = Type.Union([
  Type.Literal('personal'),
  Type.Literal('sensitive'),
  Type.Literal('special_category'),
]);

export const Processor = Type.Object({ name: Nullable(Type.String()), contact: Nullable(Type.String()) });

const RegionView = Type.Object({
  code: Type.String(),
  name: Type.String(),
  location: Nullable(Type.String()),
  basis: Type.Union([Type.Literal('uk'), Type.Literal('eea'), Type.Literal('adequacy')]),
  words: Type.String(),
});

export const Transfers = Type.Object({
  storage: Nullable(RegionView),
  backups: Nullable(RegionView),
  statement: Type.String(),
  allowedListCompiled: Type.String(),
});

export const SecurityMeasures = Type.Array(Type.Object({ measure: Type.String(), detail: Type.String() }));

const Category = Type.Object({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  sensitivity: Sensitivity,
  encrypted: Type.Boolean(),
  records: Type.Integer(),
});

export const SchoolRopaResponse = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  processor: Processor,
  controller: Type.Object({ id: Type.String(), name: Type.String(), urn: Nullable(Type.String()) }),
  activities: Type.Array(Type.String()),
  dataSubjects: Type.Array(Type.String()),
  categories: Type.Array(Category),
  notHeld: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  recipients: Type.Array(
    Type.Object({
      app: Type.String(),
      purpose: Type.String(),
      approvedAt: Type.String({ format: 'date-time' }),
      scopes: Type.Array(
        Type.Object({ scope: Type.String(), title: Type.String(), sensitivity: Type.String() }),
      ),
    }),
  ),
  retention: Type.Array(
    Type.Object({
      rule: Type.String(),
      category: Type.String(),
      period: Type.String(),
      setBySchool: Type.Boolean(),
      action: Type.String(),
    }),
  ),
  security: SecurityMeasures,
  transfers: Transfers,
});

export const PlatformRopaResponse = Type.Object({
  generatedAt: Type.String({ format: 'date-time' }),
  processor: Processor,
  activities: Type.Array(Type.String()),
  dataSubjects: Type.Array(Type.String()),
  security: SecurityMeasures,
  transfers: Transfers,
  schools: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      status: Type.String(),
      apps: Type.Integer(),
      categories: Type.Array(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          sensitivity: Sensitivity,
          records: Type.Integer(),
        }),
      ),
    }),
  ),
});
