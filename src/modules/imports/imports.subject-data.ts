import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import type { SubjectDataSource } from '../privacy/subject-data.ts';
import * as imports from './imports.repository.ts';

// Where a pupil's data came from (the source a subject access answer must name): the imports that
// wrote their record or grades. Uploads still waiting to be committed are whole files about many
// pupils, so an erasure lists them rather than editing them.

export const importsSubjectData: SubjectDataSource = {
  module: 'imports',
  tables: ['imports', 'import_uploads'],
  async export({ trx, schoolId, pupilId }) {
    const rows = await imports.importsAboutPupil(trx, schoolId, pupilId);
    return {
      sources: rows.map((row) => ({
        importId: row.id,
        format: row.format,
        received: row.created_at.toISOString(),
        committed: row.committed_at?.toISOString() ?? null,
      })),
    };
  },
  async shared({ trx, schoolId }) {
    const kept = await imports.keptUploads(trx, schoolId);
    return kept.map((upload) => ({
      source: 'imports',
      description: `Uploaded file of import ${upload.import_id}, kept encrypted until it is imported or discarded; it may hold this pupil’s row among others.`,
      fate: `Deleted automatically on ${upload.expires_at.toISOString().slice(0, 10)}; discard the import to delete it now.`,
    }));
  },
};

/** How many uploads are waiting to be imported or discarded (each may hold any pupil's row). */
export async function waitingUploads(trx: Transaction<DB>, schoolId: string): Promise<number> {
  return (await imports.keptUploads(trx, schoolId)).length;
}
