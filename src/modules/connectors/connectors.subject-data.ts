import type { SubjectDataSource } from '../privacy/subject-data.ts';
import * as repository from './connectors.repository.ts';

// That a pupil's record came through the school's MIS connector is data about them (an access bundle
// says so); the row goes with the pupil on erasure.

export const connectorsSubjectData: SubjectDataSource = {
  module: 'connectors',
  tables: ['connector_pupils'],
  async export({ trx, schoolId, pupilId }) {
    const rows = await repository.connectorsOfPupil(trx, schoolId, pupilId);
    return {
      synced_from_mis: rows.map((row) => ({
        connector: row.kind,
        connectedAt: row.created_at.toISOString(),
      })),
    };
  },
};
