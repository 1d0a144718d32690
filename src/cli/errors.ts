import { ConfigError } from '../platform/config.ts';
import { MigrationError } from '../platform/db/migrate.ts';
import { AppError } from '../platform/http/errors.ts';
import { DataDirectoryLockedError } from '../platform/process-lock.ts';
import { PortInUseError } from '../server.ts';

/** Exit codes of every command (ARCHITECTURE.md › External contract). */
export const EXIT = { done: 0, refused: 1, usage: 2 } as const;

/** Raised by a command for wrong usage that commander itself cannot see (e.g. two flags that clash). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Prints one clear line (plus field errors) for a failure and returns the exit code. Never a stack trace. */
export function reportFailure(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) {
    console.error(`haven: ${error.message}`);
    return EXIT.usage;
  }
  if (error instanceof AppError) {
    console.error(`haven: ${error.message}`);
    for (const field of error.fields ?? []) {
      console.error(`  ${field.field}: ${field.message}`);
    }
    return EXIT.refused;
  }
  if (
    error instanceof DataDirectoryLockedError ||
    error instanceof PortInUseError ||
    error instanceof MigrationError
  ) {
    console.error(`haven: ${error.message}`);
    return EXIT.refused;
  }
  const message = error instanceof Error ? error.message : 'unknown error';
  console.error(`haven: failed: ${message}`);
  if (process.env.HAVEN_DEBUG === '1' && error instanceof Error) {
    console.error(error.stack);
  }
  return EXIT.refused;
}
