import { spawn, type ChildProcess } from 'node:child_process';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PGlite } from '@electric-sql/pglite';
import type { DatabaseSource } from '../../platform/db/connect.ts';

// How a database becomes a dump and a dump a database again: PGlite's own data-directory tarball for
// the embedded database; pg_dump (custom format) and pg_restore for PostgreSQL, streamed through pipes.

/** A tool (pg_dump, pg_restore, psql) is missing or failed; the message is one line without secrets. */
export class BackupToolError extends Error {
  override name = 'BackupToolError';
}

/** A connection string without its password, and the password for PGPASSWORD (kept out of `ps`). */
function connection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return {
    url: parsed.toString(),
    env: { ...process.env, ...(password === '' ? {} : { PGPASSWORD: password }) },
  };
}

function run(tool: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(tool, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Waits for a tool to end; refuses a non-zero exit with the first line it printed on stderr. */
async function finished(tool: string, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('close', resolve);
    child.once('error', (error) => {
      const missing = 'code' in error && error.code === 'ENOENT';
      reject(
        new BackupToolError(
          missing
            ? `${tool} was not found; install the PostgreSQL client tools (15 or newer).`
            : `${tool} could not be started.`,
        ),
      );
    });
  });
  if (code !== 0) {
    const line = stderr.split('\n').find((text) => text.trim() !== '') ?? `exit code ${String(code)}`;
    throw new BackupToolError(`${tool} failed: ${line.trim()}`);
  }
}

/**
 * A dump of the whole database, as it streams. PGlite's is taken between two transactions (inside
 * an empty one of its own, as PGlite runs one at a time), so it is a consistent copy of a running embedded database; PostgreSQL's
 * comes from pg_dump, which reads one snapshot.
 */
export async function* dumpDatabase(source: DatabaseSource): AsyncGenerator<Uint8Array> {
  if (source.kind === 'embedded') {
    const { pglite } = source;
    // Inside a transaction of its own: PGlite runs one at a time, so none is half-written in the copy.
    const tarball = await pglite.transaction(() => pglite.dumpDataDir('gzip'));
    yield* tarball.stream();
    return;
  }
  const target = connection(source.url);
  const child = run('pg_dump', ['--format=custom', '--no-owner', `--dbname=${target.url}`], target.env);
  const done = finished('pg_dump', child);
  // Surfaced by `done`; without a listener an early failure would be an unhandled rejection.
  done.catch(() => undefined);
  try {
    if (child.stdout !== null) {
      yield* child.stdout as AsyncIterable<Buffer>;
    }
    await done;
  } finally {
    if (child.exitCode === null) {
      child.kill();
    }
  }
}

type Chunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

async function blobOf(chunks: Chunks): Promise<Blob> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) {
    parts.push(chunk);
  }
  return new Blob(parts);
}

/** Writes an embedded database from a PGlite dump into `dataDir` (which must not hold one). */
export async function loadEmbedded(dataDir: string, chunks: Chunks): Promise<void> {
  const pglite = new PGlite(dataDir, { loadDataDir: await blobOf(chunks) });
  await pglite.waitReady;
  await pglite.close();
}

/** Loads a PGlite dump into a throwaway in-memory database and counts its tables (a restore test). */
export async function countTablesInDump(chunks: Chunks): Promise<number> {
  const pglite = new PGlite({ loadDataDir: await blobOf(chunks) });
  try {
    const { rows } = await pglite.query<{ n: number }>(
      `select count(*)::int as n from pg_tables where schemaname = 'public'`,
    );
    return rows[0]?.n ?? 0;
  } finally {
    await pglite.close();
  }
}

// Run before the dump's own statements, in the same transaction: the roles RLS policies name exist on
// this server (roles are not part of a database dump), and the schema is emptied, so tables a newer
// migration made are not left beside the restored ones. A server in use makes the restore wait at most
// lock_timeout, then give up with nothing changed.
const PRELUDE = `
set lock_timeout = '15s';
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'haven_app') then
    create role haven_app nologin nosuperuser nobypassrls noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'haven_platform') then
    create role haven_platform nologin nosuperuser nobypassrls noinherit;
  end if;
  if not pg_has_role(current_user, 'haven_app', 'member') then
    execute format('grant haven_app to %I', current_user);
  end if;
  if not pg_has_role(current_user, 'haven_platform', 'member') then
    execute format('grant haven_platform to %I', current_user);
  end if;
end $$;
drop schema if exists public cascade;
create schema public;
`;

/**
 * Replaces the PostgreSQL database at `url` with a pg_dump custom-format dump, all or nothing:
 * pg_restore turns the dump into SQL, which psql runs in one transaction that stops at the first error.
 */
export async function loadPostgres(url: string, chunks: AsyncIterable<Uint8Array>): Promise<void> {
  const target = connection(url);
  const restore = run('pg_restore', ['--no-owner', '--file=-'], target.env);
  const psql = run(
    'psql',
    ['--no-psqlrc', '--quiet', '--single-transaction', '--set=ON_ERROR_STOP=1', `--dbname=${target.url}`],
    target.env,
  );
  const done = Promise.all([finished('pg_restore', restore), finished('psql', psql)]);
  done.catch(() => undefined);
  psql.stdout?.resume();
  const feed = async (): Promise<void> => {
    if (restore.stdin === null || restore.stdout === null || psql.stdin === null) {
      throw new BackupToolError('could not connect to pg_restore and psql');
    }
    psql.stdin.write(PRELUDE);
    await Promise.all([pipeline(Readable.from(chunks), restore.stdin), pipeline(restore.stdout, psql.stdin)]);
  };
  try {
    // A tool that fails closes its pipe: its own error message says more than the broken pipe.
    await Promise.all([feed().catch(async (error: unknown) => done.then(() => Promise.reject(error))), done]);
  } finally {
    for (const child of [restore, psql]) {
      if (child.exitCode === null) {
        child.kill();
      }
    }
  }
}

/**
 * Counts the tables a pg_dump custom-format dump would create, from its table of contents
 * (`pg_restore --list`): proof the dump is one pg_restore reads, without a server to restore into.
 */
export async function countTablesInPgDump(chunks: AsyncIterable<Uint8Array>): Promise<number> {
  const list = run('pg_restore', ['--list'], process.env);
  let toc = '';
  list.stdout?.on('data', (chunk: Buffer) => {
    toc += chunk.toString('utf8');
  });
  const done = finished('pg_restore', list);
  done.catch(() => undefined);
  if (list.stdin === null) {
    throw new BackupToolError('could not connect to pg_restore');
  }
  // pg_restore stops reading once it has the table of contents: the rest of the dump has nowhere to go.
  await pipeline(Readable.from(chunks), list.stdin).catch(() => undefined);
  await done;
  return toc.split('\n').filter((line) => / TABLE public /.test(line)).length;
}
