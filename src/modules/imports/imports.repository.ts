import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { ImportStatus } from './imports.tables.ts';

export interface ImportRow {
  id: string;
  format: string;
  status: ImportStatus;
  fileSize: number;
  counts: Record<string, number>;
  report: unknown;
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
  return rows.map((row) => ({
    id: row.id,
    format: row.format,
    status: row.status,
    fileSize: Number(row.file_size),
    counts: countsOf(row.counts),
    report: row.report,
    createdBy: row.created_by,
    createdAt: row.created_at,
    committedAt: row.committed_at,
  }));
}
