import type { Command } from 'commander';
import { runSync } from '../modules/connectors/sync.service.ts';
import { configFrom, withServices, type CommonOptions } from './context.ts';
import { UsageError } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface SyncOptions extends CommonOptions {
  school?: string;
  json?: boolean;
}

/** `./haven connector sync --school ID [--json]`: sync a school's MIS connector now. */
export function registerConnector(program: Command): void {
  const connector = program.command('connector').description("a school's MIS connector");
  connector
    .command('sync')
    .description('sync the school’s connector now (the drop folder’s newest export, or a OneRoster pull)')
    .requiredOption('--school <id>', 'the school (see ./haven school list)')
    .option('--json', 'print JSON')
    .action(async (options: SyncOptions) => {
      const schoolId = options.school ?? '';
      if (!UUID.test(schoolId)) {
        throw new UsageError(`--school must be a school id (see ./haven school list), got "${schoolId}".`);
      }
      await withServices(configFrom(options), async (services) => {
        const result = await runSync(services, schoolId, {
          trigger: 'manual',
          actor: { type: 'cli', id: 'connector sync' },
        });
        if (options.json === true) {
          process.stdout.write(`${JSON.stringify(result ?? null, null, 2)}\n`);
        } else if (result !== undefined) {
          const { added = 0, changed = 0, left = 0 } = result.counts;
          process.stdout.write(
            `${result.status} (${result.mode}): ${added} added, ${changed} changed, ${left} left${result.message === null ? '' : `. ${result.message}`}\n`,
          );
          for (const error of result.errors) {
            process.stdout.write(
              `  ${error.row === undefined ? '' : `row ${error.row}, `}${error.column === undefined ? '' : `column ${error.column}: `}${error.message}\n`,
            );
          }
        }
        if (result?.status === 'refused' || result?.status === 'failed') {
          process.exitCode = 1;
        }
      });
    });
}
