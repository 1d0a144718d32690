import { Type } from 'typebox';

// What the operator sees of backups: file names, sizes, checksums and outcomes. No key material, no
// school's data; the allow-list below is all that leaves the server.

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const BackupEntry = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  trigger: Type.Union([Type.Literal('scheduled'), Type.Literal('operator'), Type.Literal('cli')]),
  database: Type.Union([Type.Literal('embedded'), Type.Literal('postgres')]),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.String({ format: 'date-time' }),
  outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  bytes: Nullable(Type.Integer()),
  sha256: Nullable(Type.String()),
  error: Nullable(Type.String()),
  removedAt: Nullable(Type.String({ format: 'date-time' })),
});

export const RestoreTestEntry = Type.Object({
  fileName: Type.String(),
  testedAt: Type.String({ format: 'date-time' }),
  outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  tables: Nullable(Type.Integer()),
  error: Nullable(Type.String()),
});

export const BackupsResponse = Type.Object({
  directory: Type.String(),
  keep: Type.Integer(),
  schedule: Nullable(Type.String({ description: 'cron pattern, Europe/London; null when off' })),
  backups: Type.Array(BackupEntry),
  lastRestoreTest: Nullable(RestoreTestEntry),
  lastSuccessfulRestoreTest: Nullable(RestoreTestEntry),
});

export const BackupTakenResponse = Type.Object({
  id: Type.String(),
  fileName: Type.String(),
  bytes: Type.Integer(),
  sha256: Type.String(),
  removed: Type.Array(Type.String()),
});
