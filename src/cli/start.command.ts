import type { Command } from 'commander';
import { describeDatabase } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { startServer, stopOnSignals } from '../server.ts';
import { configFrom, type CommonOptions } from './context.ts';
import { ensureWebBuilt } from './web-build.ts';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('serve the API and web app (embedded database unless DATABASE_URL is set)')
    .option('--port <port>', 'port to listen on (default 8080, or PORT)')
    .option('--host <host>', 'address to listen on (default localhost, or HAVEN_HOST)')
    .option('--tls-cert <file>', 'serve HTTPS with this PEM certificate chain (or HAVEN_TLS_CERT)')
    .option('--tls-key <file>', 'the PEM private key of --tls-cert (or HAVEN_TLS_KEY)')
    .option('--no-demo', 'on a platform with no school yet, do not create the demo school')
    .option('--no-web-build', 'serve web/dist as it is, without rebuilding it when the sources changed')
    .action(
      async (
        options: CommonOptions & {
          port?: string;
          host?: string;
          tlsCert?: string;
          tlsKey?: string;
          demo: boolean;
          webBuild: boolean;
        },
      ) => {
        const config = configFrom(options);
        const log = createLogger(config.logLevel);
        if (options.webBuild) {
          await ensureWebBuilt((message) => console.error(`haven: ${message}`));
        }
        const server = await startServer(config, log, { demo: options.demo });
        stopOnSignals(server, log, config.shutdownTimeoutMs);
        console.error(`Haven is running at ${server.url}`);
        console.error(`  database: ${describeDatabase(config)}`);
        console.error(`  API docs: ${server.url}/api/docs    stop with Ctrl+C`);
        if (server.firstOperator !== undefined) {
          console.error('');
          console.error(
            'First start: created the platform operator account. This password is shown once, never again:',
          );
          console.error(`  e-mail:   ${server.firstOperator.email}`);
          console.error(`  password: ${server.firstOperator.password}`);
          console.error(`Sign in at ${server.url}/sign-in. Set HAVEN_ADMIN_EMAIL to choose the address.`);
        }
        if (server.demo !== undefined) {
          console.error('');
          console.error(
            `Created "${server.demo.name}": invented pupils, KS2 and a year of results to explore (start with --no-demo to skip).`,
          );
          console.error(`  Its account (school admin, data manager, senior leader), shown once:`);
          console.error(`  e-mail:   ${server.demo.email}`);
          console.error(`  password: ${server.demo.password}`);
          console.error(`  sign in at ${server.url}/sign-in`);
        }
      },
    );
}
