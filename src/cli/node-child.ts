import { spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * The Node flags of every Haven process, as `./haven` gives them to the first one (keep the two lists
 * the same). V8 lets the old generation grow to up to four times what was alive at the last full
 * collection before it collects again; a long import makes mostly short-lived garbage, so half as much
 * again is plenty, and the process's memory then follows what it keeps, not how long it has run
 * (docs/decisions/0016-heap-growth.md).
 */
export const NODE_FLAGS: readonly string[] = [
  '--disable-warning=ExperimentalWarning',
  '--heap-growing-percent=50',
];

/** Runs Node (this same binary) with `args` in the project's folder, its output inherited; resolves the exit code. */
export function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise<number>((resolve) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, ...args], {
      cwd: ROOT,
      stdio: 'inherit',
      env,
    });
    child.on('exit', (exitCode, signal) => resolve(exitCode ?? (signal === null ? 1 : 128)));
  });
}
