import { Type, type Static } from 'typebox';

export const SchoolParams = Type.Object({ schoolId: Type.String({ format: 'uuid' }) });
export const ImportParams = Type.Object({
  schoolId: Type.String({ format: 'uuid' }),
  importId: Type.String({ format: 'uuid' }),
});
export const MappingParams = Type.Object({
  schoolId: Type.String({ format: 'uuid' }),
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[\\w .()-]+$' }),
});

const Name = Type.String({ minLength: 1, maxLength: 200 });

// Null before string in unions: the validator coerces types, and would turn null into "" otherwise.

/** How to read a file: layout, the school's column and subject names, identifier choices. */
export const ImportOptionsSchema = Type.Object({
  template: Type.Optional(
    Type.Union([Type.Literal('pupils'), Type.Literal('results'), Type.Literal('marksheet')]),
  ),
  assessmentPoint: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  columns: Type.Optional(
    Type.Record(Type.String({ maxLength: 200 }), Type.Union([Type.Null(), Type.String({ maxLength: 60 })]), {
      description: 'File header → Haven field, or null to leave the column out',
    }),
  ),
  subjects: Type.Optional(
    Type.Record(Type.String({ maxLength: 200 }), Type.String({ pattern: '^[a-z_]+$', maxLength: 60 }), {
      description: 'The school’s subject name → catalogue subject code',
    }),
  ),
  pseudonymousUpn: Type.Boolean({ default: false }),
  noNames: Type.Boolean({ default: false }),
});
export type ImportOptionsBody = Static<typeof ImportOptionsSchema>;

const Issue = Type.Object({
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning')]),
  row: Type.Optional(Type.Integer()),
  path: Type.Optional(Type.String()),
  column: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
  value: Type.Optional(Type.String()),
  message: Type.String(),
});

export const ImportReportSchema = Type.Object({
  format: Type.String(),
  counts: Type.Record(Type.String(), Type.Integer()),
  errors: Type.Array(Issue),
  warnings: Type.Array(Issue),
  omitted: Type.Object({ errors: Type.Integer(), warnings: Type.Integer() }),
  droppedColumns: Type.Array(Type.String()),
  mappedColumns: Type.Record(Type.String(), Type.String()),
});

export const StagedResponse = Type.Object({
  importId: Type.String({ format: 'uuid' }),
  status: Type.Union([Type.Literal('validated'), Type.Literal('refused')]),
  report: ImportReportSchema,
});

const Status = Type.Union([
  Type.Literal('validated'),
  Type.Literal('refused'),
  Type.Literal('committing'),
  Type.Literal('committed'),
  Type.Literal('failed'),
  Type.Literal('discarded'),
]);

export const ImportSummary = Type.Object({
  id: Type.String({ format: 'uuid' }),
  format: Type.String(),
  status: Status,
  fileSize: Type.Integer(),
  counts: Type.Record(Type.String(), Type.Integer()),
  errors: Type.Integer(),
  warnings: Type.Integer(),
  createdBy: Type.String({ description: 'user:<id> or cli:…' }),
  createdAt: Type.String({ format: 'date-time' }),
  committedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const ImportDetail = Type.Intersect([
  ImportSummary,
  Type.Object({
    report: Type.Union([ImportReportSchema, Type.Object({})]),
    progressRows: Type.Optional(Type.Integer({ description: 'Rows written so far while committing' })),
  }),
]);

export const CommitResponse = Type.Object({
  importId: Type.String({ format: 'uuid' }),
  status: Type.Literal('committing'),
});

export const ColumnMappingBody = Type.Object({
  template: Type.Union([Type.Literal('pupils'), Type.Literal('results'), Type.Literal('marksheet')]),
  columns: Type.Record(
    Type.String({ maxLength: 200 }),
    Type.Union([Type.Null(), Type.String({ maxLength: 60 })]),
  ),
});

export const ColumnMapping = Type.Object({
  name: Name,
  template: Type.String(),
  columns: Type.Record(Type.String(), Type.Union([Type.Null(), Type.String()])),
  createdAt: Type.String({ format: 'date-time' }),
});

export const TemplateFields = Type.Array(
  Type.Object({
    template: Type.String(),
    fields: Type.Array(
      Type.Object({ field: Type.String(), identifier: Type.Boolean(), headers: Type.Array(Type.String()) }),
    ),
  }),
);

export const PreviewResponse = Type.Object({
  template: Type.String(),
  format: Type.String(),
  rows: Type.Array(
    Type.Object({
      row: Type.Integer({ description: 'Line in the file, or the pupil’s place in a CTF' }),
      values: Type.Record(
        Type.String(),
        Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
      ),
    }),
  ),
});
