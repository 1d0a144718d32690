import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from './errors.ts';
import { runNode } from './node-child.ts';

const BENCH_DIR = path.resolve(import.meta.dirname, '..', '..', 'bench');

function available(): string[] {
  return existsSync(BENCH_DIR)
    ? readdirSync(BENCH_DIR)
        .filter((file) => file.endsWith('.bench.ts'))
        .map((file) => file.slice(0, -'.bench.ts'.length))
    : [];
}

export function registerBench(program: Command): void {
  program
    .command('bench')
    .description('run a benchmark from bench/ (ratios against a limit measured in the same run)')
    .argument('<name>', 'benchmark name, e.g. crypto, or "all" for every benchmark one after another')
    .argument('[options...]', "the benchmark's own options, e.g. --duration 10 (see bench/README.md)")
    .allowUnknownOption()
    .action(async (name: string, options: string[]) => {
      if (name === 'all') {
        // One after another, never side by side: each measures its own limit on a quiet machine.
        const outcomes: string[] = [];
        for (const each of available()) {
          const code = await runBenchmark(each, []);
          outcomes.push(`${each}: ${code === 0 ? 'target met' : `exit ${code}`}`);
          if (code !== 0) {
            process.exitCode = 1;
          }
        }
        process.stdout.write(`\n${outcomes.join('\n')}\n`);
        return;
      }
      if (!available().includes(name)) {
        throw new UsageError(`There is no benchmark "${name}"; available: all, ${available().join(', ')}.`);
      }
      process.exitCode = await runBenchmark(name, options);
    });
}

async function runBenchmark(name: string, options: readonly string[]): Promise<number> {
  return runNode([path.join(BENCH_DIR, `${name}.bench.ts`), ...options], process.env);
}
