import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import * as repository from './audit.repository.ts';
import type { ActorType, AuditDetails, AuditTables, Outcome } from './audit.tables.ts';
import { eventHash, type ChainedEvent } from './chain.ts';

/** The platform's own chain (operator actions, cross-school work). */
export const PLATFORM_ORG_ID = '00000000-0000-0000-0000-000000000000';

export interface Actor {
  type: ActorType;
  /** A user id, app id or process name: never an e-mail or a name. */
  id: string;
}

export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'haven' };

export interface AuditEvent {
  /** The organisation whose chain records the event: a school's id, or PLATFORM_ORG_ID. */
  orgId: string;
  actor: Actor;
  /** Dotted, lower case: e.g. `auth.sign_in`, `pupils.read`, `keys.rotate_data_key`. */
  action: string;
  outcome?: Outcome;
  /** What was acted on, as `type:id` (pseudonymous ids only). */
  target?: string;
  /** Pseudonymous ids of the data subjects whose data was read or changed. */
  subjectIds?: readonly string[];
  requestId?: string;
  details?: AuditDetails;
}

/**
 * Appends an event to its organisation's hash chain, in the caller's transaction: the event exists if
 * and only if the change it records was committed. The chain head is locked until commit, so events of
 * one organisation are numbered without gaps.
 */
export async function recordAudit(trx: Transaction<AuditTables>, event: AuditEvent): Promise<void> {
  const head = await repository.lockHead(trx, event.orgId);
  const chained: ChainedEvent = {
    orgId: event.orgId,
    seq: head.seq + 1,
    id: randomUUID(),
    occurredAt: new Date(),
    actorType: event.actor.type,
    actorId: event.actor.id,
    action: event.action,
    outcome: event.outcome ?? 'success',
    target: event.target ?? null,
    subjectIds: event.subjectIds ?? [],
    requestId: event.requestId ?? null,
    details: event.details ?? {},
    prevHash: head.hash,
  };
  await repository.appendEvent(trx, chained, eventHash(chained));
}

/** Every platform (cross-school) transaction leaves an event in the platform's chain, naming its reason. */
export async function auditPlatformContext(trx: Transaction<AuditTables>, reason: string): Promise<void> {
  await recordAudit(trx, {
    orgId: PLATFORM_ORG_ID,
    actor: SYSTEM_ACTOR,
    action: 'platform.context',
    details: { reason },
  });
}

export type { AuditFilter } from './audit.repository.ts';

/** Reads one organisation's events (newest first) for the audit API; the caller audits the read. */
export async function searchAudit(
  trx: Transaction<AuditTables>,
  orgId: string,
  filter: repository.AuditFilter,
  page: { offset: number; limit: number },
): Promise<{ events: repository.AuditEventRow[]; total: number }> {
  const { rows, total } = await repository.searchEvents(trx, orgId, filter, page);
  return { events: rows, total };
}

/** The events of an organisation's chain that name a data subject (for their access request). */
export async function auditAboutSubject(
  trx: Transaction<AuditTables>,
  orgId: string,
  subjectId: string,
  actorType?: ActorType,
): Promise<repository.AuditEventRow[]> {
  return repository.eventsAboutSubject(trx, orgId, subjectId, actorType);
}

/** The events of an organisation's chain done by one actor (for a staff member's access request). */
export async function auditByActor(
  trx: Transaction<AuditTables>,
  orgId: string,
  actorId: string,
): Promise<repository.AuditEventRow[]> {
  return repository.eventsByActor(trx, orgId, actorId);
}
