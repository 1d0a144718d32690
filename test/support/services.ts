import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { BackgroundTasks } from '../../src/platform/background.ts';
import { DEFAULT_AUTH_SETTINGS, type GovernanceSettings } from '../../src/platform/config.ts';
import { LocalKeyProvider } from '../../src/platform/crypto/key-provider.ts';
import { Keyring } from '../../src/platform/crypto/keyring.ts';
import { Mailer } from '../../src/platform/mail/mailer.ts';
import type { Services } from '../../src/services.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

/** A migrated test database (PGlite, or PostgreSQL with HAVEN_TEST_DATABASE_URL) and a keyring over a fresh master key. */
export interface TestServices extends Services {
  testDb: TestDatabase;
  /** The master key of `keyring`, for tests that rotate it. */
  masterKey: Buffer;
  /** Where `mailer` writes its messages (a fresh temporary directory). */
  outboxDir: string;
  close: () => Promise<void>;
}

/** Tests run as an operator that declared a UK database and no separate backup region. */
export const TEST_GOVERNANCE: GovernanceSettings = {
  operatorName: 'Haven Test Operator Ltd',
  operatorContact: 'dpo@haven.test',
  storageRegion: { code: 'GB', name: 'United Kingdom', basis: 'uk', location: 'test machine' },
  backupRegion: undefined,
};

export async function createTestServices(options: { migrate?: boolean } = {}): Promise<TestServices> {
  const testDb = await createTestDatabase(options);
  const masterKey = randomBytes(32);
  const outboxDir = await mkdtemp(path.join(tmpdir(), 'haven-outbox-'));
  const backupDir = await mkdtemp(path.join(tmpdir(), 'haven-backups-'));
  const connectorDir = await mkdtemp(path.join(tmpdir(), 'haven-connectors-'));
  const log = pino({ level: 'silent' });
  const mailer = new Mailer({ smtpUrl: undefined, from: 'Haven <no-reply@haven.test>', outboxDir }, log);
  const background = new BackgroundTasks(log);
  return {
    testDb,
    db: testDb.db,
    masterKey,
    keyring: new Keyring(new LocalKeyProvider(masterKey)),
    // Every test signs in from 127.0.0.1: the per-address rate limit has its own test.
    auth: { ...DEFAULT_AUTH_SETTINGS, loginRatePerMinute: 10_000 },
    mailer,
    background,
    publicUrl: 'https://haven.test',
    governance: TEST_GOVERNANCE,
    backups: { dir: backupDir, keep: 14, schedule: undefined },
    connectorDir,
    connectorPrivateHosts: false,
    outboxDir,
    close: async () => {
      await background.drain();
      await mailer.close();
      await rm(outboxDir, { recursive: true, force: true });
      await rm(backupDir, { recursive: true, force: true });
      await rm(connectorDir, { recursive: true, force: true });
      await testDb.close();
    },
  };
}

/**
 * Every message the test services' mailer has written, oldest first, as raw RFC 822 text. Waits for
 * background work first (it may queue mail, e.g. a password-reset request), then for the mail itself.
 */
export async function readOutbox(services: TestServices): Promise<string[]> {
  await services.background.drain();
  await services.mailer.drain();
  const names = (await readdir(services.outboxDir)).sort();
  const raw = await Promise.all(names.map((name) => readFile(path.join(services.outboxDir, name), 'utf8')));
  return raw.map(decodeQuotedPrintable);
}

// Long lines are sent quoted-printable: undo soft line breaks and =XX escapes so tests read plain text.
function decodeQuotedPrintable(message: string): string {
  return message
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** The one-time token in the newest message's link (`...#token=...`). */
export async function tokenFromLatestMail(services: TestServices): Promise<string> {
  const messages = await readOutbox(services);
  const match = /#token=([A-Za-z0-9_-]+)/.exec(messages.at(-1) ?? '');
  if (match?.[1] === undefined) {
    throw new Error('no message with a one-time link in the outbox');
  }
  return match[1];
}
