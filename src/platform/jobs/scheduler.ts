import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { HavenDatabase } from '../db/database.ts';
import { lastSuccess, runJob, type JobDefinition } from './job-runner.ts';
import type { JobTables } from './jobs.tables.ts';

/**
 * Starts each job on its croner schedule (Europe/London time, as legal deadlines are). Every process
 * may schedule every job: the lease in job_runs lets one run at a time. Returns how to stop them.
 */
export function scheduleJobs(
  db: HavenDatabase<JobTables>,
  log: Logger,
  jobs: readonly JobDefinition[],
): () => void {
  const timers = jobs.map(
    (job) =>
      new Cron(job.schedule, { timezone: 'Europe/London', protect: true, unref: true }, () => {
        runJob(db, log, job).catch((error: unknown) => {
          log.error({ err: error, job: job.name }, 'job failed');
        });
      }),
  );
  for (const job of jobs) {
    catchUp(db, log, job).catch((error: unknown) => {
      log.error({ err: error, job: job.name }, 'job catch-up failed');
    });
  }
  return () => {
    for (const timer of timers) {
      timer.stop();
    }
  };
}

/** A job that should have run while no process was up runs once at start (the lease stops doubles). */
async function catchUp(db: HavenDatabase<JobTables>, log: Logger, job: JobDefinition): Promise<void> {
  if (job.catchUpAfterHours === undefined) {
    return;
  }
  const last = await lastSuccess(db, job.name);
  if (last !== undefined && Date.now() - last.getTime() < job.catchUpAfterHours * 3_600_000) {
    return;
  }
  log.info({ job: job.name, lastSuccess: last?.toISOString() ?? 'never' }, 'job overdue; catching up');
  await runJob(db, log, job);
}
