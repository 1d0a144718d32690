import type { Template } from './columns.ts';
import type { Selectable, Transaction } from 'kysely';
import { Check } from 'typebox/value';
import { ImportReportSchema } from './imports.schema.ts';
import type { ImportReport } from './report.ts';
import type { DB } from '../../database.ts';
import type { ImportsTable, ImportStatus } from './imports.tables.ts';

export interface ImportRow {
  id: string;
  format: string;
  status: ImportStatus;
  fileSize: number;
  counts: Record<string, number>;
  /** The validation report (absent only if a stored one no longer matches the report's shape). */
  report: ImportReport | undefined;
  createdBy: string;
  createdAt: Date;
  committedAt: Date | null;
}

export async function insertImport(
  trx: Transaction<DB>,
  entry: {
    schoolId: string;
    format: string;
    fileDigest: Buffer;
    fileSize: number;
    status: ImportStatus;
    counts: Record<string, number>;
    report: unknown;
    createdBy: string;
  },
): Promise<string> {
  const row = await trx
    .insertInto('imports')
    .values({
      school_id: entry.schoolId,
      format: entry.format,
      file_digest: entry.fileDigest,
      file_size: entry.fileSize,
      status: entry.status,
      counts: JSON.stringify(entry.counts),
      report: JSON.stringify(entry.report),
      created_by: entry.createdBy,
      committed_at: entry.status === 'committed' ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishImport(
  trx: Transaction<DB>,
  schoolId: string,
  importId: string,
  counts: Record<string, number>,
): Promise<void> {
  await trx
    .updateTable('imports')
    .set({ status: 'committed', counts: JSON.stringify(counts), committed_at: new Date() })
    .where('school_id', '=', schoolId)
    .where('id', '=', importId)
    .execute();
}

function countsOf(value: unknown): Record<string, number> {
  const counts: Record<string, number> = {};
  if (typeof value === 'object' && value !== null) {
    for (const [name, count] of Object.entries(value)) {
      if (typeof count === 'number') {
        counts[name] = count;
      }
    }
  }
  return counts;
}

export async function listImports(
  trx: Transaction<DB>,
  schoolId: string,
  limit: number,
): Promise<ImportRow[]> {
  const rows = await trx
    .selectFrom('imports')
    .selectAll()
    .where('school_id', '=', schoolId)
    .orderBy('created_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toImportRow);
}

function toImportRow(row: Selectable<ImportsTable>): ImportRow {
  return {
    id: row.id,
    format: row.format,
    status: row.status,
    fileSize: Number(row.file_size),
    counts: countsOf(row.counts),
    report: Check(ImportReportSchema, row.report) ? row.report : undefined,
    createdBy: row.created_by,
    createdAt: row.created_at,
    committedAt: row.committed_at,
  };
}

export async function findImport(
  trx: Transaction<DB>,
  schoolId: string,
  importId: string,
): Promise<ImportRow | undefined> {
  const row = await trx
    .selectFrom('imports')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', '=', importId)
    .executeTakeFirst();
  return row === undefined ? undefined : toImportRow(row);
}

/** Moves an import from one of `from` to `to`; false when it was not in one of those states. */
export async function moveStatus(
  trx: Transaction<DB>,
  schoolId: string,
  importId: string,
  from: ImportStatus[],
  to: ImportStatus,
): Promise<boolean> {
  const result = await trx
    .updateTable('imports')
    .set({ status: to })
    .where('school_id', '=', schoolId)
    .where('id', '=', importId)
    .where('status', 'in', from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function updateValidation(
  trx: Transaction<DB>,
  schoolId: string,
  importId: string,
  entry: { format: string; status: ImportStatus; counts: Record<string, number>; report: unknown },
): Promise<void> {
  await trx
    .updateTable('imports')
    .set({
      format: entry.format,
      status: entry.status,
      counts: JSON.stringify(entry.counts),
      report: JSON.stringify(entry.report),
    })
    .where('school_id', '=', schoolId)
    .where('id', '=', importId)
    .execute();
}

export async function insertUpload(
  trx: Transaction<DB>,
  upload: {
    schoolId: string;
    importId: string;
    fileKind: 'csv' | 'xlsx' | 'xml' | 'zip';
    content: Buffer;
    options: unknown;
    expiresAt: Date;
  },
): Promise<void> {
  await trx
    .insertInto('import_uploads')
    .values({
      school_id: upload.schoolId,
      import_id: upload.importId,
      file_kind: upload.fileKind,
      content: upload.content,
      options: JSON.stringify(upload.options),
      expires_at: upload.expiresAt,
    })
    .execute();
}

export async function findUpload(
  trx: Transaction<DB>,
  schoolId: string,
  importId: string,
): Promise<
  { fileKind: 'csv' | 'xlsx' | 'xml' | 'zip'; content: Buffer; options: unknown; expiresAt: Date } | undefined
> {
  const row = await trx
    .selectFrom('import_uploads')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('import_id', '=', importId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { fileKind: row.file_kind, content: row.content, options: row.options, expiresAt: row.expires_at };
}

export async function updateUploadOptions(
  trx: Transaction<DB>,
  schoolId: string,
  importId: string,
  options: unknown,
): Promise<void> {
  await trx
    .updateTable('import_uploads')
    .set({ options: JSON.stringify(options) })
    .where('school_id', '=', schoolId)
    .where('import_id', '=', importId)
    .execute();
}

export async function deleteUpload(
  trx: Transaction<DB>,
  schoolId: string,
  importId: string,
): Promise<boolean> {
  const result = await trx
    .deleteFrom('import_uploads')
    .where('school_id', '=', schoolId)
    .where('import_id', '=', importId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Uploads past their expiry (abandoned between validation and commit). */
export async function expiredUploads(trx: Transaction<DB>, schoolId: string, now: Date): Promise<string[]> {
  const rows = await trx
    .selectFrom('import_uploads')
    .select('import_id')
    .where('school_id', '=', schoolId)
    .where('expires_at', '<', now)
    .execute();
  return rows.map((row) => row.import_id);
}

/** Imports left 'committing' by a process that stopped: their transaction never committed. */
export async function resetInterrupted(trx: Transaction<DB>): Promise<number> {
  const result = await trx
    .updateTable('imports')
    .set({ status: 'validated' })
    .where('status', '=', 'committing')
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A column mapping saved by the school for its own file layout. */
export async function saveColumnMapping(
  trx: Transaction<DB>,
  schoolId: string,
  mapping: { name: string; template: Template; columns: Record<string, string | null> },
): Promise<void> {
  await trx
    .insertInto('column_mappings')
    .values({
      school_id: schoolId,
      name: mapping.name,
      template: mapping.template,
      columns: JSON.stringify(mapping.columns),
    })
    .onConflict((conflict) =>
      conflict.columns(['school_id', 'name']).doUpdateSet((eb) => ({
        template: eb.ref('excluded.template'),
        columns: eb.ref('excluded.columns'),
      })),
    )
    .execute();
}

export async function columnMappings(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<Array<{ name: string; template: Template; columns: unknown; createdAt: Date }>> {
  const rows = await trx
    .selectFrom('column_mappings')
    .select(['name', 'template', 'columns', 'created_at'])
    .where('school_id', '=', schoolId)
    .orderBy('name')
    .execute();
  return rows.map((row) => ({
    name: row.name,
    template: row.template,
    columns: row.columns,
    createdAt: row.created_at,
  }));
}

export async function deleteColumnMapping(
  trx: Transaction<DB>,
  schoolId: string,
  name: string,
): Promise<boolean> {
  const result = await trx
    .deleteFrom('column_mappings')
    .where('school_id', '=', schoolId)
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The imports that wrote something about a pupil (its record, prior attainment or grades), oldest first. */
export async function importsAboutPupil(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<Array<{ id: string; format: string; created_at: Date; committed_at: Date | null }>> {
  return trx
    .selectFrom('imports')
    .select(['id', 'format', 'created_at', 'committed_at'])
    .where('school_id', '=', schoolId)
    .where((eb) =>
      eb.or([
        eb('id', 'in', eb.selectFrom('pupils').select('last_import_id').where('id', '=', pupilId)),
        eb('id', 'in', eb.selectFrom('prior_attainment').select('import_id').where('pupil_id', '=', pupilId)),
        eb(
          'id',
          'in',
          eb
            .selectFrom('results')
            .select('import_id')
            .where('school_id', '=', schoolId)
            .where('pupil_id', '=', pupilId),
        ),
      ]),
    )
    .orderBy('created_at')
    .execute();
}

/** Uploads still kept (each a whole file, so about many pupils) and when they go. */
export async function keptUploads(
  trx: Transaction<DB>,
  schoolId: string,
): Promise<Array<{ import_id: string; expires_at: Date }>> {
  return trx
    .selectFrom('import_uploads')
    .select(['import_id', 'expires_at'])
    .where('school_id', '=', schoolId)
    .execute();
}
