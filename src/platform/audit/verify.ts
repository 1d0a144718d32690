import { verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { HavenDatabase } from '../db/database.ts';
import * as repository from './audit.repository.ts';
import type { AuditTables } from './audit.tables.ts';
import { checkpointMessage, eventHash, GENESIS_HASH } from './chain.ts';

export interface AuditProblem {
  orgId: string;
  seq: number;
  eventId?: string;
  problem: string;
}

export interface AuditReport {
  organisations: number;
  events: number;
  checkpoints: number;
  /** The first broken place of each organisation's chain; empty when everything verifies. */
  problems: AuditProblem[];
}

const BATCH = 1_000;

/**
 * Recomputes every organisation's hash chain from the first event and checks each signed checkpoint.
 * Reports, per organisation, the first event that was altered, removed or inserted, and any checkpoint
 * whose signature or hash does not hold. Public keys only: verifying never needs a secret.
 */
export async function verifyAudit(
  db: HavenDatabase<AuditTables>,
  publicKeys: Array<{ keyId: string; publicKey: KeyObject }>,
): Promise<AuditReport> {
  return db.withPlatform('audit.verify', async (trx) => {
    const report: AuditReport = { organisations: 0, events: 0, checkpoints: 0, problems: [] };
    for (const head of await repository.chainHeads(trx)) {
      report.organisations += 1;
      const chain = await verifyChain(trx, head);
      report.events += chain.events;
      const checkpointProblem = await verifyCheckpoints(trx, head.orgId, chain.hashes, publicKeys);
      report.checkpoints += checkpointProblem.count;
      const first = chain.problem ?? checkpointProblem.problem;
      if (first !== undefined) {
        report.problems.push(first);
      }
    }
    return report;
  });
}

async function verifyChain(
  trx: Transaction<AuditTables>,
  head: { orgId: string; seq: number; hash: Buffer },
): Promise<{ events: number; hashes: Map<number, Buffer>; problem?: AuditProblem }> {
  const hashes = new Map<number, Buffer>();
  let previous: Buffer = GENESIS_HASH;
  let expected = 1;
  let events = 0;
  for (;;) {
    const batch = await repository.eventsAfter(trx, head.orgId, expected - 1, BATCH);
    for (const row of batch) {
      const seq = Number(row.seq);
      events += 1;
      const at = { orgId: head.orgId, seq: expected, eventId: row.id };
      if (seq !== expected) {
        return {
          events,
          hashes,
          problem: { ...at, problem: `event ${expected} is missing (deleted); the chain jumps to ${seq}` },
        };
      }
      const recomputed = eventHash({
        orgId: row.org_id,
        seq,
        id: row.id,
        occurredAt: row.occurred_at,
        actorType: row.actor_type,
        actorId: row.actor_id,
        action: row.action,
        outcome: row.outcome,
        target: row.target,
        subjectIds: row.subject_ids,
        requestId: row.request_id,
        details: row.details,
        prevHash: row.prev_hash,
      });
      if (!row.prev_hash.equals(previous)) {
        return {
          events,
          hashes,
          problem: {
            ...at,
            problem: `event ${seq} does not follow event ${seq - 1} (an event before it was changed or removed)`,
          },
        };
      }
      if (!recomputed.equals(row.hash)) {
        return {
          events,
          hashes,
          problem: { ...at, problem: `event ${seq} was altered: its contents no longer match its hash` },
        };
      }
      hashes.set(seq, row.hash);
      previous = row.hash;
      expected += 1;
    }
    if (batch.length < BATCH) {
      break;
    }
  }
  if (expected - 1 !== head.seq || !previous.equals(head.hash)) {
    return {
      events,
      hashes,
      problem: {
        orgId: head.orgId,
        seq: expected,
        problem: `the chain ends at event ${expected - 1} but its head says ${head.seq}: events were removed from the end`,
      },
    };
  }
  return { events, hashes };
}

async function verifyCheckpoints(
  trx: Transaction<AuditTables>,
  orgId: string,
  hashes: Map<number, Buffer>,
  publicKeys: Array<{ keyId: string; publicKey: KeyObject }>,
): Promise<{ count: number; problem?: AuditProblem }> {
  const rows = await repository.checkpoints(trx, orgId);
  for (const row of rows) {
    const seq = Number(row.seq);
    const key = publicKeys.find((candidate) => candidate.keyId === row.key_id);
    if (key === undefined) {
      return {
        count: rows.length,
        problem: { orgId, seq, problem: `checkpoint at event ${seq} is signed by unknown key ${row.key_id}` },
      };
    }
    if (!verify(null, checkpointMessage(orgId, seq, row.hash), key.publicKey, row.signature)) {
      return {
        count: rows.length,
        problem: { orgId, seq, problem: `checkpoint at event ${seq} has an invalid signature` },
      };
    }
    const stored = hashes.get(seq);
    if (stored === undefined || !stored.equals(row.hash)) {
      return {
        count: rows.length,
        problem: {
          orgId,
          seq,
          problem: `event ${seq} no longer matches the checkpoint signed for it: history was rewritten`,
        },
      };
    }
  }
  return { count: rows.length };
}

/** Signs the current head of every chain that moved since its last checkpoint; returns how many. */
export async function checkpointAll(
  db: HavenDatabase<AuditTables>,
  sign: (message: Buffer) => Promise<{ keyId: string; signature: Buffer }>,
): Promise<number> {
  return db.withPlatform('audit.checkpoint', async (trx) => {
    let signed = 0;
    for (const head of await repository.chainHeads(trx)) {
      if (head.seq === 0) {
        continue;
      }
      const { keyId, signature } = await sign(checkpointMessage(head.orgId, head.seq, head.hash));
      if (
        await repository.insertCheckpoint(trx, {
          orgId: head.orgId,
          seq: head.seq,
          hash: head.hash,
          keyId,
          signature,
        })
      ) {
        signed += 1;
      }
    }
    return signed;
  });
}
