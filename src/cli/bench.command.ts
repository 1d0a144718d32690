import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError } from './errors.ts';

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
    .argument('<name>', 'benchmark name, e.g. crypto')
    .argument('[options...]', "the benchmark's own options, e.g. --duration 10 (see bench/README.md)")
    .allowUnknownOption()
    .action(async (name: string, options: string[]) => {
      if (!available().includes(name)) {
        throw new UsageError(`There is no benchmark "${name}"; available: ${available().join(', ')}.`);
      }
      const file = path.join(BENCH_DIR, `${name}.bench.ts`);
      const code = await new Promise<number>((resolve) => {
        const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', file, ...options], {
          stdio: 'inherit',
        });
        child.on('exit', (exitCode) => resolve(exitCode ?? 1));
      });
      process.exitCode = code;
    });
}
