import type { Command } from 'commander';
import { retentionJob } from '../modules/retention/retention.jobs.ts';
import { runRetention, type RunReport } from '../modules/retention/retention.service.ts';
import { isCalendarDate } from '../platform/calendar/working-days.ts';
import { runJob } from '../platform/jobs/job-runner.ts';
import { commandLogger, configFrom, withServices, type CommonOptions } from './context.ts';
import { UsageError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface RunOptions extends CommonOptions {
  dryRun?: boolean;
  school?: string;
  date?: string;
  json?: boolean;
}

function printReport(report: RunReport): void {
  const { totals } = report;
  process.stdout.write(
    `${report.dryRun ? 'Dry run for' : 'Retention run on'} ${report.today}: ${totals.pupilsDue} pupil(s) due, ${totals.pupilsHeld} held, ${totals.pupilsErased} erased; ${totals.schoolsErased} school(s) deleted; ${totals.warningsSent} warning(s) sent; ${totals.lookedAfterChildrenErased} of ${totals.lookedAfterChildrenDue} looked-after child(ren) due erased from virtual schools\n`,
  );
  for (const school of report.schools) {
    const action = school.school.erased
      ? 'all data deleted'
      : `${school.school.rule === 'school_offboarding' ? 'leaving, deletion' : 'deletion if still inactive'} on ${school.school.dueOn}${school.school.held ? ' (held)' : ''}`;
    process.stdout.write(
      `${school.schoolId}  ${school.name}: ${school.pupilsDue} pupil(s) due${school.pupilsHeld > 0 ? ` (${school.pupilsHeld} held)` : ''}, ${school.pupilsErased} erased; ${action}${school.withoutBirthDate > 0 ? `; ${school.withoutBirthDate} pupil(s) without a date of birth` : ''}\n`,
    );
  }
}

/** `./haven retention run [--dry-run]`: apply the retention rules now, or say what they would do. */
export function registerRetention(program: Command): void {
  const retention = program.command('retention').description('retention rules: who is deleted, when and why');
  retention
    .command('run')
    .description(
      'apply the retention rules now (the server does it nightly), or with --dry-run list what would go',
    )
    .option('--dry-run', 'change nothing; list what would be deleted and why')
    .option('--school <id>', 'one school only')
    .option('--date <yyyy-mm-dd>', 'with --dry-run: what would go on that day')
    .option('--json', 'print JSON')
    .action(async (options: RunOptions) => {
      if (options.school !== undefined && !UUID.test(options.school)) {
        throw new UsageError(
          `--school must be a school id (see ./haven school list), got "${options.school}".`,
        );
      }
      if (options.date !== undefined && (options.dryRun !== true || !isCalendarDate(options.date))) {
        throw new UsageError('--date takes a yyyy-mm-dd day and goes with --dry-run only.');
      }
      const config = configFrom(options);
      await withServices(config, async (services) => {
        let report: RunReport | undefined;
        if (options.dryRun === true) {
          const now = options.date === undefined ? undefined : new Date(`${options.date}T12:00:00Z`);
          report = await runRetention(services, { dryRun: true, now, schoolId: options.school });
        } else {
          const job = retentionJob(services);
          const result = await runJob(services.db, commandLogger(config), {
            ...job,
            run: async () => {
              report = await runRetention(services, { dryRun: false, schoolId: options.school });
              return { ...report.totals };
            },
          });
          if (!result.ran) {
            process.stdout.write(
              'Retention is running in another Haven process right now; try again later.\n',
            );
            process.exitCode = 1;
            return;
          }
        }
        if (report !== undefined) {
          if (options.json === true) {
            process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          } else {
            printReport(report);
          }
        }
        await services.mailer.drain();
      });
    });
}
