import type { Insertable, Selectable, Transaction, Updateable } from 'kysely';
import type { DB } from '../../database.ts';
import type { ConnectorsTable, ConnectorSyncsTable, SyncError } from './connectors.tables.ts';

// The only place the connectors module touches Kysely. Every method takes the transaction and the school
// id; the cross-school reads (for the scheduler) run in the platform context and say so.

export type ConnectorRow = Selectable<ConnectorsTable>;
export type SyncRow = Selectable<ConnectorSyncsTable>;

export async function connectorOf(trx: Transaction<DB>, schoolId: string): Promise<ConnectorRow | undefined> {
  return trx
    .selectFrom('connectors')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('status', '<>', 'deleted')
    .executeTakeFirst();
}

/** Replaces a deleted connector's row, or inserts the school's first. */
export async function saveConnector(trx: Transaction<DB>, row: Insertable<ConnectorsTable>): Promise<void> {
  await trx.deleteFrom('connectors').where('school_id', '=', row.school_id).execute();
  await trx.insertInto('connectors').values(row).execute();
}

export async function updateConnector(
  trx: Transaction<DB>,
  schoolId: string,
  id: string,
  changes: Updateable<ConnectorsTable>,
): Promise<void> {
  await trx
    .updateTable('connectors')
    .set(changes)
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute();
}

export interface SyncRecord {
  connectorId: string;
  trigger: ConnectorSyncsTable['trigger'];
  mode: ConnectorSyncsTable['mode'];
  status: ConnectorSyncsTable['status'];
  importId: string | null;
  fileDigest: Buffer | null;
  counts: Record<string, number>;
  errors: SyncError[];
  message: string | null;
  startedAt: Date;
}

export async function insertSync(trx: Transaction<DB>, schoolId: string, sync: SyncRecord): Promise<string> {
  const row = await trx
    .insertInto('connector_syncs')
    .values({
      school_id: schoolId,
      connector_id: sync.connectorId,
      trigger: sync.trigger,
      mode: sync.mode,
      status: sync.status,
      import_id: sync.importId,
      file_digest: sync.fileDigest,
      counts: JSON.stringify(sync.counts),
      errors: JSON.stringify(sync.errors),
      message: sync.message,
      started_at: sync.startedAt,
      finished_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function recentSyncs(
  trx: Transaction<DB>,
  schoolId: string,
  connectorId: string,
  limit: number,
): Promise<SyncRow[]> {
  return trx
    .selectFrom('connector_syncs')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('connector_id', '=', connectorId)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
}

/** The digest of the last file a sync read (committed, unchanged or refused): not read again on schedule. */
export async function lastDigest(
  trx: Transaction<DB>,
  schoolId: string,
  connectorId: string,
): Promise<Buffer | undefined> {
  const row = await trx
    .selectFrom('connector_syncs')
    .select('file_digest')
    .where('school_id', '=', schoolId)
    .where('connector_id', '=', connectorId)
    .where('file_digest', 'is not', null)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.file_digest ?? undefined;
}

/** When the last full sync that was not refused started. */
export async function lastFullSync(
  trx: Transaction<DB>,
  schoolId: string,
  connectorId: string,
): Promise<Date | undefined> {
  const row = await trx
    .selectFrom('connector_syncs')
    .select('started_at')
    .where('school_id', '=', schoolId)
    .where('connector_id', '=', connectorId)
    .where('mode', '=', 'full')
    .where('status', 'in', ['succeeded', 'unchanged'])
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.started_at;
}

export async function addConnectorPupils(
  trx: Transaction<DB>,
  schoolId: string,
  connectorId: string,
  pupilIds: Iterable<string>,
): Promise<void> {
  const rows = [...pupilIds].map((pupilId) => ({
    school_id: schoolId,
    connector_id: connectorId,
    pupil_id: pupilId,
  }));
  for (let start = 0; start < rows.length; start += 1000) {
    await trx
      .insertInto('connector_pupils')
      .values(rows.slice(start, start + 1000))
      .onConflict((conflict) => conflict.doNothing())
      .execute();
  }
}

export async function connectorPupilIds(
  trx: Transaction<DB>,
  schoolId: string,
  connectorId: string,
): Promise<string[]> {
  const rows = await trx
    .selectFrom('connector_pupils')
    .select('pupil_id')
    .where('school_id', '=', schoolId)
    .where('connector_id', '=', connectorId)
    .execute();
  return rows.map((row) => row.pupil_id);
}

/** Platform context: every school's connector that is active or waiting for its deletion day. */
export async function allConnectors(
  trx: Transaction<DB>,
): Promise<
  Array<
    Pick<
      ConnectorRow,
      | 'school_id'
      | 'id'
      | 'kind'
      | 'schedule'
      | 'status'
      | 'deletion_due_on'
      | 'created_at'
      | 'stale_notified_at'
      | 'disconnected_at'
    > & { last_sync: Date | null; last_success: Date | null }
  >
> {
  return trx
    .selectFrom('connectors as c')
    .select((eb) => [
      'c.school_id',
      'c.id',
      'c.kind',
      'c.schedule',
      'c.status',
      'c.deletion_due_on',
      'c.created_at',
      'c.stale_notified_at',
      'c.disconnected_at',
      eb
        .selectFrom('connector_syncs as s')
        .select((inner) => inner.fn.max('s.started_at').as('at'))
        .whereRef('s.connector_id', '=', 'c.id')
        .as('last_sync'),
      eb
        .selectFrom('connector_syncs as s')
        .select((inner) => inner.fn.max('s.started_at').as('at'))
        .whereRef('s.connector_id', '=', 'c.id')
        .where('s.status', 'in', ['succeeded', 'unchanged'])
        .where('s.file_digest', 'is not', null)
        .as('last_success'),
    ])
    .where('c.status', 'in', ['active', 'disconnected'])
    .orderBy('c.school_id')
    .execute();
}

/** The connectors that synced this pupil (for the pupil's access bundle). */
export async function connectorsOfPupil(
  trx: Transaction<DB>,
  schoolId: string,
  pupilId: string,
): Promise<Array<{ kind: string; created_at: Date }>> {
  return trx
    .selectFrom('connector_pupils as p')
    .innerJoin('connectors as c', 'c.id', 'p.connector_id')
    .select(['c.kind', 'c.created_at'])
    .where('p.school_id', '=', schoolId)
    .where('p.pupil_id', '=', pupilId)
    .execute();
}
