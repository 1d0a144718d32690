// The command line as users and scripts meet it: exit codes 0 done, 1 refused, 2 usage.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import { NODE_FLAGS, ROOT } from '../src/cli/node-child.ts';
import { cliEnv, collect, freePort, runCli, startCli, tempDataDir, waitForStderr } from './support/cli.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('usage errors exit 2 with usage on stderr', () => {
  test('no command prints help', async () => {
    const result = await runCli([]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /Usage: haven/);
  });

  test('an unknown command', async () => {
    const result = await runCli(['frobnicate']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown command 'frobnicate'/);
    assert.equal(result.stdout, '');
  });

  test('an unknown flag', async () => {
    const result = await runCli(['start', '--bogus']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /unknown option '--bogus'/);
  });

  test('a missing required option', async () => {
    const result = await runCli(['school', 'create', '--data', tempDataDir()]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--name/);
  });

  test('a bad configuration value is one line naming the variable', async () => {
    const result = await runCli(['start', '--no-web-build', '--data', tempDataDir()], {
      env: cliEnv({ PORT: 'eighty' }),
    });
    assert.equal(result.code, 2);
    assert.equal(
      result.stderr.trim(),
      'haven: PORT must be a whole number between 0 and 65535 (got "eighty").',
    );
  });

  test('start refuses a database declared outside the allowed regions, before opening it', async () => {
    const data = tempDataDir();
    const result = await runCli(['start', '--no-web-build', '--data', data], {
      env: cliEnv({ HAVEN_STORAGE_REGION: 'US' }),
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr.trim(), /^haven: HAVEN_STORAGE_REGION names US, which is outside the UK/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.equal(existsSync(path.join(data, 'db')), false, 'no database was created');
  });
});

describe('school create', () => {
  test('prints the new id as the last line, and JSON with --json', async () => {
    const data = tempDataDir();
    const plain = await runCli([
      'school',
      'create',
      '--name',
      'Riverside Primary',
      '--urn',
      '123456',
      '--data',
      data,
    ]);
    assert.equal(plain.code, 0, plain.stderr);
    const lines = plain.stdout.trim().split('\n');
    assert.match(lines.at(-1) ?? '', UUID);

    const json = await runCli(['--data', data, 'school', 'create', '--name', 'Hillside', '--json']);
    assert.equal(json.code, 0, json.stderr);
    const created = JSON.parse(json.stdout) as { id: string; name: string };
    assert.match(created.id, UUID);
    assert.equal(created.name, 'Hillside');

    const listed = await runCli(['school', 'list', '--json', '--data', data]);
    const names = (JSON.parse(listed.stdout) as Array<{ name: string }>).map((school) => school.name);
    assert.deepEqual(names, ['Hillside', 'Riverside Primary']);
  });

  test('bad fields are refused with exit 1, each field named, nothing created', async () => {
    const data = tempDataDir();
    const result = await runCli(['school', 'create', '--name', 'X', '--urn', '12', '--data', data]);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /urn: must be exactly 6 digits/);
    assert.doesNotMatch(result.stderr, /at .*\.ts:\d+/, 'no stack trace');
    const listed = await runCli(['school', 'list', '--json', '--data', data]);
    assert.deepEqual(JSON.parse(listed.stdout), []);
  });
});

describe('user create', () => {
  test('prints a one-time set-up link, never a password; --password-stdin takes one from a script', async () => {
    const data = tempDataDir();
    const school = await runCli(['school', 'create', '--name', 'Brookside', '--json', '--data', data]);
    const schoolId = (JSON.parse(school.stdout) as { id: string }).id;
    const created = await runCli(
      [
        'user',
        'create',
        '--email',
        'dm@example.invalid',
        '--role',
        'data_manager',
        '--org',
        schoolId,
        '--data',
        data,
      ],
      { env: cliEnv({ HAVEN_PUBLIC_URL: 'https://haven.example.org' }) },
    );
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /https:\/\/haven\.example\.org\/set-password#token=[A-Za-z0-9_-]{43}\n/);
    assert.match(created.stdout.trim().split('\n').at(-1) ?? '', UUID);

    const scripted = await runCli(
      [
        'user',
        'create',
        '--email',
        'dm2@example.invalid',
        '--role',
        'data_manager',
        '--org',
        schoolId,
        '--password-stdin',
      ],
      { env: cliEnv({ HAVEN_DATA: data }), input: 'a scripted passphrase\n' },
    );
    assert.equal(scripted.code, 0, scripted.stderr);
    assert.doesNotMatch(scripted.stdout, /token=/);

    const wrongRole = await runCli([
      'user',
      'create',
      '--email',
      'x@example.invalid',
      '--role',
      'wizard',
      '--org',
      schoolId,
      '--data',
      data,
    ]);
    assert.equal(wrongRole.code, 1);
    assert.match(wrongRole.stderr, /role: is not a role/);
  });
});

