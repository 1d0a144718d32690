import { createHash } from 'node:crypto';
import type { ActorType, AuditDetails, Outcome } from './audit.tables.ts';

/** The previous hash of an organisation's first event. */
export const GENESIS_HASH = Buffer.alloc(32);

/** One event as hashed: every stored column but the hash itself. */
export interface ChainedEvent {
  orgId: string;
  seq: number;
  id: string;
  occurredAt: Date;
  actorType: ActorType;
  actorId: string;
  action: string;
  outcome: Outcome;
  target: string | null;
  subjectIds: readonly string[];
  requestId: string | null;
  details: AuditDetails;
  prevHash: Buffer;
}

/**
 * SHA-256 over a canonical encoding of the event (JSON array, details with sorted keys), including the
 * previous event's hash: changing, removing or reordering any event breaks every hash after it.
 */
export function eventHash(event: ChainedEvent): Buffer {
  const canonical = JSON.stringify([
    'haven-audit-v1',
    event.orgId,
    event.seq,
    event.id,
    event.occurredAt.toISOString(),
    event.actorType,
    event.actorId,
    event.action,
    event.outcome,
    event.target,
    [...event.subjectIds].sort(),
    event.requestId,
    Object.keys(event.details)
      .sort()
      .map((key) => [key, event.details[key]]),
    event.prevHash.toString('hex'),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest();
}

/** The bytes a checkpoint signature covers. */
export function checkpointMessage(orgId: string, seq: number, hash: Buffer): Buffer {
  return Buffer.from(`haven-audit-checkpoint\u0000${orgId}\u0000${seq}\u0000${hash.toString('hex')}`, 'utf8');
}
