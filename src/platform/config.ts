import { accessSync, constants } from 'node:fs';
import { isIP } from 'node:net';
import { Cron } from 'croner';
import path from 'node:path';
import type { MailSettings } from './mail/mailer.ts';
import { parseRegion, type Region } from './residency.ts';

/** Typed configuration for one Haven process, read from the environment and command-line flags. */
export interface Config {
  /** Directory for the embedded database, keys, outbox and the process lock. */
  dataDir: string;
  /** PostgreSQL connection string; when absent Haven uses the embedded database in `<dataDir>/db`. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  /** Serve HTTPS directly from these PEM files (--tls-cert/--tls-key, HAVEN_TLS_CERT/HAVEN_TLS_KEY). */
  tls: TlsFiles | undefined;
  logLevel: LogLevel;
  /** Which X-Forwarded-* hops to believe (HAVEN_TRUST_PROXY); false: none, the client is the peer. */
  trustProxy: TrustProxy;
  /** How long a graceful stop waits for in-flight requests before giving up. */
  shutdownTimeoutMs: number;
  /** Size of the PostgreSQL connection pool per process. */
  databasePoolSize: number;
  /** How often the server signs a checkpoint of every audit chain (0 = never; use `audit checkpoint`). */
  auditCheckpointMinutes: number;
  auth: AuthSettings;
  /** E-mail of the platform operator the first start creates. */
  adminEmail: string;
  /** E-mail of the account the first start creates for exploring the demo school. */
  demoEmail: string;
  mail: MailSettings;
  /** The address users open Haven at, for links in e-mails and the CLI (HAVEN_PUBLIC_URL). */
  publicUrl: string;
  backups: BackupSettings;
  /** HAVEN_CONNECTOR_DIR, default `<data>/connectors`: each school's drop folder is `<dir>/<school id>`. */
  connectorDir: string;
  /**
   * HAVEN_CONNECTOR_PRIVATE_HOSTS, default false: whether a school's OneRoster connection may point at a
   * loopback, private or link-local address (an MIS server on the operator's own network). Off, a school
   * admin cannot make Haven reach into the network it runs in.
   */
  connectorPrivateHosts: boolean;
  /** Who runs this Haven and where its data is: for the record of processing activities. */
  governance: GovernanceSettings;
}

/** The operator (the processor) and the declared storage places (undefined: not declared). */
export interface GovernanceSettings {
  operatorName: string | undefined;
  operatorContact: string | undefined;
  storageRegion: Region | undefined;
  backupRegion: Region | undefined;
}

/** The server's certificate chain and private key, as PEM files. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** Where backups go and how many are kept (docs/backups.md). */
export interface BackupSettings {
  /** HAVEN_BACKUP_DIR, default `<data>/backups`: scheduled backups and the erasure ledger file. */
  dir: string;
  /** HAVEN_BACKUP_KEEP, default 14 (a week of two a day): older scheduled backups are deleted. */
  keep: number;
  /** HAVEN_BACKUP_SCHEDULE: a croner pattern (Europe/London), default 01:00 and 13:00; undefined: off. */
  schedule: string | undefined;
}

/** Two backups a day, at 01:00 and 13:00 London time. */
export const DEFAULT_BACKUP_SCHEDULE = '0 1,13 * * *';

/**
 * Fastify's trustProxy, narrowed: a number of proxy hops in front of Haven, or the proxies' addresses
 * (IPs or CIDR ranges). Never `true`: trusting every hop lets any client name its own address in
 * X-Forwarded-For, and so walk past every per-address rate limit.
 */
export type TrustProxy = false | number | string[];

/** Sign-in and session rules. */
export interface AuthSettings {
  /** A session unused this long ends (default 15 minutes). */
  sessionIdleMinutes: number;
  /** No session lives longer than this (default 12 hours). */
  sessionMaxHours: number;
  /** Set the Secure flag on the session cookie (turn off only for plain-HTTP development). */
  cookieSecure: boolean;
  /** Failed sign-ins for one address before it is locked. */
  loginMaxFailures: number;
  loginLockMinutes: number;
  /** Sign-in attempts one client address may make per minute, whatever the e-mail. */
  loginRatePerMinute: number;
  /** Requests one app token may make to the app data API per five minutes. */
  appRatePerFiveMinutes: number;
  /** The public origin (e.g. https://haven.example.org) state-changing requests must come from. */
  publicOrigin: string | undefined;
}

