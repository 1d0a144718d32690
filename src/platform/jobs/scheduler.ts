import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { HavenDatabase } from '../db/database.ts';
import { runJob, type JobDefinition } from './job-runner.ts';
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
  return () => {
    for (const timer of timers) {
      timer.stop();
    }
  };
}
