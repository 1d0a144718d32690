import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

/** Another live Haven process holds the data directory. */
export class DataDirectoryLockedError extends Error {
  override name = 'DataDirectoryLockedError';
}

export interface ProcessLock {
  release(): void;
}

/**
 * Takes `<dataDir>/haven.lock` for this process so two Haven processes never write the same embedded
 * database. A lock left by a process that died (SIGKILL, power loss) is taken over: the pid in it is
 * checked, not the file's age, so a restart after a crash is never refused.
 */
export function lockDataDirectory(dataDir: string): ProcessLock {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'haven.lock');
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      return { release: () => releaseIfOurs(file) };
    } catch (error) {
      if (!isCode(error, 'EEXIST')) {
        throw error;
      }
      const holder = readHolder(file);
      if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
        throw new DataDirectoryLockedError(
          `Another Haven process (pid ${holder}) is using the data directory ${dataDir}. ` +
            'Stop it first, or choose another directory with --data.',
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new DataDirectoryLockedError(`Could not lock the data directory ${dataDir}; try again.`);
}

function releaseIfOurs(file: string): void {
  if (readHolder(file) === process.pid) {
    rmSync(file, { force: true });
  }
}

function readHolder(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return isCode(error, 'EPERM');
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