export const DEFAULT_AUTH_SETTINGS: AuthSettings = {
  sessionIdleMinutes: 15,
  sessionMaxHours: 12,
  cookieSecure: true,
  loginMaxFailures: 5,
  loginLockMinutes: 15,
  loginRatePerMinute: 20,
  appRatePerFiveMinutes: 600,
  publicOrigin: undefined,
};

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Values given on the command line; they win over the environment. */
export interface ConfigFlags {
  data?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
}

/** A configuration problem: the message names the variable or flag and the value that was wrong. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** Reads and validates configuration; throws ConfigError with one clear line for the first bad value. */
export function loadConfig(env: Env = process.env, flags: ConfigFlags = {}): Config {
  const dataDir = path.resolve(
    nonEmpty(flags.data, '--data') ?? nonEmpty(env.HAVEN_DATA, 'HAVEN_DATA') ?? 'data',
  );
  const host = nonEmpty(flags.host, '--host') ?? nonEmpty(env.HAVEN_HOST, 'HAVEN_HOST') ?? 'localhost';
  const port =
    flags.port !== undefined ? parsePort(flags.port, '--port') : parsePort(env.PORT ?? '8080', 'PORT');
  const publicOrigin = parsePublicUrl(env.HAVEN_PUBLIC_URL);
  const tls = parseTls(
    nonEmpty(flags.tlsCert, '--tls-cert') ?? nonEmpty(env.HAVEN_TLS_CERT, 'HAVEN_TLS_CERT'),
    nonEmpty(flags.tlsKey, '--tls-key') ?? nonEmpty(env.HAVEN_TLS_KEY, 'HAVEN_TLS_KEY'),
  );
  return {
    dataDir,
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    host,
    port,
    tls,
    publicUrl: publicOrigin ?? `${tls === undefined ? 'http' : 'https'}://${host}:${port}`,
    mail: {
      smtpUrl: parseSmtpUrl(env.HAVEN_SMTP_URL),
      from: nonEmpty(env.HAVEN_MAIL_FROM, 'HAVEN_MAIL_FROM') ?? 'Haven <no-reply@haven.localhost>',
      outboxDir: path.join(dataDir, 'outbox'),
    },
    logLevel: parseLogLevel(env.HAVEN_LOG_LEVEL ?? 'info'),
    trustProxy: parseTrustProxy(env.HAVEN_TRUST_PROXY),
    shutdownTimeoutMs: parseInteger(
      env.HAVEN_SHUTDOWN_TIMEOUT_MS ?? '10000',
      'HAVEN_SHUTDOWN_TIMEOUT_MS',
      100,
      600_000,
    ),
    databasePoolSize: parseInteger(env.HAVEN_DATABASE_POOL_SIZE ?? '10', 'HAVEN_DATABASE_POOL_SIZE', 1, 500),
    adminEmail: nonEmpty(env.HAVEN_ADMIN_EMAIL, 'HAVEN_ADMIN_EMAIL') ?? 'admin@haven.localhost',
    demoEmail: nonEmpty(env.HAVEN_DEMO_EMAIL, 'HAVEN_DEMO_EMAIL') ?? 'demo@haven.localhost',
    auth: {
      sessionIdleMinutes: parseInteger(
        env.HAVEN_SESSION_IDLE_MINUTES ?? '15',
        'HAVEN_SESSION_IDLE_MINUTES',
        1,
        1440,
      ),
      sessionMaxHours: parseInteger(env.HAVEN_SESSION_MAX_HOURS ?? '12', 'HAVEN_SESSION_MAX_HOURS', 1, 720),
      // Served over TLS, the session cookie is always Secure: HAVEN_COOKIE_SECURE=false is for plain-HTTP
      // development only.
      cookieSecure:
        tls !== undefined || parseBoolean(env.HAVEN_COOKIE_SECURE ?? 'true', 'HAVEN_COOKIE_SECURE'),
      loginMaxFailures: parseInteger(env.HAVEN_LOGIN_MAX_FAILURES ?? '5', 'HAVEN_LOGIN_MAX_FAILURES', 1, 100),
      loginLockMinutes: parseInteger(
        env.HAVEN_LOGIN_LOCK_MINUTES ?? '15',
        'HAVEN_LOGIN_LOCK_MINUTES',
        1,
        1440,
      ),
      loginRatePerMinute: parseInteger(
        env.HAVEN_LOGIN_RATE_PER_MINUTE ?? '20',
        'HAVEN_LOGIN_RATE_PER_MINUTE',
        1,
        100_000,
      ),
      appRatePerFiveMinutes: parseInteger(
        env.HAVEN_APP_RATE_PER_5_MINUTES ?? '600',
        'HAVEN_APP_RATE_PER_5_MINUTES',
        1,
        1_000_000,
      ),
      publicOrigin,
    },
    governance: {
      operatorName: nonEmpty(env.HAVEN_OPERATOR_NAME, 'HAVEN_OPERATOR_NAME'),
      operatorContact: nonEmpty(env.HAVEN_OPERATOR_CONTACT, 'HAVEN_OPERATOR_CONTACT'),
      storageRegion: declaredRegion(env.HAVEN_STORAGE_REGION, 'HAVEN_STORAGE_REGION'),
      backupRegion: declaredRegion(env.HAVEN_BACKUP_REGION, 'HAVEN_BACKUP_REGION'),
    },
    backups: {
      dir: path.resolve(nonEmpty(env.HAVEN_BACKUP_DIR, 'HAVEN_BACKUP_DIR') ?? path.join(dataDir, 'backups')),
      keep: parseInteger(env.HAVEN_BACKUP_KEEP ?? '14', 'HAVEN_BACKUP_KEEP', 1, 10_000),
      schedule: parseSchedule(env.HAVEN_BACKUP_SCHEDULE),
    },
    connectorDir: path.resolve(
      nonEmpty(env.HAVEN_CONNECTOR_DIR, 'HAVEN_CONNECTOR_DIR') ?? path.join(dataDir, 'connectors'),
    ),
    connectorPrivateHosts: parseBoolean(
      env.HAVEN_CONNECTOR_PRIVATE_HOSTS ?? 'false',
      'HAVEN_CONNECTOR_PRIVATE_HOSTS',
    ),
    auditCheckpointMinutes: parseInteger(
      env.HAVEN_AUDIT_CHECKPOINT_MINUTES ?? '60',
      'HAVEN_AUDIT_CHECKPOINT_MINUTES',
      0,
      10_080,
    ),
  };
}

