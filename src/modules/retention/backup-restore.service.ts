import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { PLATFORM_ORG_ID, recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import type { Config } from '../../platform/config.ts';
import { keyDirectory, loadKeyProvider } from '../../platform/crypto/master-key.ts';
import { openServices, type Services } from '../../services.ts';
import { readLedgerFile, writeLedgerFile } from '../privacy/erasure-ledger.file.ts';
import {
  erasureLedger,
  mergeLedgers,
  replayErasureLedger,
  type LedgerEntry,
  type ReplayOutcome,
} from '../privacy/erasure-ledger.service.ts';
import { loadEmbedded, loadPostgres } from './backup-database.ts';
import { BackupFileError, type BackupHeader } from './backup-format.ts';
import { decryptBackupFile, verifyBackupFile } from './backup-reader.ts';
import { backupKeys } from './backup-key.ts';
import { keepLedgerApart, ledgerFilePath } from './backups.service.ts';

// Restoring a backup (docs/backups.md): verify the whole file first; gather every erasure known (the
// current database's ledger, the ledger file kept beside the backups, any given); replace the database;
// then replay those erasures, so a pupil or school erased after the backup was taken is erased again.

/** The restore did not complete; the message says what state the database is in. */
export class RestoreError extends Error {
  override name = 'RestoreError';
}

export interface RestoreOutcome {
  header: BackupHeader;
  /** Erasures replayed, from every ledger merged. */
  ledgerEntries: number;
  /** False when the current database could not be read (so only ledger files were replayed). */
  currentLedgerRead: boolean;
  replay: ReplayOutcome;
}

/** Where the embedded database lives, and where a restore stages and sets aside. */
function embeddedPaths(dataDir: string) {
  const db = path.join(dataDir, 'db');
  return { db, staging: `${db}.restoring`, aside: `${db}.before-restore` };
}

function requireMasterKey(config: Config): void {
  // Embedded mode would otherwise create a fresh master key, which opens no backup made before it.
  const given =
    (process.env.HAVEN_MASTER_KEY ?? '') !== '' || (process.env.HAVEN_MASTER_KEY_FILE ?? '') !== '';
  if (!given && !existsSync(path.join(keyDirectory(config.dataDir), 'master.key'))) {
    throw new BackupFileError(
      `No master key in ${keyDirectory(config.dataDir)}: a backup opens only with the master key of the Haven that made it; put its master.key there or set HAVEN_MASTER_KEY.`,
    );
  }
}

async function currentLedger(config: Config, log: Logger): Promise<LedgerEntry[] | undefined> {
  if (
    config.databaseUrl === undefined &&
    !existsSync(path.join(embeddedPaths(config.dataDir).db, 'PG_VERSION'))
  ) {
    return [];
  }
  let services: Services | undefined;
  try {
    services = await openServices(config, log);
    return await erasureLedger(services);
  } catch (error) {
    log.warn(
      { err: error instanceof Error ? error.name : 'unknown' },
      'the current database could not be read',
    );
    return undefined;
  } finally {
    await services?.db.close().catch(() => undefined);
  }
}

async function replaceEmbedded(
  config: Config,
  file: string,
  keys: ReturnType<typeof backupKeys>,
): Promise<void> {
  const paths = embeddedPaths(config.dataDir);
  await rm(paths.staging, { recursive: true, force: true });
  try {
    await loadEmbedded(paths.staging, decryptBackupFile(file, keys));
  } catch (error) {
    await rm(paths.staging, { recursive: true, force: true });
    throw error;
  }
  await rm(paths.aside, { recursive: true, force: true });
  if (existsSync(paths.db)) {
    await rename(paths.db, paths.aside);
  }
  await rename(paths.staging, paths.db);
}

async function undoEmbedded(config: Config): Promise<void> {
  const paths = embeddedPaths(config.dataDir);
  await rm(paths.db, { recursive: true, force: true });
  if (existsSync(paths.aside)) {
    await rename(paths.aside, paths.db);
  }
}

async function replayInto(config: Config, log: Logger, ledger: LedgerEntry[]): Promise<ReplayOutcome> {
  const services = await openServices(config, log);
  try {
    const replay = await replayErasureLedger(services, ledger);
    await services.db.withPlatform('backups: restored', (trx) =>
      recordAudit(trx, {
        orgId: PLATFORM_ORG_ID,
        actor: SYSTEM_ACTOR,
        action: 'backups.restored',
        details: {
          ledgerEntries: ledger.length,
          pupilsErasedAgain: replay.pupilsErasedAgain,
          schools: replay.schools,
        },
      }),
    );
    await keepLedgerApart(services);
    return replay;
  } finally {
    await services.background.drain();
    await services.mailer.close();
    await services.db.close();
  }
}

/**
 * Restores `file` into the configured database and replays every erasure known. The caller holds the
 * data directory lock. Nothing is touched until the file is verified and every ledger read; an embedded
 * restore that fails is undone (the previous database is kept aside until the replay succeeded).
 */
export async function restoreFromBackup(
  config: Config,
  log: Logger,
  file: string,
  ledgerFiles: readonly string[],
): Promise<RestoreOutcome> {
  requireMasterKey(config);
  const keys = backupKeys(loadKeyProvider(config, log));
  const { header } = await verifyBackupFile(file, keys);
  const kind = config.databaseUrl === undefined ? 'embedded' : 'postgres';
  if (header.database !== kind) {
    throw new BackupFileError(
      `${file} is a backup of ${header.database === 'embedded' ? 'an embedded database' : 'a PostgreSQL database'}; this Haven uses ${kind === 'embedded' ? 'the embedded database' : 'PostgreSQL (DATABASE_URL)'}. Nothing was changed.`,
    );
  }
  const apart = ledgerFilePath(config.backups.dir);
  const given = await Promise.all(ledgerFiles.map((ledger) => readLedgerFile(ledger)));
  const kept = existsSync(apart) ? await readLedgerFile(apart) : [];
  const current = await currentLedger(config, log);
  const ledger = mergeLedgers(current ?? [], kept, ...given);
  // Written before the database is replaced: whatever happens next, the union is not lost.
  await writeLedgerFile(apart, ledger);

  if (header.database === 'postgres') {
    await loadPostgres(config.databaseUrl ?? '', decryptBackupFile(file, keys));
    try {
      const replay = await replayInto(config, log, ledger);
      return { header, ledgerEntries: ledger.length, currentLedgerRead: current !== undefined, replay };
    } catch (error) {
      throw new RestoreError(
        `The backup was restored but replaying the erasure ledger failed (${error instanceof Error ? error.name : 'unknown'}); run ./haven privacy ledger replay --from ${apart} before starting Haven.`,
      );
    }
  }
  await replaceEmbedded(config, file, keys);
  try {
    const replay = await replayInto(config, log, ledger);
    await rm(embeddedPaths(config.dataDir).aside, { recursive: true, force: true });
    return { header, ledgerEntries: ledger.length, currentLedgerRead: current !== undefined, replay };
  } catch (error) {
    await undoEmbedded(config);
    throw new RestoreError(
      `Replaying the erasure ledger after the restore failed (${error instanceof Error ? error.name : 'unknown'}); the previous database was put back.`,
    );
  }
}
