import { SYSTEM_ACTOR, type Actor } from '../../platform/audit/audit-log.ts';
import type { JobDefinition } from '../../platform/jobs/job-runner.ts';
import { DEFAULT_BACKUP_SCHEDULE } from '../../platform/config.ts';
import type { Services } from '../../services.ts';
import { testRestore } from './backup-verify.service.ts';
import { takeBackup, type BackupTaken } from './backups.service.ts';

// Backups run as one job whoever starts them (the schedule, the operator, the command line): the job
// lease means two are never taken at once, even by two app processes on one database.

export const BACKUP_JOB_NAME = 'backups';

/**
 * Takes a backup into the backup directory (rotating the oldest out), then restore-tests it, so the
 * operator's "last successful restore test" is never older than the last backup. `onTaken` receives it.
 */
export function backupJob(
  services: Services,
  options: {
    trigger: 'scheduled' | 'operator' | 'cli';
    actor?: Actor;
    onTaken?: (taken: BackupTaken) => void;
  },
): JobDefinition {
  const actor = options.actor ?? SYSTEM_ACTOR;
  return {
    name: BACKUP_JOB_NAME,
    schedule: services.backups.schedule ?? DEFAULT_BACKUP_SCHEDULE,
    // A dump of a large database takes a while; a lease older than this is taken over.
    leaseMinutes: 180,
    // No catch-up at start (catchUpAfterHours): it would also back up at the first start of every
    // new installation and test server; a missed run is taken at the next scheduled time.
    run: async () => {
      const taken = await takeBackup(services, { trigger: options.trigger, actor });
      options.onTaken?.(taken);
      const tested = await testRestore(services, taken.file, actor);
      return { bytes: taken.bytes, removed: taken.removed.length, tables: tested.tables };
    },
  };
}
