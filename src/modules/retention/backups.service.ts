import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { PLATFORM_ORG_ID, recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import type { DatabaseSource } from '../../platform/db/connect.ts';
import type { Services } from '../../services.ts';
import { HAVEN_VERSION } from '../../version.ts';
import { LedgerFileError, readLedgerFile, writeLedgerFile } from '../privacy/erasure-ledger.file.ts';
import { erasureLedger, mergeLedgers } from '../privacy/erasure-ledger.service.ts';
import { BackupToolError, dumpDatabase } from './backup-database.ts';
import { BackupFileError, writeBackupFile } from './backup-format.ts';
import { currentBackupKey } from './backup-key.ts';
import * as repository from './backups.repository.ts';
import type { BackupTrigger } from './backups.tables.ts';

// Taking a backup: dump, encrypt and checksum into the backup directory (or a file named on the command
// line), record it, keep the erasure ledger file beside the backups up to date, and delete the oldest
// scheduled backups beyond the number kept.

/** Scheduled and operator backups are named by their time, so names sort oldest first. */
const MANAGED_NAME = /^haven-\d{8}T\d{9}Z\.bak$/;
const LEDGER_FILE = 'erasure-ledger.json';

export interface BackupTaken {
  id: string;
  file: string;
  fileName: string;
  bytes: number;
  sha256: string;
  /** Older backups rotation deleted. */
  removed: string[];
}

/** The erasure ledger file kept beside the backups, never inside them. */
export function ledgerFilePath(backupDir: string): string {
  return path.join(backupDir, LEDGER_FILE);
}

function managedName(at: Date): string {
  const stamp = at.toISOString().replaceAll(/[-:.]/g, '');
  return `haven-${stamp}.bak`;
}

/** The database a backup reads: the handle's own source (a running embedded server's PGlite instance). */
export function sourceOf(services: Services): DatabaseSource {
  const { source } = services.db;
  if (source === undefined) {
    throw new Error('this database handle cannot be backed up (it was opened without its source)');
  }
  return source;
}

/** A short reason for the record and the log: tool and file errors are written for people, others by name. */
export function failureReason(error: unknown): string {
  if (
    error instanceof BackupToolError ||
    error instanceof BackupFileError ||
    error instanceof LedgerFileError
  ) {
    return error.message.slice(0, 300);
  }
  return error instanceof Error ? error.name : 'unknown error';
}

/**
 * Takes a full backup. Without `file` it goes into the backup directory under a name made of the time,
 * and the oldest such backups beyond `keep` are deleted. Every backup, failed ones too, is recorded.
 */
export async function takeBackup(
  services: Services,
  options: { trigger: BackupTrigger; actor: Actor; file?: string },
): Promise<BackupTaken> {
  const source = sourceOf(services);
  const startedAt = new Date();
  const managed = options.file === undefined;
  await mkdir(services.backups.dir, { recursive: true, mode: 0o700 });
  const file = options.file ?? path.join(services.backups.dir, managedName(startedAt));
  const fileName = managed ? path.basename(file) : path.resolve(file);
  const record = (outcome: { bytes: number; sha256: string } | { error: string }) =>
    services.db.withPlatform('backups: record', async (trx) => {
      const id = await repository.insertBackup(trx, {
        fileName,
        trigger: options.trigger,
        database: source.kind,
        startedAt,
        outcome: 'error' in outcome ? 'failed' : 'succeeded',
        bytes: 'bytes' in outcome ? outcome.bytes : null,
        sha256: 'sha256' in outcome ? outcome.sha256 : null,
        error: 'error' in outcome ? outcome.error : null,
      });
      await recordAudit(trx, {
        orgId: PLATFORM_ORG_ID,
        actor: options.actor,
        action: 'backups.taken',
        outcome: 'error' in outcome ? 'failure' : 'success',
        target: `backup:${id}`,
        details: { trigger: options.trigger, database: source.kind },
      });
      return id;
    });
  let written: { bytes: number; sha256: string };
  try {
    written = await writeBackupFile(
      file,
      dumpDatabase(source),
      { createdAt: startedAt.toISOString(), database: source.kind, havenVersion: HAVEN_VERSION },
      currentBackupKey(services.keyring.provider),
    );
  } catch (error) {
    await record({ error: failureReason(error) });
    throw error;
  }
  const id = await record(written);
  await keepLedgerApart(services);
  const removed = managed ? await rotate(services) : [];
  return { id, file, fileName, ...written, removed };
}

/**
 * Rewrites the ledger file beside the backups with every erasure the database and the file know of:
 * the file only ever grows, so a database restored without a replay cannot shrink it.
 */
export async function keepLedgerApart(services: Services): Promise<string> {
  const file = ledgerFilePath(services.backups.dir);
  let kept: Awaited<ReturnType<typeof readLedgerFile>> = [];
  try {
    kept = await readLedgerFile(file);
  } catch (error) {
    if (error instanceof LedgerFileError && (await exists(file))) {
      // Set aside, not overwritten: it may hold erasures the database has lost.
      await rename(file, `${file}.unreadable-${Date.now()}`);
    }
  }
  await writeLedgerFile(file, mergeLedgers(kept, await erasureLedger(services)));
  return file;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** Deletes the oldest time-named backups beyond the number kept; returns their names. */
export async function rotate(services: Services): Promise<string[]> {
  const names = (await readdir(services.backups.dir)).filter((name) => MANAGED_NAME.test(name)).sort();
  const doomed = names.slice(0, Math.max(0, names.length - services.backups.keep));
  for (const name of doomed) {
    await rm(path.join(services.backups.dir, name), { force: true });
  }
  await services.db.withPlatform('backups: rotation', (trx) => repository.markRemoved(trx, doomed));
  return doomed;
}