describe('generate and import', () => {
  test('generated files import (exit 0, JSON outcome); a broken file is refused with exit 1 and its row', async () => {
    const data = tempDataDir();
    const out = path.join(data, 'generated');
    const generated = await runCli(['generate', '--schools', '1', '--pupils-per-school', '12', '--out', out]);
    assert.equal(generated.code, 0, generated.stderr);
    const school = await runCli(['school', 'create', '--name', 'Generated', '--json', '--data', data]);
    const schoolId = (JSON.parse(school.stdout) as { id: string }).id;
    const pupils = await runCli([
      'import',
      path.join(out, 'school-001', 'pupils.csv'),
      '--school',
      schoolId,
      '--json',
      '--data',
      data,
    ]);
    assert.equal(pupils.code, 0, pupils.stderr);
    const outcome = JSON.parse(pupils.stdout) as { status: string; written: Record<string, number> };
    assert.equal(outcome.status, 'committed');
    assert.equal(outcome.written.pupils_created, 12);

    const broken = path.join(data, 'broken.csv');
    await writeFile(broken, 'upn,forename,surname,sex\nH801200001001,Zq,Xv,Q\n');
    const refused = await runCli(['import', broken, '--school', schoolId, '--data', data]);
    assert.equal(refused.code, 1);
    assert.match(refused.stdout, /row 2, column sex: sex must be M or F \(value "Q"\)/);
    assert.match(refused.stdout, /nothing was written/);

    const usage = await runCli(['import', broken, '--school', 'not-an-id', '--data', data]);
    assert.equal(usage.code, 2);
  });
});

describe('connector sync', () => {
  test('a school without a connector is refused with exit 1; a bad id is usage', async () => {
    const data = tempDataDir();
    const school = await runCli(['school', 'create', '--name', 'Unconnected', '--json', '--data', data]);
    const schoolId = (JSON.parse(school.stdout) as { id: string }).id;
    const refused = await runCli(['connector', 'sync', '--school', schoolId, '--data', data]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /no active connector/);
    const usage = await runCli(['connector', 'sync', '--school', 'not-an-id', '--data', data]);
    assert.equal(usage.code, 2);
  });
});

describe('report', () => {
  test('headline as text and JSON after importing a generated school; a bad report name is usage', async () => {
    const data = tempDataDir();
    const out = path.join(data, 'generated');
    await runCli(['generate', '--schools', '1', '--pupils-per-school', '30', '--out', out]);
    const school = await runCli(['school', 'create', '--name', 'Reported', '--json', '--data', data]);
    const schoolId = (JSON.parse(school.stdout) as { id: string }).id;
    for (const file of ['pupils.csv', 'results.csv']) {
      const imported = await runCli([
        'import',
        path.join(out, 'school-001', file),
        '--school',
        schoolId,
        '--data',
        data,
      ]);
      assert.equal(imported.code, 0, imported.stderr);
    }
    const text = await runCli(['report', 'headline', '--school', schoolId, '--data', data]);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /assessment point +Y11 Summer\n/);
    assert.match(text.stdout, /\npupils +30\n/);
    const json = await runCli(['report', 'headline', '--school', schoolId, '--json', '--data', data]);
    const figures = JSON.parse(json.stdout) as { pupils: number; progress8: { banding: string } | null };
    assert.equal(figures.pupils, 30);
    assert.ok(figures.progress8 !== null);
    const csv = await runCli(['report', 'gaps', '--school', schoolId, '--csv', '--data', data]);
    assert.match(
      csv.stdout.split('\r\n')[0] ?? '',
      /^dimension,group,pupils,attainment 8,attainment 8 gap,progress 8/,
    );
    const wrong = await runCli(['report', 'league-table', '--school', schoolId, '--data', data]);
    assert.equal(wrong.code, 2);
  });
});

