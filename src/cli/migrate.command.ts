import type { Command } from 'commander';
import { describeDatabase } from '../platform/config.ts';
import { ownerKysely, type DatabaseSource } from '../platform/db/connect.ts';
import { migrateToLatest } from '../platform/db/migrate.ts';
import { sourceFor } from '../platform/db/open.ts';
import { lockDataDirectory } from '../platform/process-lock.ts';
import { configFrom, type CommonOptions } from './context.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('bring the database schema up to date (start does this too)')
    .action(async (options: CommonOptions) => {
      const config = configFrom(options);
      const lock = lockDataDirectory(config.dataDir);
      let source: DatabaseSource | undefined;
      try {
        source = await sourceFor(config);
        const owner = ownerKysely<unknown>(source);
        const applied = await migrateToLatest(owner);
        await owner.destroy();
        console.log(
          applied.length === 0
            ? `The database is up to date (${describeDatabase(config)}).`
            : `Applied ${applied.length} migration(s) to ${describeDatabase(config)}:\n  ${applied.join('\n  ')}`,
        );
      } finally {
        if (source?.kind === 'embedded' && !source.pglite.closed) {
          await source.pglite.close();
        }
        lock.release();
      }
    });
}
