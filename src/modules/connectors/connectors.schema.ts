import { Type, type TSchema } from 'typebox';
import { CATEGORIES } from './categories.ts';

// The connectors API's shapes. Response schemas are allow-lists: the connector token appears only in
// the answers that create it, the OneRoster client secret never.

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Category = Type.Union(CATEGORIES.map((category) => Type.Literal(category.id)));

export const SchoolParams = Type.Object({ schoolId: Uuid });

export const SetupBody = Type.Object({
  kind: Type.Union([Type.Literal('drop_folder'), Type.Literal('oneroster')]),
  categories: Type.Array(Category, { maxItems: 20 }),
  schedule: Type.Optional(
    Type.String({
      minLength: 9,
      maxLength: 100,
      description: 'cron pattern, England time; default nightly 02:00',
    }),
  ),
  oneroster: Type.Optional(
    Type.Object({
      baseUrl: Type.String({
        maxLength: 500,
        description: 'e.g. https://mis.example/ims/oneroster/rostering/v1p2',
      }),
      tokenUrl: Type.String({ maxLength: 500 }),
      clientId: Type.String({ minLength: 1, maxLength: 200 }),
      clientSecret: Type.String({ minLength: 1, maxLength: 500 }),
    }),
  ),
});

const SyncError = Type.Object({
  row: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.String()),
  field: Type.Optional(Type.String()),
  message: Type.String(),
});

export const SyncView = Type.Object({
  id: Type.String(),
  trigger: Type.String(),
  mode: Type.String(),
  status: Type.String({ description: 'succeeded, unchanged, refused (the export has errors) or failed' }),
  counts: Type.Record(Type.String(), Type.Integer(), { description: 'added, changed, left, unchanged' }),
  errors: Type.Array(SyncError),
  message: Nullable(Type.String()),
  startedAt: Type.String(),
});

export const ConnectorView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String({ description: 'active, or disconnected (waiting for its deletion day)' }),
  categories: Type.Array(Type.String()),
  schedule: Type.String(),
  dropFolder: Nullable(Type.String()),
  oneroster: Nullable(
    Type.Object({ baseUrl: Type.String(), tokenUrl: Type.String(), clientId: Type.String() }),
  ),
  createdAt: Type.String(),
  disconnectedAt: Nullable(Type.String()),
  deletionDueOn: Nullable(Type.String()),
  syncs: Type.Array(SyncView),
});

export const CategoryView = Type.Object({
  id: Type.String(),
  title: Type.String(),
  why: Type.String(),
  required: Type.Boolean(),
  default: Type.Boolean(),
});

export const ConnectorPage = Type.Object({
  connector: Nullable(ConnectorView),
  categories: Type.Array(CategoryView),
});

export const ConnectorWithToken = Type.Object({
  connector: ConnectorView,
  token: Type.String({ description: 'The connector token, shown this once: Haven keeps only its digest' }),
});

export const SyncOutcome = Type.Object({
  sync: Nullable(SyncView),
});

export const UploadHeaders = Type.Object({
  'x-file-name': Type.Optional(Type.String({ maxLength: 200 })),
});