describe('privacy', () => {
  test('export writes a pupil’s bundle by UPN; an unknown UPN is refused; requests lists the register', async () => {
    const data = tempDataDir();
    const out = path.join(data, 'generated');
    await runCli(['generate', '--schools', '1', '--pupils-per-school', '5', '--out', out]);
    const school = await runCli(['school', 'create', '--name', 'Asked', '--json', '--data', data]);
    const schoolId = (JSON.parse(school.stdout) as { id: string }).id;
    const pupils = path.join(out, 'school-001', 'pupils.csv');
    assert.equal((await runCli(['import', pupils, '--school', schoolId, '--data', data])).code, 0);
    const upn = readFileSync(pupils, 'utf8').split('\n')[1]?.split(',')[0] ?? '';
    const bundle = path.join(data, 'bundle.zip');
    const exported = await runCli([
      'privacy',
      'export',
      '--school',
      schoolId,
      '--pupil',
      upn,
      '--out',
      bundle,
      '--data',
      data,
    ]);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(readFileSync(bundle).subarray(0, 2).toString('latin1'), 'PK');
    assert.ok(!exported.stdout.includes(upn), 'the UPN is not echoed');
    const unknown = await runCli([
      'privacy',
      'export',
      '--school',
      schoolId,
      '--pupil',
      'A000000000000',
      '--out',
      bundle,
      '--data',
      data,
    ]);
    assert.equal(unknown.code, 1);
    const register = await runCli(['privacy', 'requests', '--school', schoolId, '--data', data]);
    assert.equal(register.code, 0, register.stderr);
    assert.match(register.stdout, /^0 open, 0 overdue/);
  });
});

