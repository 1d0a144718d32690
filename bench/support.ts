import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/platform/config.ts';
import { openServices, type Services } from '../src/services.ts';

/**
 * Runs a benchmark against the real embedded database in a fresh temporary data directory (opened as
 * `./haven start` would), and removes it afterwards.
 */
export async function withBenchServices(
  name: string,
  work: (services: Services, dir: string) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), `haven-bench-${name}-`));
  const services = await openServices(
    loadConfig({ HAVEN_DATA: path.join(dir, 'data'), HAVEN_LOG_LEVEL: 'silent' }),
    pino({ level: 'silent' }),
  );
  try {
    await work(services, dir);
  } finally {
    await services.mailer.close();
    await services.db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
