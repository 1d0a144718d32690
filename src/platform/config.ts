import path from 'node:path';

/** Typed configuration for one Haven process, read from the environment and command-line flags. */
export interface Config {
  /** Directory for the embedded database, keys, outbox and the process lock. */
  dataDir: string;
  /** PostgreSQL connection string; when absent Haven uses the embedded database in `<dataDir>/db`. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  logLevel: LogLevel;
  /** Honour X-Forwarded-* headers (set only behind a trusted load balancer). */
  trustProxy: boolean;
  /** How long a graceful stop waits for in-flight requests before giving up. */
  shutdownTimeoutMs: number;
  /** Size of the PostgreSQL connection pool per process. */
  databasePoolSize: number;
  /** How often the server signs a checkpoint of every audit chain (0 = never; use `audit checkpoint`). */
  auditCheckpointMinutes: number;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Values given on the command line; they win over the environment. */
export interface ConfigFlags {
  data?: string | undefined;
  port?: string | undefined;
  host?: string | undefined;
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
  return {
    dataDir,
    databaseUrl: parseDatabaseUrl(env.DATABASE_URL),
    host: nonEmpty(flags.host, '--host') ?? nonEmpty(env.HAVEN_HOST, 'HAVEN_HOST') ?? 'localhost',
    port: flags.port !== undefined ? parsePort(flags.port, '--port') : parsePort(env.PORT ?? '8080', 'PORT'),
    logLevel: parseLogLevel(env.HAVEN_LOG_LEVEL ?? 'info'),
    trustProxy: parseBoolean(env.HAVEN_TRUST_PROXY ?? 'false', 'HAVEN_TRUST_PROXY'),
    shutdownTimeoutMs: parseInteger(
      env.HAVEN_SHUTDOWN_TIMEOUT_MS ?? '10000',
      'HAVEN_SHUTDOWN_TIMEOUT_MS',
      100,
      600_000,
    ),
    databasePoolSize: parseInteger(env.HAVEN_DATABASE_POOL_SIZE ?? '10', 'HAVEN_DATABASE_POOL_SIZE', 1, 500),
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
