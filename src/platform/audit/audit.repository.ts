import { sql, type Selectable, type Transaction } from 'kysely';
import type { ActorType, AuditCheckpointsTable, AuditEventsTable, AuditTables } from './audit.tables.ts';
import { GENESIS_HASH, type ChainedEvent } from './chain.ts';

// The only file of the audit layer that touches Kysely.
type Trx = Transaction<AuditTables>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type CheckpointRow = Selectable<AuditCheckpointsTable>;

/**
 * Locks the organisation's chain head for this transaction (creating it on first use) and reads it, in
 * one statement: the head stays locked until commit, so every audited request pays for each statement
 * that runs while it holds the lock.
 */
export async function lockHead(trx: Trx, orgId: string): Promise<{ seq: number; hash: Buffer }> {
  const head = await trx
    .insertInto('audit_heads')
    .values({ org_id: orgId, seq: 0, hash: GENESIS_HASH })
    // A no-op update takes the row lock that `select … for update` would, and returns the row.
    .onConflict((conflict) =>
      conflict.column('org_id').doUpdateSet((eb) => ({ seq: eb.ref('audit_heads.seq') })),
    )
    .returning(['seq', 'hash'])
    .executeTakeFirstOrThrow();
  return { seq: Number(head.seq), hash: head.hash };
}

/** Writes the event and moves the head to it, in one statement. */
export async function appendEvent(trx: Trx, event: ChainedEvent, hash: Buffer): Promise<void> {
  await trx
    .with('appended', (db) =>
      db.insertInto('audit_events').values({
        org_id: event.orgId,
        seq: event.seq,
        id: event.id,
        occurred_at: event.occurredAt,
        actor_type: event.actorType,
        actor_id: event.actorId,
        action: event.action,
        outcome: event.outcome,
        target: event.target,
        subject_ids: [...event.subjectIds],
        request_id: event.requestId,
        details: JSON.stringify(event.details),
        prev_hash: event.prevHash,
        hash,
      }),
    )
    .updateTable('audit_heads')
    .set({ seq: event.seq, hash })
    .where('org_id', '=', event.orgId)
    .execute();
}

/** Organisations with a chain (platform context: all of them). */
export async function chainHeads(trx: Trx): Promise<Array<{ orgId: string; seq: number; hash: Buffer }>> {
  const rows = await trx.selectFrom('audit_heads').selectAll().orderBy('org_id').execute();
  return rows.map((row) => ({ orgId: row.org_id, seq: Number(row.seq), hash: row.hash }));
}

/** Events of one organisation after `afterSeq`, in order, a batch at a time. */
export async function eventsAfter(
  trx: Trx,
  orgId: string,
  afterSeq: number,
  limit: number,
): Promise<AuditEventRow[]> {
  return trx
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export async function checkpoints(trx: Trx, orgId: string): Promise<CheckpointRow[]> {
  return trx.selectFrom('audit_checkpoints').selectAll().where('org_id', '=', orgId).orderBy('seq').execute();
}

export async function insertCheckpoint(
  trx: Trx,
  checkpoint: { orgId: string; seq: number; hash: Buffer; keyId: string; signature: Buffer },
): Promise<boolean> {
  const result = await trx
    .insertInto('audit_checkpoints')
    .values({
      org_id: checkpoint.orgId,
      seq: checkpoint.seq,
      hash: checkpoint.hash,
      key_id: checkpoint.keyId,
      signature: checkpoint.signature,
    })
    .onConflict((conflict) => conflict.columns(['org_id', 'seq']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export interface AuditFilter {
  actorId?: string | undefined;
  subjectId?: string | undefined;
  /** An action, or a prefix ending in '.' (e.g. 'auth.'). */
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** One organisation's events matching the filter, newest first, one page; plus the total count. */
export async function searchEvents(
  trx: Trx,
  orgId: string,
  filter: AuditFilter,
  page: { offset: number; limit: number },
): Promise<{ rows: AuditEventRow[]; total: number }> {
  let query = trx.selectFrom('audit_events').where('org_id', '=', orgId);
  if (filter.actorId !== undefined) {
    query = query.where('actor_id', '=', filter.actorId);
  }
  if (filter.subjectId !== undefined) {
    const subjectId = filter.subjectId;
    query = query.where((eb) => eb(eb.val(subjectId), '=', eb.fn.any('subject_ids')));
  }
  if (filter.action !== undefined) {
    query = filter.action.endsWith('.')
      ? query.where('action', 'like', `${filter.action.replaceAll('%', '').replaceAll('_', '\\_')}%`)
      : query.where('action', '=', filter.action);
  }
  if (filter.from !== undefined) {
    query = query.where('occurred_at', '>=', filter.from);
  }
  if (filter.to !== undefined) {
    query = query.where('occurred_at', '<', filter.to);
  }
  const total = await query.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy('seq', 'desc').offset(page.offset).limit(page.limit).execute();
  return { rows, total: Number(total.count) };
}

/** Events of one organisation naming a data subject, oldest first (optionally by one kind of actor). */
export async function eventsAboutSubject(
  trx: Trx,
  orgId: string,
  subjectId: string,
  actorType?: ActorType,
): Promise<AuditEventRow[]> {
  let query = trx
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', orgId)
    .where(sql<boolean>`subject_ids @> array[${subjectId}]::uuid[]`);
  if (actorType !== undefined) {
    query = query.where('actor_type', '=', actorType);
  }
  return query.orderBy('seq').execute();
}

/** Events of one organisation done by one actor, oldest first. */
export async function eventsByActor(trx: Trx, orgId: string, actorId: string): Promise<AuditEventRow[]> {
  return trx
    .selectFrom('audit_events')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('actor_id', '=', actorId)
    .orderBy('seq')
    .execute();
}
