import { createCipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';

// The backup file (docs/decisions/0010-backups.md):
//   "HAVENBAK" ‖ u32 header length ‖ header (JSON, UTF-8)
//   records: u32 plaintext length ‖ AES-256-GCM ciphertext ‖ 16-byte tag, one per MiB of dump
//   SHA-256 of every byte before it (32 bytes)
// Each record is sealed under a per-file key (HKDF of the backup key and a random salt) with a nonce
// made of its counter and a last-record flag, and the header as associated data: a record moved,
// dropped, repeated or cut off, or a header edited, fails to open (the STREAM construction of
// Hoang, Reyhanitabar, Rogaway and Vizár). So a restore never reads a byte that was not authenticated.

export const MAGIC = Buffer.from('HAVENBAK', 'ascii');
export const FORMAT_VERSION = 1;
export const RECORD_BYTES = 1024 * 1024;
export const TAG_BYTES = 16;
export const CHECKSUM_BYTES = 32;
export const MAX_HEADER_BYTES = 64 * 1024;

/** What the header says; restore refuses a file whose header it does not understand. */
export interface BackupHeader {
  format: number;
  createdAt: string;
  /** `embedded`: a PGlite data directory as a gzipped tar; `postgres`: pg_dump's custom format. */
  database: 'embedded' | 'postgres';
  havenVersion: string;
  /** Public fingerprint of the backup key (see backup-key.ts). */
  keyId: string;
  salt: string;
}

/** A backup key: 32 secret bytes and their public fingerprint. */
export interface BackupKey {
  id: string;
  key: Buffer;
}

/** The file is not a backup Haven can read, is damaged, or was made with another key. */
export class BackupFileError extends Error {
  override name = 'BackupFileError';
}

export interface WrittenBackup {
  bytes: number;
  sha256: string;
}

export function fileKey(key: BackupKey, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', key.key, salt, 'haven backup file v1', 32));
}

export function nonce(counter: number, last: boolean): Buffer {
  const value = Buffer.alloc(12);
  value.writeUIntBE(counter, 5, 6);
  value[11] = last ? 1 : 0;
  return value;
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value);
  return out;
}

/**
 * Encrypts `source` into `file` (mode 0600) as it arrives, one record at a time, so a dump of any size
 * passes through a megabyte of memory. Written to `<file>.partial` and renamed at the end: a backup
 * that failed half-way never looks like a backup.
 */
export async function writeBackupFile(
  file: string,
  source: AsyncIterable<Uint8Array>,
  header: Omit<BackupHeader, 'format' | 'salt' | 'keyId'>,
  key: BackupKey,
): Promise<WrittenBackup> {
  const salt = randomBytes(16);
  const full: BackupHeader = {
    format: FORMAT_VERSION,
    ...header,
    keyId: key.id,
    salt: salt.toString('base64'),
  };
  const headerBytes = Buffer.from(JSON.stringify(full), 'utf8');
  const partial = `${file}.partial`;
  const handle = await open(partial, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  const write = async (chunk: Buffer): Promise<void> => {
    hash.update(chunk);
    bytes += chunk.length;
    await handle.write(chunk);
  };
  try {
    const derived = fileKey(key, salt);
    let counter = 0;
    const seal = async (plaintext: Buffer, last: boolean): Promise<void> => {
      const cipher = createCipheriv('aes-256-gcm', derived, nonce(counter, last), {
        authTagLength: TAG_BYTES,
      });
      cipher.setAAD(headerBytes);
      const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
      await write(Buffer.concat([u32(plaintext.length), body, cipher.getAuthTag()]));
      counter += 1;
    };
    await write(Buffer.concat([MAGIC, u32(headerBytes.length), headerBytes]));
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for await (const chunk of source) {
      pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      pendingBytes += chunk.byteLength;
      while (pendingBytes >= RECORD_BYTES) {
        const joined = Buffer.concat(pending);
        await seal(joined.subarray(0, RECORD_BYTES), false);
        pending = [joined.subarray(RECORD_BYTES)];
        pendingBytes = joined.length - RECORD_BYTES;
      }
    }
    await seal(Buffer.concat(pending), true);
    const checksum = hash.copy().digest();
    await write(checksum);
    await handle.sync();
    await handle.close();
    await rename(partial, file);
    // The hash has now seen the checksum too: it is the SHA-256 of the whole file, as sha256sum says.
    return { bytes, sha256: hash.digest('hex') };
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}