function nonEmpty(value: string | undefined, name: string): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (value.trim() === '') {
    throw new ConfigError(`${name} is set but empty; give a value or leave it unset.`);
  }
  return value;
}

function parseDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError('DATABASE_URL is not a valid URL; expected postgres://user@host:5432/database.');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      `DATABASE_URL must start with postgres:// or postgresql:// (got "${url.protocol}//").`,
    );
  }
  if (url.pathname === '' || url.pathname === '/') {
    throw new ConfigError('DATABASE_URL names no database; expected postgres://user@host:5432/database.');
  }
  return value;
}

function parseTls(certFile: string | undefined, keyFile: string | undefined): TlsFiles | undefined {
  if (certFile === undefined && keyFile === undefined) {
    return undefined;
  }
  if (certFile === undefined || keyFile === undefined) {
    throw new ConfigError(
      'TLS needs both a certificate and its private key: give --tls-cert and --tls-key (or HAVEN_TLS_CERT and HAVEN_TLS_KEY), or neither.',
    );
  }
  for (const [file, name] of [
    [certFile, '--tls-cert (HAVEN_TLS_CERT)'],
    [keyFile, '--tls-key (HAVEN_TLS_KEY)'],
  ] as const) {
    try {
      accessSync(file, constants.R_OK);
    } catch {
      throw new ConfigError(`${name} names ${file}, which does not exist or cannot be read.`);
    }
  }
  return { certFile: path.resolve(certFile), keyFile: path.resolve(keyFile) };
}

function parseSmtpUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // reported below
  }
  if (protocol !== 'smtp:' && protocol !== 'smtps:') {
    throw new ConfigError(
      'HAVEN_SMTP_URL must look like smtp://user:password@mail.example.org:587 (or smtps://... for TLS on connect).',
    );
  }
  return value;
}

function parsePublicUrl(value: string | undefined): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new Error('protocol');
    }
    return url.origin;
  } catch {
    throw new ConfigError(
      `HAVEN_PUBLIC_URL must be the address users open, e.g. https://haven.example.org (got "${value}").`,
    );
  }
}

function parsePort(value: string, name: string): number {
  return parseInteger(value, name, 0, 65_535);
}

function parseInteger(value: string, name: string, min: number, max: number): number {
  if (!/^\d+$/.test(value.trim())) {
    throw new ConfigError(`${name} must be a whole number between ${min} and ${max} (got "${value}").`);
  }
  const parsed = Number(value.trim());
  if (parsed < min || parsed > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max} (got ${parsed}).`);
  }
  return parsed;
}

function parseBoolean(value: string, name: string): boolean {
  const normalised = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(normalised)) {
    return true;
  }
  if (['0', 'false', 'no', 'off'].includes(normalised)) {
    return false;
  }
  throw new ConfigError(`${name} must be true or false (got "${value}").`);
}

const MAX_PROXY_HOPS = 10;

function parseTrustProxy(value: string | undefined): TrustProxy {
  const given = value?.trim() ?? '';
  if (given === '' || given.toLowerCase() === 'false') {
    return false;
  }
  if (['true', 'yes', 'on'].includes(given.toLowerCase())) {
    throw new ConfigError(
      `HAVEN_TRUST_PROXY=${given} would believe X-Forwarded-For from anyone, so clients could dodge the rate limits; give the number of proxies in front of Haven (e.g. 1) or their addresses (e.g. 10.0.0.5,10.0.1.0/24), or false.`,
    );
  }
  if (/^\d+$/.test(given)) {
    const hops = parseInteger(given, 'HAVEN_TRUST_PROXY', 0, MAX_PROXY_HOPS);
    return hops === 0 ? false : hops;
  }
  const addresses = given.split(',').map((entry) => entry.trim());
  const wrong = addresses.find((entry) => !isAddressOrRange(entry));
  if (wrong !== undefined) {
    throw new ConfigError(
      `HAVEN_TRUST_PROXY must be false, a number of proxies (e.g. 1) or a comma-separated list of proxy addresses (e.g. 10.0.0.5,10.0.1.0/24); "${wrong}" is none of these.`,
    );
  }
  return addresses;
}

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length that fits it. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** A declared storage region; start-up refuses one outside the allowed list (residency.json). */
function declaredRegion(value: string | undefined, name: string): Region | undefined {
  const given = nonEmpty(value, name);
  if (given === undefined) {
    return undefined;
  }
  const parsed = parseRegion(given);
  if ('problem' in parsed) {
    throw new ConfigError(`${name} ${parsed.problem} (got "${given.trim()}").`);
  }
  return parsed.region;
}

function parseSchedule(value: string | undefined): string | undefined {
  const given = value?.trim() ?? '';
  if (given === '') {
    return DEFAULT_BACKUP_SCHEDULE;
  }
  if (given.toLowerCase() === 'off') {
    return undefined;
  }
  try {
    new Cron(given, { paused: true }).stop();
  } catch {
    throw new ConfigError(
      `HAVEN_BACKUP_SCHEDULE must be a cron pattern such as "${DEFAULT_BACKUP_SCHEDULE}" (01:00 and 13:00), or off (got "${given}").`,
    );
  }
  return given;
}

function parseLogLevel(value: string): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === value.trim().toLowerCase());
  if (level === undefined) {
    throw new ConfigError(`HAVEN_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${value}").`);
  }
  return level;
}

/** The connection string with any password masked, for messages and logs. */
export function describeDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  if (config.databaseUrl === undefined) {
    return `embedded PostgreSQL (PGlite) in ${path.join(config.dataDir, 'db')}`;
  }
  const url = new URL(config.databaseUrl);
  if (url.password !== '') {
    url.password = '****';
  }
  return `PostgreSQL at ${url.host}${url.pathname}`;
}
