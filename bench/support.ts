import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { Client } from 'pg';
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
    await closeServices(services);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The PostgreSQL server the PostgreSQL benchmarks use (local, trust authentication). */
export const POSTGRES_SERVER =
  process.env.HAVEN_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Runs one statement as the server's owner (creating and dropping scratch databases). */
export async function adminQuery(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A scratch database on the benchmark server, e.g. haven_bench_1234_small, and how to drop it. */
export async function scratchDatabase(
  suffix: string,
): Promise<{ name: string; url: string; drop: () => Promise<void> }> {
  const name = `haven_bench_${process.pid}${suffix === '' ? '' : `_${suffix}`}`;
  await adminQuery(POSTGRES_SERVER, `drop database if exists ${name} with (force)`);
  await adminQuery(POSTGRES_SERVER, `create database ${name}`);
  const url = new URL(POSTGRES_SERVER);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => adminQuery(POSTGRES_SERVER, `drop database if exists ${name} with (force)`),
  };
}

/**
 * Opens services on a PostgreSQL database as `./haven start` does with DATABASE_URL (migrations, RLS,
 * the application role's pool). The master key comes from HAVEN_MASTER_KEY, generated when unset, so a
 * child process given the same environment reads the same data.
 */
export async function openPostgresServices(url: string, dataDir: string): Promise<Services> {
  if (process.env.HAVEN_MASTER_KEY === undefined || process.env.HAVEN_MASTER_KEY === '') {
    process.env.HAVEN_MASTER_KEY = randomBytes(32).toString('base64');
  }
  return openServices(
    loadConfig({
      DATABASE_URL: url,
      HAVEN_DATA: dataDir,
      HAVEN_LOG_LEVEL: 'silent',
      HAVEN_MASTER_KEY: process.env.HAVEN_MASTER_KEY,
    }),
    pino({ level: 'silent' }),
  );
}

export async function closeServices(services: Services): Promise<void> {
  await services.mailer.close();
  await services.db.close();
}

/** Parses `--name value` from the command line, or the environment variable, or the default. */
export function numberOption(name: string, variable: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  const text = at >= 0 ? process.argv[at + 1] : process.env[variable];
  if (text === undefined || text === '') {
    return fallback;
  }
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${name} (${variable}) must be a positive number, not "${text}"`);
  }
  return value;
}

/**
 * CPU seconds (user + system) the PostgreSQL server's backends connected to `database` have used so
 * far, read from /proc (Linux, server on this machine); undefined where that cannot be read. A
 * benchmark samples it before and after a phase to say how much of the time the database worked.
 */
export function backendCpuSeconds(database: string): number | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  let ticks = 0;
  let found = false;
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      // A backend's title is "postgres: <cluster>: <user> <database> <client> <state>".
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\u0000', ' ').trim();
      const words = title.split(' ');
      if (words[0] !== 'postgres:' || !words.slice(1, 5).includes(database)) {
        continue;
      }
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
      found = true;
    } catch {
      // The process ended while being read, or is not ours to read.
    }
  }
  // USER_HZ is 100 on Linux.
  return found ? ticks / 100 : undefined;
}
