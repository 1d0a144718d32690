import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Command } from 'commander';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const DEFAULT_PATTERNS = ['src/**/*.test.ts', 'test/**/*.test.ts'];

export function registerTest(program: Command): void {
  program
    .command('test')
    .description('run the whole test suite (PGlite; PostgreSQL too when HAVEN_TEST_DATABASE_URL is set)')
    .argument('[files...]', 'test files or globs to run instead of the whole suite')
    .option('--concurrency <n>', 'test files run in parallel', '2')
    .action(async (files: string[], options: { concurrency: string }) => {
      const patterns = files.length > 0 ? files : DEFAULT_PATTERNS;
      const args = [
        '--disable-warning=ExperimentalWarning',
        '--test',
        `--test-concurrency=${options.concurrency}`,
        '--test-reporter=spec',
        ...patterns,
      ];
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, args, {
          cwd: ROOT,
          stdio: 'inherit',
          env: { ...process.env, NODE_ENV: 'test' },
        });
        child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
      });
      process.exitCode = code;
    });
}
