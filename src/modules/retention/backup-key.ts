import { createHmac } from 'node:crypto';
import type { KeyProvider } from '../../platform/crypto/key-provider.ts';
import type { BackupKey } from './backup-format.ts';

// The backup key is derived from the master key (HKDF, label "haven backup v1"), not configured apart
// (docs/decisions/0010-backups.md): a backup is of no use without the master key that wrapped its school
// keys, so a second secret would add a way to lose the backups without adding protection. Keys derived
// from previous master keys are offered too, so a backup taken before a master key rotation still
// opens while that previous key is loaded.

const PURPOSE = 'backup';

/** Public fingerprint of a backup key, written in each backup's header. */
function backupKeyId(key: Buffer): string {
  return createHmac('sha256', key).update('haven backup key id').digest('hex').slice(0, 16);
}

/** The backup keys this process can use, current first (new backups use the first). */
export function backupKeys(provider: KeyProvider): BackupKey[] {
  return provider.deriveSecrets(PURPOSE).map((key) => ({ id: backupKeyId(key), key }));
}

/** The key new backups are encrypted with. */
export function currentBackupKey(provider: KeyProvider): BackupKey {
  const [current] = backupKeys(provider);
  if (current === undefined) {
    throw new Error('no master key is loaded');
  }
  return current;
}
