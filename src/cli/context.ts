import type { Logger } from 'pino';
import { loadConfig, type Config } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { lockDataDirectory } from '../platform/process-lock.ts';
import { openServices, type Services } from '../services.ts';

/** Options every command accepts. */
export interface CommonOptions {
  data?: string;
}

export function configFrom(
  options: CommonOptions & { port?: string; host?: string; tlsCert?: string; tlsKey?: string },
): Config {
  return loadConfig(process.env, {
    data: options.data,
    port: options.port,
    host: options.host,
    tlsCert: options.tlsCert,
    tlsKey: options.tlsKey,
  });
}

/** Logs of one-shot commands go to stderr and only warnings: stdout is for results scripts read. */
export function commandLogger(config: Config): Logger {
  return createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
}

/**
 * Runs `work` with the migrated database and the keyring. The data directory is locked for the duration,
 * so a command never writes an embedded database that a running server holds.
 */
export async function withServices<R>(config: Config, work: (services: Services) => Promise<R>): Promise<R> {
  const lock = lockDataDirectory(config.dataDir);
  try {
    const services = await openServices(config, commandLogger(config));
    try {
      return await work(services);
    } finally {
      await services.background.drain();
      await services.mailer.close();
      await services.db.close();
    }
  } finally {
    lock.release();
  }
}

/** Prints what a command created: a JSON object with --json, else lines ending with the id alone. */
export function printCreated(
  json: boolean,
  summary: string,
  record: { id: string } & Record<string, unknown>,
): void {
  if (json) {
    console.log(JSON.stringify(record));
    return;
  }
  console.log(summary);
  console.log(record.id);
}
