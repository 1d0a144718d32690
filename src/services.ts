import type { Logger } from 'pino';
import type { DB } from './database.ts';
import { auditPlatformContext } from './platform/audit/audit-log.ts';
import { BackgroundTasks } from './platform/background.ts';
import type { AuthSettings, BackupSettings, Config, GovernanceSettings } from './platform/config.ts';
import { Keyring } from './platform/crypto/keyring.ts';
import { loadKeyProvider } from './platform/crypto/master-key.ts';
import type { HavenDatabase } from './platform/db/database.ts';
import { openDatabase, sourceFor } from './platform/db/open.ts';
import { Mailer } from './platform/mail/mailer.ts';

/** What module services need from the platform, built once per process (server, CLI command or test). */
export interface Services {
  db: HavenDatabase<DB>;
  keyring: Keyring;
  auth: AuthSettings;
  mailer: Mailer;
  /** Work requests start without waiting for it (e.g. a password-reset request's lookup and mail). */
  background: BackgroundTasks;
  /** Base of links in e-mails and CLI output, e.g. https://haven.example.org. */
  publicUrl: string;
  /** The operator's name and contact and the declared storage regions (the ROPA states them). */
  governance: GovernanceSettings;
  /** Where backups go and how many are kept. */
  backups: BackupSettings;
  /** Where the schools' drop folders are (`<dir>/<school id>`), set by the operator, never by a school. */
  connectorDir: string;
  /** Whether OneRoster connections may reach private addresses (see Config). */
  connectorPrivateHosts: boolean;
}

/**
 * Loads the master key (refusing a missing or malformed one before touching the database), then opens
 * and migrates the database.
 */
export async function openServices(config: Config, log: Logger): Promise<Services> {
  const keyring = new Keyring(loadKeyProvider(config, log));
  const db = await openDatabase<DB>(await sourceFor(config), log, {
    migrate: true,
    onPlatformContext: auditPlatformContext,
  });
  return {
    db,
    keyring,
    auth: config.auth,
    mailer: new Mailer(config.mail, log),
    background: new BackgroundTasks(log),
    publicUrl: config.publicUrl,
    governance: config.governance,
    backups: config.backups,
    connectorDir: config.connectorDir,
    connectorPrivateHosts: config.connectorPrivateHosts,
  };
}
