import { auditAboutSubject } from '../../platform/audit/audit-log.ts';
import type { SubjectDataSource } from '../privacy/subject-data.ts';

// Disclosures: which apps received the pupil's data, what and when (from the school's audit log, where
// every app read is recorded with the pupils it returned). The app's name is added by the bundle, which
// reads the registry outside the school's transaction.

export const appsSubjectData: SubjectDataSource = {
  module: 'apps',
  tables: [],
  async export({ trx, schoolId, pupilId }) {
    const events = await auditAboutSubject(trx, schoolId, pupilId, 'app');
    return {
      disclosures: events.map((event) => ({
        appClientId: event.actor_id,
        resource: event.target,
        at: event.occurred_at.toISOString(),
      })),
    };
  },
};
