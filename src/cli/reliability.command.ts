import path from 'node:path';
import type { Command } from 'commander';
import { ROOT, runNode } from './node-child.ts';

// The reliability evidence (issue: reliability and performance) as one command, in two profiles:
// - fast (default, and what `./haven test` runs in CI): the authorisation and tenant matrices, crash
//   safety with 3 kills per operation, fuzzing with a fixed seed (40 files per importer, 25 bodies per
//   route), TLS and the security headers;
// - full (`--full`, nightly): the same files with 10 kills per operation and a new fuzzing seed with
//   10,000 files per importer and 300 bodies per route, then the load benchmark (200 connections for
//   60 s on PostgreSQL).
// Each runs on the embedded database, and on PostgreSQL too when HAVEN_TEST_DATABASE_URL is set.
export const RELIABILITY_FILES = [
  'test/authorisation-matrix.test.ts',
  'test/app-scope-matrix.test.ts',
  'test/tenant-leak-matrix.test.ts',
  'test/crash-safety.test.ts',
  'test/fuzz/importers.test.ts',
  'test/fuzz/routes.test.ts',
  'test/tls.test.ts',
  'src/platform/http/security-headers.test.ts',
  'src/platform/audit/audit-log.test.ts',
];

const FULL_PROFILE = {
  HAVEN_CRASH_ATTEMPTS: '10',
  HAVEN_FUZZ_SEED: 'random',
  HAVEN_FUZZ_RUNS: '10000',
  HAVEN_FUZZ_ROUTE_RUNS: '300',
};

export function registerReliability(program: Command): void {
  program
    .command('reliability')
    .description(
      'run the reliability suite: authorisation matrices, crash safety, fuzzing, TLS and headers (fast profile; --full for the nightly one, with the load benchmark)',
    )
    .option('--full', 'the nightly profile: more kills, 10,000 fuzzed files per importer, then `bench load`')
    .action(async (options: { full?: boolean }) => {
      const full = options.full === true;
      const base: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', ...(full ? FULL_PROFILE : {}) };
      const { HAVEN_TEST_DATABASE_URL: serverUrl, ...embedded } = base;
      const runs: Array<[string, NodeJS.ProcessEnv]> = [['the embedded database', embedded]];
      if (serverUrl !== undefined) {
        runs.push(['PostgreSQL', base]);
      }
      let code = 0;
      for (const [database, env] of runs) {
        process.stderr.write(`haven: reliability suite, ${full ? 'full' : 'fast'} profile, on ${database}\n`);
        const started = Date.now();
        const exit = await runNode(
          ['--test', '--test-concurrency=2', '--test-reporter=spec', ...RELIABILITY_FILES],
          env,
        );
        const minutes = ((Date.now() - started) / 60_000).toFixed(1);
        process.stderr.write(
          `haven: on ${database}: ${exit === 0 ? 'passed' : 'FAILED'} in ${minutes} min\n`,
        );
        code ||= exit;
      }
      if (full && code === 0) {
        code = await runNode([path.join(ROOT, 'src', 'cli', 'main.ts'), 'bench', 'load'], process.env);
      }
      process.exitCode = code;
    });
}
