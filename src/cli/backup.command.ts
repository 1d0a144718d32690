import type { Command } from 'commander';
import { loadKeyProvider } from '../platform/crypto/master-key.ts';
import { AppError } from '../platform/http/errors.ts';
import { runJob } from '../platform/jobs/job-runner.ts';
import { lockDataDirectory } from '../platform/process-lock.ts';
import { LedgerFileError } from '../modules/privacy/erasure-ledger.file.ts';
import { BackupToolError } from '../modules/retention/backup-database.ts';
import { BackupFileError } from '../modules/retention/backup-format.ts';
import { backupKeys } from '../modules/retention/backup-key.ts';
import { RestoreError, restoreFromBackup } from '../modules/retention/backup-restore.service.ts';
import { checkBackup, testRestore, type RestoreTest } from '../modules/retention/backup-verify.service.ts';
import { backupJob } from '../modules/retention/backups.jobs.ts';
import { takeBackup, type BackupTaken } from '../modules/retention/backups.service.ts';
import { commandLogger, configFrom, withServices, type CommonOptions } from './context.ts';

const CLI_ACTOR = { type: 'cli' as const, id: 'backup' };

/** A backup, ledger or tool problem is a refusal (exit 1) in one line; anything else stays as it is. */
async function refusing<R>(work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof BackupFileError ||
      error instanceof BackupToolError ||
      error instanceof LedgerFileError ||
      error instanceof RestoreError
    ) {
      throw new AppError(422, 'backup_refused', error.message);
    }
    throw error;
  }
}

function describeTest(file: string, tested: RestoreTest): string {
  const { header } = tested;
  const database = header.database === 'embedded' ? 'an embedded database' : 'a PostgreSQL database';
  return `${file} is good: ${database} backup made ${header.createdAt} by Haven ${header.havenVersion}, ${tested.bytes} bytes, ${tested.tables} tables, sha256 ${tested.sha256}`;
}

function registerVerify(parent: Command): void {
  parent
    .command('verify')
    .description('decrypt and check a backup without restoring it (a restore test), and record the result')
    .argument('<file>', 'the backup file')
    .option('--no-record', 'do not open the database to record the test (e.g. while the server runs)')
    .action(async (file: string, options: CommonOptions & { record: boolean }) => {
      const config = configFrom(options);
      await refusing(async () => {
        if (!options.record) {
          const keys = backupKeys(loadKeyProvider(config, commandLogger(config)));
          process.stdout.write(`${describeTest(file, await checkBackup(file, keys))}\n`);
          return;
        }
        await withServices(config, async (services) => {
          process.stdout.write(`${describeTest(file, await testRestore(services, file, CLI_ACTOR))}\n`);
        });
      });
    });
}

/** `./haven backup [FILE]`, `./haven backup verify FILE` and `./haven restore FILE`. */
export function registerBackup(program: Command): void {
  const backup = program
    .command('backup')
    .description(
      'take an encrypted, checksummed backup of the whole database: into FILE, or (without FILE) into the backup directory with rotation',
    )
    .argument('[file]', 'where to write it (default: a new file in HAVEN_BACKUP_DIR)')
    .option('--json', 'print JSON')
    .action(async (file: string | undefined, options: CommonOptions & { json?: boolean }) => {
      const config = configFrom(options);
      await refusing(() =>
        withServices(config, async (services) => {
          let taken: BackupTaken | undefined;
          if (file === undefined) {
            const job = backupJob(services, {
              trigger: 'cli',
              actor: CLI_ACTOR,
              onTaken: (written) => {
                taken = written;
              },
            });
            const result = await runJob(services.db, commandLogger(config), job);
            if (!result.ran) {
              throw new AppError(
                409,
                'conflict',
                'A backup is being taken right now by another Haven process.',
              );
            }
          } else {
            taken = await takeBackup(services, { trigger: 'cli', actor: CLI_ACTOR, file });
          }
          if (taken === undefined) {
            throw new AppError(500, 'backup_failed', 'The backup did not complete.');
          }
          if (options.json === true) {
            process.stdout.write(`${JSON.stringify(taken)}\n`);
            return;
          }
          process.stdout.write(`Backup written: ${taken.bytes} bytes, sha256 ${taken.sha256}\n`);
          if (taken.removed.length > 0) {
            process.stdout.write(`Rotation removed ${taken.removed.length} older backup(s)\n`);
          }
          process.stdout.write(`${taken.file}\n`);
        }),
      );
    });
  registerVerify(backup);

  program
    .command('restore')
    .description(
      'replace the database with a backup (verified first), then replay the erasure ledger so erased pupils and schools stay erased',
    )
    .argument('<file>', 'the backup file')
    .option('--ledger <file.json...>', 'more erasure ledgers to replay (from `privacy ledger export`)')
    .action(async (file: string, options: CommonOptions & { ledger?: string[] }) => {
      const config = configFrom(options);
      const lock = lockDataDirectory(config.dataDir);
      try {
        const outcome = await refusing(() =>
          restoreFromBackup(config, commandLogger(config), file, options.ledger ?? []),
        );
        const { replay } = outcome;
        if (!outcome.currentLedgerRead) {
          process.stderr.write(
            'haven: the database being replaced could not be read; only the ledger files were replayed.\n',
          );
        }
        process.stdout.write(
          `Restored the backup made ${outcome.header.createdAt} by Haven ${outcome.header.havenVersion}.\n` +
            `${outcome.ledgerEntries} erasure(s) replayed: ${replay.pupilsErasedAgain} pupil record(s) and ${replay.keysDestroyedAgain} key(s) found again and destroyed; ${replay.schools} school(s) erased again (${replay.schoolRowsErasedAgain} row(s)).\n`,
        );
      } finally {
        lock.release();
      }
    });
}
