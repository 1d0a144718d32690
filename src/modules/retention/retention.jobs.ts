import type { JobDefinition } from '../../platform/jobs/job-runner.ts';
import type { Services } from '../../services.ts';
import { runRetention } from './retention.service.ts';

/**
 * The nightly retention run (02:30, England): warnings, pupils who reached the age or left long enough
 * ago, inactive and leaving schools. After downtime the scheduler catches up at start. Capped per run;
 * what is left waits for the next night.
 */
export function retentionJob(services: Services, now?: () => Date): JobDefinition {
  return {
    name: 'retention',
    schedule: '30 2 * * *',
    leaseMinutes: 180,
    catchUpAfterHours: 24,
    run: async () => {
      const report = await runRetention(services, { dryRun: false, now: now?.() });
      return { ...report.totals, schools: report.schools.length };
    },
  };
}
