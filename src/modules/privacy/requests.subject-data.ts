import * as requests from './requests.repository.ts';
import type { SubjectDataSource } from './subject-data.ts';

// The pupil's own history of requests and the limits on processing that are in force for them.

export const requestsSubjectData: SubjectDataSource = {
  module: 'privacy',
  tables: ['privacy_requests', 'privacy_request_events', 'processing_limits'],
  async export({ trx, schoolId, pupilId }) {
    const asked = await requests.requestsAboutSubject(trx, schoolId, pupilId);
    const limits = await requests.limitsOfPupil(trx, schoolId, pupilId);
    return {
      requests: asked.map((row) => ({
        reference: row.reference,
        kind: row.kind,
        status: row.status,
        receivedOn: row.received_on,
        dueOn: row.due_on,
        closedAt: row.closed_at?.toISOString() ?? null,
      })),
      processing_limits: limits.map((limit) => ({
        kind: limit.kind,
        purpose: limit.purpose,
        since: limit.created_at.toISOString(),
      })),
    };
  },
};