describe('start', () => {
  test('serves /health, refuses a second start on the same data, stops cleanly on SIGTERM and keeps the data', async () => {
    const data = tempDataDir();
    const created = await runCli(['school', 'create', '--name', 'Kept School', '--data', data]);
    assert.equal(created.code, 0, created.stderr);

    const port = await freePort();
    const server = startCli([
      'start',
      '--no-web-build',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--data',
      data,
    ]);
    const banner = await waitForStderr(server, /Haven is running at/);
    assert.match(banner, new RegExp(`http://127\\.0\\.0\\.1:${port}`));
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    assert.ok(existsSync(path.join(data, 'haven.lock')));

    const second = await runCli([
      'start',
      '--no-web-build',
      '--port',
      String(await freePort()),
      '--data',
      data,
    ]);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /Another Haven process \(pid \d+\) is using the data directory/);

    const exited = collect(server);
    server.kill('SIGTERM');
    const result = await exited;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(existsSync(path.join(data, 'haven.lock')), false, 'the lock is released');

    const listed = await runCli(['school', 'list', '--json', '--data', data]);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as Array<{ name: string }>).map((school) => school.name),
      ['Kept School'],
    );
  });

  test('the first start on an empty platform creates the demo school and its account, once', async () => {
    const data = tempDataDir();
    const port = await freePort();
    const server = startCli([
      'start',
      '--no-web-build',
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--data',
      data,
    ]);
    const banner = await waitForStderr(
      server,
      /password: \S+\n[\s\S]*Demo School[\s\S]*password: (\S+)\n/,
      90_000,
    );
    const demoPassword = /Demo School[\s\S]*password: (\S+)\n/.exec(banner)?.[1] ?? '';
    const login = await fetch(`http://127.0.0.1:${port}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: `http://127.0.0.1:${port}` },
      body: JSON.stringify({ email: 'demo@haven.localhost', password: demoPassword }),
    });
    assert.equal(login.status, 200, await login.text());
    const exited = collect(server);
    server.kill('SIGTERM');
    assert.equal((await exited).code, 0);

    const again = startCli([
      'start',
      '--no-web-build',
      '--port',
      String(await freePort()),
      '--host',
      '127.0.0.1',
      '--data',
      data,
    ]);
    const second = await waitForStderr(again, /API docs/, 90_000);
    assert.doesNotMatch(second, /Demo School/);
    const stopped = collect(again);
    again.kill('SIGTERM');
    await stopped;
    const listed = await runCli(['school', 'list', '--json', '--data', data]);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as Array<{ name: string }>).map((school) => school.name),
      ['Demo School (synthetic data)'],
    );
  });

  test('a port in use is refused with a clear message and exit 1', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const address = blocker.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    try {
      const result = await runCli([
        'start',
        '--no-web-build',
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--data',
        tempDataDir(),
      ]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`Port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });
});

describe('./haven', () => {
  test('starts Node with the same flags as the processes Haven starts itself (NODE_FLAGS)', () => {
    const script = readFileSync(path.join(ROOT, 'haven'), 'utf8');
    const exec = /^exec "\$node_bin" (.*) "\$root\/src\/cli\/main\.ts" "\$@"$/m.exec(script);
    assert.ok(exec, 'the script ends by starting src/cli/main.ts');
    assert.deepEqual(exec[1]?.split(' '), NODE_FLAGS);
  });
});

describe('migrate', () => {
  test('migrates a new database, then reports it up to date', async () => {
    const data = tempDataDir();
    const first = await runCli(['migrate', '--data', data]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Applied \d+ migration\(s\)/);
    const second = await runCli(['migrate', '--data', data]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /The database is up to date/);
  });
});

describe('keys', () => {
  test('rotate then status: data keys move to v2 and the master key is replaced, old key file removed', async () => {
    const data = tempDataDir();
    const created = await runCli(['school', 'create', '--name', 'Keyed School', '--data', data]);
    const schoolId = created.stdout.trim().split('\n').at(-1) ?? '';
    const rotated = await runCli(['keys', 'rotate', '--data', data]);
    assert.equal(rotated.code, 0, rotated.stderr);
    assert.match(rotated.stdout, new RegExp(`School ${schoolId}: data key now v2`));
    const before = JSON.parse((await runCli(['keys', 'status', '--json', '--data', data])).stdout) as {
      currentMasterKeyId: string;
    };
    const master = await runCli(['keys', 'rotate', '--master', '--data', data]);
    assert.equal(master.code, 0, master.stderr);
    assert.match(master.stdout, /Removed previous master key file/);
    const after = JSON.parse((await runCli(['keys', 'status', '--json', '--data', data])).stdout) as {
      currentMasterKeyId: string;
      masterKeysInUse: Array<{ id: string; loaded: boolean }>;
      schools: Array<{ schoolId: string; keys: Array<{ purpose: string; version: number }> }>;
    };
    assert.notEqual(after.currentMasterKeyId, before.currentMasterKeyId);
    assert.deepEqual(after.masterKeysInUse, [{ id: after.currentMasterKeyId, loaded: true }]);
    assert.deepEqual(
      after.schools[0]?.keys.map((key) => `${key.purpose}:${key.version}`),
      ['data:2', 'index:1'],
    );
  });

  test('an unknown school or a bad batch size is a usage error', async () => {
    const data = tempDataDir();
    const unknown = await runCli([
      'keys',
      'rotate',
      '--school',
      '00000000-0000-4000-8000-000000000000',
      '--data',
      data,
    ]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /There is no school with id/);
    const batch = await runCli(['keys', 'rotate', '--batch-size', '0', '--data', data]);
    assert.equal(batch.code, 2);
    assert.match(batch.stderr, /--batch-size must be a whole number/);
  });

  test('server mode without a master key refuses to start with one line', async () => {
    const result = await runCli(['start', '--no-web-build', '--data', tempDataDir()], {
      env: cliEnv({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' }),
    });
    assert.equal(result.code, 2);
    assert.match(result.stderr.trim(), /^haven: No master key: set HAVEN_MASTER_KEY/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
  });
});

describe('audit', () => {
  test('verify passes on an intact log and names the edited event after a direct SQL edit (exit 1)', async () => {
    const data = tempDataDir();
    const created = await runCli(['school', 'create', '--name', 'Audited School', '--data', data]);
    assert.equal(created.code, 0, created.stderr);
    const checkpoint = await runCli(['audit', 'checkpoint', '--data', data]);
    assert.match(checkpoint.stdout, /Signed \d+ checkpoint\(s\)/);
    const intact = await runCli(['audit', 'verify', '--data', data]);
    assert.equal(intact.code, 0, intact.stdout + intact.stderr);
    assert.match(intact.stdout, /The audit log is intact/);

    // Edit the school's first event directly in the embedded database, as someone with file access could.
    const { PGlite } = await import('@electric-sql/pglite');
    const pglite = new PGlite(path.join(data, 'db'));
    await pglite.query(`update audit_events set actor_id = 'someone-else' where action = 'school.created'`);
    await pglite.close();

    const broken = await runCli(['audit', 'verify', '--data', data]);
    assert.equal(broken.code, 1);
    assert.match(
      broken.stdout,
      /BROKEN {2}organisation [0-9a-f-]{36}: event 1 was altered: its contents no longer match its hash \(event id [0-9a-f-]{36}\)/,
    );
  });
});
