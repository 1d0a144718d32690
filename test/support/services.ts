import { randomBytes } from 'node:crypto';
import { DEFAULT_AUTH_SETTINGS } from '../../src/platform/config.ts';
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
    // Every test signs in from 127.0.0.1: the per-address rate limit has its own test.
    auth: { ...DEFAULT_AUTH_SETTINGS, loginRatePerMinute: 10_000 },
    close: () => testDb.close(),
  };
}
