import { Cron } from 'croner';
import type { Logger } from 'pino';
import { SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { todayInEngland } from '../../platform/calendar/working-days.ts';
import type { JobDefinition, JobOutcome } from '../../platform/jobs/job-runner.ts';
import type { Services } from '../../services.ts';
import { eraseRemovedConnector } from './connector-deletion.service.ts';
import { alertStale } from './connectors-mail.ts';
import * as repository from './connectors.repository.ts';
import { runSync } from './sync.service.ts';

// Every quarter of an hour: each active connector whose own schedule (croner, England time) came round
// since its last sync is synced; a connector with no new data for STALE_DAYS alerts its managers (once
// per silence); a removed connector past its deletion day has its pupils erased.

export const STALE_DAYS = 3;
const DAY_MS = 86_400_000;

/** Whether the connector's schedule had a run between its last sync (or creation) and now. */
export function scheduleDue(schedule: string, since: Date, now: Date): boolean {
  const next = new Cron(schedule, { timezone: 'Europe/London', paused: true }).nextRun(since);
  return next !== null && next.getTime() <= now.getTime();
}

/** One pass over every connector (the job's work; tests call it with their own clock). */
export async function runConnectors(
  services: Services,
  log: Pick<Logger, 'error'>,
  now: Date = new Date(),
): Promise<JobOutcome> {
  const outcome = { synced: 0, stale: 0, erased: 0, failed: 0 };
  const connectors = await services.db.withPlatform('connectors: which are due', (trx) =>
    repository.allConnectors(trx),
  );
  for (const connector of connectors) {
    try {
      if (connector.status === 'disconnected') {
        outcome.erased += await eraseRemovedConnector(services, connector, todayInEngland(now));
        continue;
      }
      if (scheduleDue(connector.schedule, connector.last_sync ?? connector.created_at, now)) {
        const result = await runSync(services, connector.school_id, {
          trigger: 'schedule',
          actor: SYSTEM_ACTOR,
        });
        outcome.synced += result === undefined ? 0 : 1;
      }
      const freshSince = connector.last_success ?? connector.created_at;
      const silent = now.getTime() - freshSince.getTime() > STALE_DAYS * DAY_MS;
      const alreadyTold =
        connector.stale_notified_at !== null && connector.stale_notified_at.getTime() > freshSince.getTime();
      if (silent && !alreadyTold) {
        await alertStale(services, connector.school_id, STALE_DAYS);
        await services.db.withSchool(connector.school_id, (trx) =>
          repository.updateConnector(trx, connector.school_id, connector.id, { stale_notified_at: now }),
        );
        outcome.stale += 1;
      }
    } catch (error) {
      // One school's failure (recorded and alerted by the sync) must not stop the others.
      log.error({ err: error, connector: connector.id }, 'connector run failed');
      outcome.failed += 1;
    }
  }
  return outcome;
}

export function connectorsJob(services: Services, log: Pick<Logger, 'error'>): JobDefinition {
  return {
    name: 'connectors',
    schedule: '*/15 * * * *',
    leaseMinutes: 60,
    run: () => runConnectors(services, log),
  };
}
