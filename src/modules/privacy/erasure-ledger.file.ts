import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerEntry } from './erasure-ledger.service.ts';

// The ledger as a file kept apart from backups: `privacy ledger export` and every backup write it, a
// restore and `privacy ledger replay --from` read it. Version 1 files (entries of a school and a subject
// id, no scope) are still read: each such entry is a subject.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The file is not a ledger; the message names the file and the problem in one line. */
export class LedgerFileError extends Error {
  override name = 'LedgerFileError';
}

/** Writes the ledger atomically (a reader never sees half a file), readable by its owner only. */
export async function writeLedgerFile(file: string, entries: readonly LedgerEntry[]): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const body = { format: 2, exportedAt: new Date().toISOString(), entries };
  try {
    await writeFile(temporary, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function entryFrom(entry: unknown): LedgerEntry | undefined {
  if (typeof entry !== 'object' || entry === null || !('schoolId' in entry)) {
    return undefined;
  }
  const { schoolId } = entry;
  if (typeof schoolId !== 'string' || !UUID.test(schoolId)) {
    return undefined;
  }
  const scope = 'scope' in entry ? entry.scope : 'subject';
  if (scope === 'school') {
    return { scope, schoolId };
  }
  if (scope === 'subject' && 'subjectId' in entry) {
    const { subjectId } = entry;
    if (typeof subjectId === 'string' && UUID.test(subjectId)) {
      return { scope, schoolId, subjectId };
    }
  }
  return undefined;
}

/** Reads a ledger file, refusing anything that is not a list of erasures by pseudonymous id. */
export async function readLedgerFile(file: string): Promise<LedgerEntry[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    throw new LedgerFileError(`${file} is not a readable JSON ledger.`);
  }
  const entries =
    typeof parsed === 'object' && parsed !== null && 'entries' in parsed ? parsed.entries : undefined;
  if (!Array.isArray(entries)) {
    throw new LedgerFileError(`${file} has no "entries" list.`);
  }
  return entries.map((entry: unknown, index) => {
    const read = entryFrom(entry);
    if (read === undefined) {
      throw new LedgerFileError(
        `entry ${index + 1} of ${file} is neither a school and subject id nor a school erasure.`,
      );
    }
    return read;
  });
}
