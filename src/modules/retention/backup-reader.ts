import { createDecipheriv, createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import {
  BackupFileError,
  CHECKSUM_BYTES,
  fileKey,
  FORMAT_VERSION,
  MAGIC,
  MAX_HEADER_BYTES,
  nonce,
  RECORD_BYTES,
  TAG_BYTES,
  type BackupHeader,
  type BackupKey,
} from './backup-format.ts';

// Reading a backup (the layout is in backup-format.ts): nothing of it is believed before it is checked,
// and a restore only ever sees plaintext whose record tag was verified.

/** A backup whose header was read and understood, and the key that opens it. */
export interface OpenedBackup {
  header: BackupHeader;
  key: BackupKey;
  /** Size of the whole file, in bytes. */
  bytes: number;
  /** SHA-256 of the whole file, as `sha256sum` prints it. */
  sha256: string;
}

interface Layout extends Omit<OpenedBackup, 'sha256'> {
  headerBytes: Buffer;
  recordsStart: number;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

const damaged = (file: string, why: string) =>
  new BackupFileError(`${file} is damaged or incomplete (${why}); nothing was changed.`);

function parseHeader(file: string, bytes: Buffer): BackupHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw damaged(file, 'its header is not readable');
  }
  if (typeof parsed !== 'object' || parsed === null || !('format' in parsed)) {
    throw damaged(file, 'its header has no format version');
  }
  if (parsed.format !== FORMAT_VERSION) {
    throw new BackupFileError(
      `${file} is a format ${String(parsed.format)} backup; this Haven reads format ${FORMAT_VERSION}. Restore it with the Haven version that made it.`,
    );
  }
  const text = (field: string): string => {
    const value: unknown = field in parsed ? (parsed as Record<string, unknown>)[field] : undefined;
    if (typeof value !== 'string') {
      throw damaged(file, `its header has no ${field}`);
    }
    return value;
  };
  const database = text('database');
  if (database !== 'embedded' && database !== 'postgres') {
    throw damaged(file, 'its header names an unknown kind of database');
  }
  return {
    format: FORMAT_VERSION,
    createdAt: text('createdAt'),
    database,
    havenVersion: text('havenVersion'),
    keyId: text('keyId'),
    salt: text('salt'),
  };
}

async function layout(file: string, handle: FileHandle, keys: readonly BackupKey[]): Promise<Layout> {
  const { size } = await handle.stat();
  const start = await readAt(handle, 0, MAGIC.length + 4);
  if (start.length < MAGIC.length + 4 || !start.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new BackupFileError(`${file} is not a Haven backup.`);
  }
  const headerLength = start.readUInt32BE(MAGIC.length);
  if (headerLength > MAX_HEADER_BYTES || MAGIC.length + 4 + headerLength > size) {
    throw damaged(file, 'its header is cut off');
  }
  const headerBytes = await readAt(handle, MAGIC.length + 4, headerLength);
  const header = parseHeader(file, headerBytes);
  const key = keys.find((candidate) => candidate.id === header.keyId);
  if (key === undefined) {
    throw new BackupFileError(
      `${file} was encrypted with backup key ${header.keyId}, which is not derived from any master key loaded here (current backup key ${keys[0]?.id ?? 'none'}); nothing was changed.`,
    );
  }
  return { header, key, bytes: size, headerBytes, recordsStart: MAGIC.length + 4 + headerLength };
}

/** The records of a backup, decrypted and authenticated one by one (RecordRefused when one fails). */
async function* records(file: string, handle: FileHandle, at: Layout): AsyncGenerator<Buffer> {
  const salt = Buffer.from(at.header.salt, 'base64');
  const derived = fileKey(at.key, salt);
  const end = at.bytes - CHECKSUM_BYTES;
  let position = at.recordsStart;
  for (let counter = 0; ; counter += 1) {
    if (position + 4 + TAG_BYTES > end) {
      throw damaged(file, 'it ends before its last record');
    }
    const length = (await readAt(handle, position, 4)).readUInt32BE(0);
    const next = position + 4 + length + TAG_BYTES;
    if (length > RECORD_BYTES || next > end) {
      throw damaged(file, 'it ends before its last record');
    }
    const record = await readAt(handle, position, 4 + length + TAG_BYTES);
    const last = next === end;
    const decipher = createDecipheriv('aes-256-gcm', derived, nonce(counter, last), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(at.headerBytes);
    decipher.setAuthTag(record.subarray(4 + length));
    const plaintext = decipher.update(record.subarray(4, 4 + length));
    try {
      decipher.final();
    } catch {
      throw new RecordRefused();
    }
    yield plaintext;
    position = next;
    if (last) {
      return;
    }
  }
}

class RecordRefused extends Error {
  override name = 'RecordRefused';
}

/** The SHA-256 of the whole file when its last 32 bytes are that of everything before them. */
async function checkedSha256(handle: FileHandle): Promise<string | undefined> {
  const { size } = await handle.stat();
  if (size < CHECKSUM_BYTES) {
    return undefined;
  }
  const end = size - CHECKSUM_BYTES;
  const hash = createHash('sha256');
  for (let position = 0; position < end; position += RECORD_BYTES) {
    hash.update(await readAt(handle, position, Math.min(RECORD_BYTES, end - position)));
  }
  const trailer = await readAt(handle, end, CHECKSUM_BYTES);
  if (!hash.copy().digest().equals(trailer)) {
    return undefined;
  }
  return hash.update(trailer).digest('hex');
}

/**
 * Checks a backup end to end before anything is touched: that it is a Haven backup, the SHA-256 of the
 * whole file, the header, the key, and every record's tag. `sink` receives the plaintext as it is
 * authenticated (e.g. to load it into a throwaway database); without it the plaintext is dropped.
 * Throws BackupFileError with one line saying what is wrong.
 */
export async function verifyBackupFile(
  file: string,
  keys: readonly BackupKey[],
  sink?: (chunk: Buffer) => void,
): Promise<OpenedBackup> {
  const handle = await openForReading(file);
  try {
    const start = await readAt(handle, 0, MAGIC.length);
    if (!start.equals(MAGIC)) {
      throw new BackupFileError(`${file} is not a Haven backup; nothing was changed.`);
    }
    const sha256 = await checkedSha256(handle);
    if (sha256 === undefined) {
      throw damaged(file, 'its SHA-256 checksum does not match');
    }
    const at = await layout(file, handle, keys);
    try {
      for await (const chunk of records(file, handle, at)) {
        sink?.(chunk);
      }
    } catch (error) {
      if (error instanceof RecordRefused) {
        throw new BackupFileError(
          `${file} does not open with backup key ${at.key.id}: it was altered after it was written; nothing was changed.`,
        );
      }
      throw error;
    }
    return { header: at.header, key: at.key, bytes: at.bytes, sha256 };
  } finally {
    await handle.close();
  }
}

/** The plaintext of a backup already verified, streamed (each record is authenticated again as it is read). */
export async function* decryptBackupFile(file: string, keys: readonly BackupKey[]): AsyncGenerator<Buffer> {
  const handle = await openForReading(file);
  try {
    const at = await layout(file, handle, keys);
    try {
      yield* records(file, handle, at);
    } catch (error) {
      throw error instanceof RecordRefused ? damaged(file, 'a record changed since it was verified') : error;
    }
  } finally {
    await handle.close();
  }
}

async function openForReading(file: string): Promise<FileHandle> {
  try {
    return await open(file, 'r');
  } catch {
    throw new BackupFileError(`${file} cannot be read (missing, or no permission).`);
  }
}
