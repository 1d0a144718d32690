import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { HavenDatabase } from '../db/database.ts';
import type { JobTables } from './jobs.tables.ts';

// Runs a named job at most once at a time across every app process: a run first takes a lease in
// job_runs (the check and the insert serialised by a transaction-scoped advisory lock), works, then
// records how it ended. Jobs must be idempotent and re-check their preconditions (they may be retried
// after a crash); what they did is returned as counts, which the run records.

export type JobOutcome = Record<string, number>;

export interface JobDefinition {
  name: string;
  /** croner pattern, e.g. '0 * * * *' for hourly. */
  schedule: string;
  /**
   * Longest a lease lasts without renewal. A running job renews its lease every minute (see
   * HEARTBEAT_MS), so a run killed with its process lets go within LIVE_LEASE_MINUTES at most.
   */
  leaseMinutes: number;
  /** Run at start when the last successful run is older than this (a daily job missed while down). */
  catchUpAfterHours?: number;
  run: () => Promise<JobOutcome>;
}

/** When the job last succeeded (undefined: never). */
export async function lastSuccess(db: HavenDatabase<JobTables>, name: string): Promise<Date | undefined> {
  return db.withPlatform(`job ${name}: last success`, async (trx) => {
    const row = await trx
      .selectFrom('job_runs')
      .select('finished_at')
      .where('name', '=', name)
      .where('status', '=', 'succeeded')
      .orderBy('finished_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row?.finished_at ?? undefined;
  });
}

export type JobResult = { ran: true; outcome: JobOutcome } | { ran: false; reason: 'already_running' };

/** How often a running job renews its lease. */
const HEARTBEAT_MS = 60_000;
/** How far each renewal reaches: a run whose process died is taken over after this at most. */
export const LIVE_LEASE_MINUTES = 3;

export async function runJob(
  db: HavenDatabase<JobTables>,
  log: Pick<Logger, 'info'>,
  job: Pick<JobDefinition, 'name' | 'leaseMinutes' | 'run'>,
): Promise<JobResult> {
  const runId = await db.withPlatform(`job ${job.name}: lease`, async (trx) => {
    const jobs = trx;
    await sql`select pg_advisory_xact_lock(hashtext(${`job:${job.name}`}))`.execute(jobs);
    const running = await jobs
      .selectFrom('job_runs')
      .select('id')
      .where('name', '=', job.name)
      .where('status', '=', 'running')
      .where('lease_until', '>', new Date())
      .executeTakeFirst();
    if (running !== undefined) {
      return undefined;
    }
    const row = await jobs
      .insertInto('job_runs')
      .values({
        name: job.name,
        status: 'running',
        lease_until: new Date(Date.now() + Math.min(job.leaseMinutes, LIVE_LEASE_MINUTES) * 60_000),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  });
  if (runId === undefined) {
    log.info({ job: job.name }, 'job already running elsewhere; skipped');
    return { ran: false, reason: 'already_running' };
  }
  const finish = (status: 'succeeded' | 'failed', details: Record<string, number | string>) =>
    db.withPlatform(`job ${job.name}: finish`, async (trx) => {
      await trx
        .updateTable('job_runs')
        .set({ status, finished_at: new Date(), details: JSON.stringify(details) })
        .where('id', '=', runId)
        .execute();
    });
  // A killed process stops renewing, so its lease lapses in minutes rather than after the longest run.
  // Renewals queue behind the job's own transactions on the embedded database's one connection, which is
  // fine: in one process croner's `protect` already keeps a job from overlapping itself.
  const renew = () =>
    db
      .withPlatform(`job ${job.name}: renew lease`, async (trx) => {
        await trx
          .updateTable('job_runs')
          .set({ lease_until: new Date(Date.now() + LIVE_LEASE_MINUTES * 60_000) })
          .where('id', '=', runId)
          .where('status', '=', 'running')
          .execute();
      })
      .catch(() => undefined);
  const heartbeat = setInterval(() => void renew(), HEARTBEAT_MS);
  heartbeat.unref();
  try {
    const outcome = await job.run();
    await finish('succeeded', outcome);
    log.info({ job: job.name, ...outcome }, 'job finished');
    return { ran: true, outcome };
  } catch (error) {
    // The message may name a table or a constraint, never personal data (jobs handle ids only).
    await finish('failed', { error: error instanceof Error ? error.name : 'unknown' });
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}
