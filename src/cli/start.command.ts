import type { Command } from 'commander';
import { describeDatabase } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startServer, stopOnSignals } from '../server.ts';
import { configFrom, type CommonOptions } from './context.ts';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('serve the API and web app (embedded database unless DATABASE_URL is set)')
    .option('--port <port>', 'port to listen on (default 8080, or PORT)')
    .option('--host <host>', 'address to listen on (default localhost, or HAVEN_HOST)')
    .action(async (options: CommonOptions & { port?: string; host?: string }) => {
      const config = configFrom(options);
      const log = createLogger(config.logLevel);
      const server = await startServer(config, log);
      stopOnSignals(server, log, config.shutdownTimeoutMs);
      console.error(`Haven is running at ${server.url}`);
      console.error(`  database: ${describeDatabase(config)}`);
      console.error(`  API docs: ${server.url}/api/docs    stop with Ctrl+C`);
    });
}
