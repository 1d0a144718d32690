import { csvDownload } from '../../platform/http/csv.ts';
import { recordAudit, searchAudit, type AuditFilter } from '../../platform/audit/audit-log.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';

export interface AuditEventView {
  seq: number;
  id: string;
  occurredAt: string;
  actorType: string;
  actorId: string;
  action: string;
  outcome: string;
  target: string | null;
  subjectIds: string[];
  requestId: string | null;
  details: Record<string, string | number | boolean | null>;
}

export interface AuditQueryInput {
  actor?: string | undefined;
  pupil?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  page: number;
  perPage: number;
}

/** A page of the school's audit log, newest first. Reading the log is itself recorded. */
export async function readSchoolAudit(
  services: Services,
  who: SignedIn,
  schoolId: string,
  query: AuditQueryInput,
  requestId: string,
): Promise<{ events: AuditEventView[]; total: number }> {
  const filter: AuditFilter = {
    actorId: query.actor,
    subjectId: query.pupil,
    action: query.action,
    from: query.from === undefined ? undefined : new Date(`${query.from}T00:00:00Z`),
    // "to" names the last day included.
    to:
      query.to === undefined ? undefined : new Date(new Date(`${query.to}T00:00:00Z`).getTime() + 86_400_000),
  };
  return services.db.withSchool(schoolId, async (trx) => {
    const { events, total } = await searchAudit(trx, schoolId, filter, {
      offset: (query.page - 1) * query.perPage,
      limit: query.perPage,
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'audit.read',
      requestId,
      details: { results: events.length, page: query.page },
    });
    return {
      total,
      events: events.map((row) => ({
        seq: Number(row.seq),
        id: row.id,
        occurredAt: row.occurred_at.toISOString(),
        actorType: row.actor_type,
        actorId: row.actor_id,
        action: row.action,
        outcome: row.outcome,
        target: row.target,
        subjectIds: row.subject_ids,
        requestId: row.request_id,
        details: row.details,
      })),
    };
  });
}

const CSV_COLUMNS = [
  'seq',
  'occurredAt',
  'actorType',
  'actorId',
  'action',
  'outcome',
  'target',
  'subjectIds',
  'requestId',
  'details',
] as const;

/** RFC 4180 CSV of audit events. */
export function auditCsv(events: AuditEventView[]): string {
  return csvDownload(
    CSV_COLUMNS,
    events.map((event) =>
      CSV_COLUMNS.map((column) => (column === 'subjectIds' ? event.subjectIds.join(' ') : event[column])),
    ),
  );
}
