import type { Command } from 'commander';
import { runNode } from './node-child.ts';

const DEFAULT_PATTERNS = ['src/**/*.test.ts', 'test/**/*.test.ts'];

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('run the whole test suite (PGlite; PostgreSQL too when HAVEN_TEST_DATABASE_URL is set)')
    .argument('[files...]', 'test files or globs to run instead of the whole suite')
    .option('--concurrency <n>', 'test files run in parallel', '2')
    .action(async (files: string[], options: { concurrency: string }) => {
      const patterns = files.length > 0 ? files : DEFAULT_PATTERNS;
      process.exitCode = await runNode(
        ['--test', `--test-concurrency=${options.concurrency}`, '--test-reporter=spec', ...patterns],
        { ...process.env, NODE_ENV: 'test' },
      );
    });
}
