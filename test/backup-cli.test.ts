// Backups from the command line, on an embedded data directory: backup, verify and restore (with a
// ledger given, replayed); damaged and wrong-key files refused with exit 1 and the data untouched;
// rotation in the backup directory; bad settings exit 2 in one line.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { Client } from 'pg';
import { cliEnv, runCli, tempDataDir } from './support/cli.ts';
import { pupilsCsv, syntheticUpn } from './support/pupil-files.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function ok(args: string[], env = cliEnv()): Promise<string> {
  const result = await runCli(args, { env });
  assert.equal(result.code, 0, `${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

async function schoolNames(data: string): Promise<string[]> {
  const listed = await ok(['school', 'list', '--json', '--data', data]);
  return (JSON.parse(listed) as Array<{ name: string }>).map((school) => school.name).sort();
}

/** The pupil's id by UPN (privacy export prints it last), or undefined when nobody has that UPN. */
async function pupilId(data: string, schoolId: string, upn: string): Promise<string | undefined> {
  const out = path.join(data, `bundle-${randomBytes(4).toString('hex')}.zip`);
  const result = await runCli([
    'privacy',
    'export',
    '--school',
    schoolId,
    '--pupil',
    upn,
    '--out',
    out,
    '--data',
    data,
  ]);
  return result.code === 0 ? result.stdout.trim().split('\n').at(-1) : undefined;
}

describe('backup and restore from the command line', () => {
  test('backup, change, restore with a ledger: the data is back as it was, less the erased pupil', async () => {
    const data = tempDataDir();
    const schoolId =
      (await ok(['school', 'create', '--name', 'Backed Up', '--data', data])).trim().split('\n').at(-1) ?? '';
    assert.match(schoolId, UUID);
    const csv = path.join(data, 'pupils.csv');
    writeFileSync(csv, pupilsCsv(3));
    await ok(['import', csv, '--school', schoolId, '--data', data]);
    const erased = await pupilId(data, schoolId, syntheticUpn(1));
    assert.match(erased ?? '', UUID);

    const file = path.join(data, 'before.bak');
    const taken = await ok(['backup', file, '--data', data]);
    assert.equal(taken.trim().split('\n').at(-1), file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(
      await ok(['backup', 'verify', file, '--data', data]),
      /is good: an embedded database backup .* tables/,
    );

    await ok(['school', 'create', '--name', 'Added Later', '--data', data]);
    const ledger = path.join(data, 'kept-apart.json');
    writeFileSync(ledger, JSON.stringify({ entries: [{ schoolId, subjectId: erased }] }));
    const restored = await ok(['restore', file, '--ledger', ledger, '--data', data]);
    assert.match(restored, /1 pupil record\(s\) and 1 key\(s\) found again and destroyed/);

    assert.deepEqual(await schoolNames(data), ['Backed Up']);
    assert.equal(await pupilId(data, schoolId, syntheticUpn(1)), undefined, 'the erased pupil is gone');
    assert.match((await pupilId(data, schoolId, syntheticUpn(2))) ?? '', UUID, 'the others are back');
    assert.ok(!readdirSync(data).includes('db.before-restore'), 'the old database was removed after success');
    const kept = JSON.parse(readFileSync(path.join(data, 'backups', 'erasure-ledger.json'), 'utf8')) as {
      entries: unknown[];
    };
    assert.deepEqual(kept.entries, [{ scope: 'subject', schoolId, subjectId: erased }]);
  });

  test('a damaged, cut-off or wrong-key backup is refused with exit 1 in one line; nothing changes', async () => {
    const data = tempDataDir();
    await ok(['school', 'create', '--name', 'Untouched', '--data', data]);
    const file = path.join(data, 'good.bak');
    await ok(['backup', file, '--data', data]);
    await ok(['school', 'create', '--name', 'Since', '--data', data]);
    const bytes = readFileSync(file);
    const flipped = Buffer.from(bytes);
    flipped[100_000] = (flipped[100_000] ?? 0) ^ 0xff;
    writeFileSync(path.join(data, 'flipped.bak'), flipped);
    writeFileSync(path.join(data, 'cut.bak'), bytes.subarray(0, bytes.length - 1000));
    const otherKey = cliEnv({ HAVEN_MASTER_KEY: randomBytes(32).toString('base64') });
    for (const [candidate, env, message] of [
      ['flipped.bak', cliEnv(), /damaged or incomplete \(its SHA-256 checksum does not match\)/],
      ['cut.bak', cliEnv(), /damaged or incomplete/],
      ['good.bak', otherKey, /not derived from any master key loaded here/],
      ['missing.bak', cliEnv(), /cannot be read/],
    ] as const) {
      for (const command of [['restore'], ['backup', 'verify']]) {
        const result = await runCli([...command, path.join(data, candidate), '--data', data], { env });
        assert.equal(result.code, 1, `${command.join(' ')} ${candidate}: ${result.stderr}`);
        assert.match(result.stderr, message);
        assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
      }
    }
    assert.deepEqual(await schoolNames(data), ['Since', 'Untouched']);
  });

  test('backups into the backup directory are rotated; bad settings exit 2 naming the variable', async () => {
    const data = tempDataDir();
    const env = cliEnv({ HAVEN_BACKUP_KEEP: '2' });
    for (let index = 0; index < 3; index += 1) {
      await ok(['backup', '--data', data], env);
    }
    const names = readdirSync(path.join(data, 'backups'));
    assert.equal(names.filter((name) => name.endsWith('.bak')).length, 2);
    assert.ok(names.includes('erasure-ledger.json'));

    const bad = await runCli(['backup', '--data', data], { env: cliEnv({ HAVEN_BACKUP_KEEP: 'all' }) });
    assert.equal(bad.code, 2);
    assert.equal(
      bad.stderr.trim(),
      'haven: HAVEN_BACKUP_KEEP must be a whole number between 1 and 10000 (got "all").',
    );
  });
});

const serverUrl = process.env.HAVEN_TEST_DATABASE_URL ?? '';

async function admin(statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe(
  'backup and restore on PostgreSQL',
  { skip: serverUrl === '' ? 'HAVEN_TEST_DATABASE_URL is not set' : false },
  () => {
    test('pg_dump in, psql in one transaction out: the schools are as they were and RLS still holds', async () => {
      const name = `haven_cli_backup_${process.pid}_${randomBytes(3).toString('hex')}`;
      await admin(`create database ${name}`);
      try {
        const url = new URL(serverUrl);
        url.pathname = `/${name}`;
        const env = cliEnv({
          DATABASE_URL: url.toString(),
          HAVEN_MASTER_KEY: randomBytes(32).toString('base64'),
        });
        const data = tempDataDir();
        const schoolId =
          (await ok(['school', 'create', '--name', 'On The Server', '--data', data], env))
            .trim()
            .split('\n')
            .at(-1) ?? '';
        const csv = path.join(data, 'pupils.csv');
        writeFileSync(csv, pupilsCsv(2));
        await ok(['import', csv, '--school', schoolId, '--data', data], env);
        const file = path.join(data, 'server.bak');
        await ok(['backup', file, '--data', data], env);
        assert.match(
          await ok(['backup', 'verify', file, '--data', data], env),
          /is good: a PostgreSQL database backup .* tables/,
        );
        await ok(['school', 'create', '--name', 'Added Later', '--data', data], env);

        await ok(['restore', file, '--data', data], env);
        const listed = JSON.parse(await ok(['school', 'list', '--json', '--data', data], env)) as Array<{
          name: string;
        }>;
        assert.deepEqual(
          listed.map((school) => school.name),
          ['On The Server'],
        );
        // Reading a pupil goes through the RLS-limited role: the grants and policies came back.
        const bundle = path.join(data, 'bundle.zip');
        await ok(
          [
            'privacy',
            'export',
            '--school',
            schoolId,
            '--pupil',
            syntheticUpn(2),
            '--out',
            bundle,
            '--data',
            data,
          ],
          env,
        );
      } finally {
        await admin(`drop database if exists ${name} with (force)`);
      }
    });
  },
);
