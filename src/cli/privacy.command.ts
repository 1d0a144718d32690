import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { exportPupil } from '../modules/privacy/access.service.ts';
import {
  erasureLedger,
  replayErasureLedger,
  type LedgerEntry,
} from '../modules/privacy/erasure-ledger.service.ts';
import { LedgerFileError, readLedgerFile, writeLedgerFile } from '../modules/privacy/erasure-ledger.file.ts';
import { keepLedgerApart } from '../modules/retention/backups.service.ts';
import { listRequests } from '../modules/privacy/requests.service.ts';
import { deadlineRemindersJob } from '../modules/privacy/reminders.jobs.ts';
import { SchoolVault } from '../platform/crypto/vault.ts';
import { runJob } from '../platform/jobs/job-runner.ts';
import { commandLogger, configFrom, withServices, type CommonOptions } from './context.ts';
import { notFound } from '../platform/http/errors.ts';
import { UsageError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function schoolOption(school: string): string {
  if (!UUID.test(school)) {
    throw new UsageError(`--school must be a school id (see ./haven school list), got "${school}".`);
  }
  return school;
}

/** Reads a ledger file (either format), refusing anything that is not a list of erasures. */
async function ledgerFrom(file: string): Promise<LedgerEntry[]> {
  try {
    return await readLedgerFile(file);
  } catch (error) {
    throw error instanceof LedgerFileError ? new UsageError(`--from: ${error.message}`) : error;
  }
}

/** `./haven privacy requests|export`: the requests register and access bundles from the command line. */
export function registerPrivacy(program: Command): void {
  const privacy = program.command('privacy').description('data subject requests and access bundles');

  const ledger = privacy
    .command('ledger')
    .description(
      'the erasure ledger (pseudonymous ids): keep a copy apart from backups, replay it after a restore',
    );
  ledger
    .command('export')
    .description(
      'write the ledger as JSON (keep a copy where backups are not); without --out, update the ledger file beside the backups',
    )
    .option('--out <file.json>', 'where to write it (default: erasure-ledger.json in HAVEN_BACKUP_DIR)')
    .action(async (options: CommonOptions & { out?: string }) => {
      await withServices(configFrom(options), async (services) => {
        if (options.out === undefined) {
          const file = await keepLedgerApart(services);
          process.stdout.write(`${(await readLedgerFile(file)).length} erasure(s) kept in ${file}\n`);
          return;
        }
        const entries = await erasureLedger(services);
        await writeLedgerFile(options.out, entries);
        process.stdout.write(`${entries.length} erasure(s) written to ${options.out}\n`);
      });
    });
  ledger
    .command('replay')
    .description('erase again everyone in the ledger (after restoring a backup)')
    .option('--from <file.json>', 'a ledger written by `ledger export` (default: the database’s own)')
    .action(async (options: CommonOptions & { from?: string }) => {
      const entries = options.from === undefined ? undefined : await ledgerFrom(options.from);
      await withServices(configFrom(options), async (services) => {
        const outcome = await replayErasureLedger(services, entries);
        process.stdout.write(
          `${outcome.subjects} erasure(s) replayed: ${outcome.pupilsErasedAgain} pupil record(s) and ${outcome.keysDestroyedAgain} key(s) found again and destroyed; ${outcome.schools} school(s) erased again\n`,
        );
      });
    });

  privacy
    .command('remind')
    .description('send the deadline reminders due today now (the server does it hourly)')
    .action(async (options: CommonOptions) => {
      const config = configFrom(options);
      await withServices(config, async (services) => {
        const result = await runJob(services.db, commandLogger(config), deadlineRemindersJob(services));
        process.stdout.write(
          result.ran
            ? `${result.outcome.reminders ?? 0} reminder(s) sent\n`
            : 'Reminders are being sent by another Haven process right now.\n',
        );
        await services.mailer.drain();
      });
    });

  privacy
    .command('requests')
    .description('list a school’s data subject requests with their deadlines')
    .requiredOption('--school <id>', 'the school')
    .option('--status <status>', 'open (default), closed or all', 'open')
    .option('--json', 'print JSON')
    .action(async (options: CommonOptions & { school: string; status: string; json?: boolean }) => {
      const schoolId = schoolOption(options.school);
      if (!['open', 'closed', 'all'].includes(options.status)) {
        throw new UsageError('--status must be open, closed or all.');
      }
      const status = options.status === 'closed' || options.status === 'all' ? options.status : 'open';
      await withServices(configFrom(options), async (services) => {
        const register = await listRequests(services, 'cli', schoolId, { status }, 'cli');
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(register, null, 2)}\n`);
          return;
        }
        const { counts } = register;
        process.stdout.write(
          `${counts.open} open, ${counts.overdue} overdue, ${counts.dueSoon} due within 7 days, ${counts.paused} with the clock stopped\n`,
        );
        for (const request of register.requests) {
          const left =
            request.daysLeft < 0 ? `overdue by ${-request.daysLeft} days` : `${request.daysLeft} days left`;
          process.stdout.write(
            `${request.reference}  ${request.kind.padEnd(16)} ${request.status.padEnd(17)} received ${request.receivedOn}  due ${request.dueOn} (${left})\n`,
          );
        }
      });
    });

  privacy
    .command('export')
    .description('write a pupil’s access bundle (zip of data.json, CSVs and a readable report)')
    .requiredOption('--school <id>', 'the school')
    .requiredOption('--pupil <upn>', 'the pupil’s UPN')
    .requiredOption('--out <file.zip>', 'where to write the bundle')
    .action(async (options: CommonOptions & { school: string; pupil: string; out: string }) => {
      const schoolId = schoolOption(options.school);
      await withServices(configFrom(options), async (services) => {
        const upn = options.pupil.replace(/\s+/g, '').toUpperCase();
        const pupilId = await services.db.withSchool(schoolId, (trx) =>
          new SchoolVault(services.keyring, trx, schoolId).lookup('upn', upn),
        );
        if (pupilId === undefined) {
          throw notFound('A pupil of that school with this UPN');
        }
        const zip = await exportPupil(services, schoolId, pupilId, { type: 'cli', id: 'privacy export' });
        writeFileSync(options.out, zip, { mode: 0o600 });
        process.stdout.write(`Wrote the access bundle for pupil ${pupilId} to ${options.out}\n${pupilId}\n`);
      });
    });
}
