import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer as createNetServer } from 'node:net';
import { createSecureContext } from 'node:tls';
import type { Logger } from 'pino';
import { buildApp, type HavenApp } from './app.ts';
import { ConfigError, type Config } from './platform/config.ts';
import { ensureDemoSchool, type DemoSchool } from './modules/imports/demo.service.ts';
import { resetInterruptedImports } from './modules/imports/staged-imports.service.ts';
import { ensurePlatformOperator } from './modules/organisations/users.service.ts';
import { checkpointAll } from './platform/audit/verify.ts';
import { scheduleJobs } from './platform/jobs/scheduler.ts';
import { deadlineRemindersJob } from './modules/privacy/reminders.jobs.ts';
import { pepRemindersJob } from './modules/pep/pep.jobs.ts';
import { retentionJob } from './modules/retention/retention.jobs.ts';
import { connectorsJob } from './modules/connectors/connectors.jobs.ts';
import { breachAlertsJob } from './modules/governance/breaches.jobs.ts';
import { backupJob } from './modules/retention/backups.jobs.ts';
import { lockDataDirectory } from './platform/process-lock.ts';
import { openServices, type Services } from './services.ts';

/** The port is taken by another program. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

export interface RunningServer {
  app: HavenApp;
  url: string;
  /** Set on the very first start only: the platform operator account it created. */
  firstOperator: { email: string; password: string } | undefined;
  /** Set on the very first start only (unless turned off): the demo school and its account. */
  demo: DemoSchool | undefined;
  /** Stops accepting, lets in-flight requests finish, closes the database, releases the data directory. */
  stop: () => Promise<void>;
}

/** Opens the database (migrating it), builds the app and listens. */
export async function startServer(
  config: Config,
  log: Logger,
  options: { demo: boolean } = { demo: false },
): Promise<RunningServer> {
  // A certificate that cannot be used stops the start before the database is opened.
  const tls = readTls(config);
  await probePort(config);
  const lock = lockDataDirectory(config.dataDir);
  let services: Services | undefined;
  let app: HavenApp | undefined;
  let firstOperator: RunningServer['firstOperator'];
  let demo: RunningServer['demo'];
  try {
    services = await openServices(config, log);
    firstOperator = await ensurePlatformOperator(services, config.adminEmail);
    // A commit a stopped process was running never committed: it may be started again.
    await resetInterruptedImports(services);
    app = await buildApp({ services, logger: log, trustProxy: config.trustProxy, tls });
    await listen(app, config);
    if (options.demo) {
      demo = await ensureDemoSchool(services, config.demoEmail);
    }
  } catch (error) {
    await app?.close().catch(() => undefined);
    await services?.db.close().catch(() => undefined);
    lock.release();
    throw error;
  }
  const address: AddressInfo | string | null = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const running = services;
  const openApp = app;
  const checkpoints = scheduleCheckpoints(services, log, config.auditCheckpointMinutes);
  const stopJobs = scheduleJobs(services.db, log, [
    deadlineRemindersJob(services),
    pepRemindersJob(services),
    retentionJob(services),
    breachAlertsJob(services),
    connectorsJob(services, log),
    // Two a day unless HAVEN_BACKUP_SCHEDULE says otherwise (or off).
    ...(config.backups.schedule === undefined ? [] : [backupJob(services, { trigger: 'scheduled' })]),
  ]);
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      clearInterval(checkpoints);
      stopJobs();
      try {
        await openApp.close();
      } finally {
        // Background work may still need the database and queue mail: before both close.
        await running.background.drain();
        await running.mailer.close();
        await running.db.close();
        lock.release();
      }
    })();
    return stopping;
  };
  const scheme = config.tls === undefined ? 'http' : 'https';
  return { app, url: `${scheme}://${displayHost(config.host)}:${port}`, firstOperator, demo, stop };
}

/** The certificate and key files' contents; a file that is not PEM is named in one line. */
function readTls(config: Config): { cert: Buffer; key: Buffer } | undefined {
  if (config.tls === undefined) {
    return undefined;
  }
  const cert = readFileSync(config.tls.certFile);
  const key = readFileSync(config.tls.keyFile);
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(
      `--tls-cert ${config.tls.certFile} and --tls-key ${config.tls.keyFile} are not a PEM certificate and its private key (${reason}).`,
    );
  }
  return { cert, key };
}

async function listen(app: HavenApp, config: Config): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    throw portInUse(error, config) ?? error;
  }
}

/**
 * Fails fast when the port is taken: before opening (on a first start, migrating) the database and
 * building the app, which can take a while. The real listen still decides; other errors are left to it.
 */
async function probePort(config: Config): Promise<void> {
  if (config.port === 0) {
    return;
  }
  const probe = createNetServer();
  try {
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen({ port: config.port, host: config.host }, resolve);
    });
  } catch (error) {
    const taken = portInUse(error, config);
    if (taken !== undefined) {
      throw taken;
    }
    return;
  }
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

function portInUse(error: unknown, config: Config): PortInUseError | undefined {
  return error instanceof Error && 'code' in error && error.code === 'EADDRINUSE'
    ? new PortInUseError(
        `Port ${config.port} is already in use on ${config.host}. Stop the other program or choose another port with --port.`,
      )
    : undefined;
}

/**
 * Signs every audit chain's head periodically. Several app processes may do this at once: a checkpoint
 * is keyed by (organisation, event number), so a second signature of the same head is simply skipped.
 */
function scheduleCheckpoints(services: Services, log: Logger, minutes: number): NodeJS.Timeout | undefined {
  if (minutes === 0) {
    return undefined;
  }
  const timer = setInterval(() => {
    checkpointAll(services.db, (message) => services.keyring.provider.signAudit(message)).then(
      (signed) => log.info({ signed }, 'audit checkpoints signed'),
      (error: unknown) => log.error({ err: error }, 'audit checkpoint failed'),
    );
  }, minutes * 60_000);
  timer.unref();
  return timer;
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') {
    return 'localhost';
  }
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Stops the server on SIGTERM or SIGINT: in-flight requests finish, the embedded database is closed
 * cleanly. A second signal, or a stop that outlasts the timeout, exits at once.
 */
export function stopOnSignals(server: RunningServer, log: Logger, timeoutMs: number): void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    signalled = true;
    log.info({ signal }, 'stopping: finishing in-flight requests');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'stop took too long: exiting now');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    server.stop().then(
      () => {
        log.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log.error({ err: error }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
