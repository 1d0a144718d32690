import { randomBytes } from 'node:crypto';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.ts';
import { Keyring } from '../../src/platform/crypto/keyring.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';
import type { Services } from '../../src/services.ts';

/** A migrated test database (PGlite, or PostgreSQL with HAVEN_TEST_DATABASE_URL) and a keyring over a fresh master key. */
export interface TestServices extends Services {
  testDb: TestDatabase;
  /** The master key of `keyring`, for tests that rotate it. */
  masterKey: Buffer;
  close: () => Promise<void>;
}

export async function createTestServices(options: { migrate?: boolean } = {}): Promise<TestServices> {
  const testDb = await createTestDatabase(options);
  const masterKey = randomBytes(32);
  return {
    testDb,
    db: testDb.db,
    masterKey,
    keyring: new Keyring(new LocalKeyProvider(masterKey)),
    close: () => testDb.close(),
  };
}
