// Crash safety (issue #14): the process is SIGKILLed part-way through an import, an erasure, a data key
// rotation and a retention run, at stratified random moments, several times each; after every kill the
// database is opened again (a restart) and the test proves the operation is all-or-nothing, every
// ciphertext still decrypts, no plaintext name or UPN is anywhere in the raw database, and the audit
// chain verifies. The same assertion helpers are then shown to fail on deliberately non-atomic variants
// (an import committed in two transactions, an erasure that deletes the row and the key separately).
// Runs against the embedded database on disk, or a fresh PostgreSQL database when
// HAVEN_TEST_DATABASE_URL is set (the children then get it as DATABASE_URL).
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { Client } from 'pg';
import { NODE_FLAGS } from '../src/cli/node-child.ts';
import { withCheckLetter } from '../src/modules/pupils/upn.ts';
import { cliEnv, collect, runCli, startCli, tempDataDir, type CliResult } from './support/cli.ts';
import type { CrashState } from './support/crash-op.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CRASH_OP = path.join(ROOT, 'test', 'support', 'crash-op.ts');
/** Kills per operation (more with HAVEN_CRASH_ATTEMPTS, e.g. in a nightly run). */
const ATTEMPTS = Number(process.env.HAVEN_CRASH_ATTEMPTS ?? 3);
const MAX_ATTEMPTS = 6;
const IMPORT_SIZE = 400;
const RETENTION_DUE = 700;
/** Class names are stored in the clear: finding this proves the raw scan would see plaintext. */
const CANARY = 'CRASHCANARY';
/** Every synthetic name (Qcf123x, Qcs123y) and UPN (letter + 8012000 + 5 digits) the test ever uses. */
const PLAINTEXT = /Qc[fs]\d+[xy]|[A-Z]8012000\d{5}/i;

let serial = 10_000;

/** A pupils CSV of `count` new pupils (outside the data directory: the file itself is plaintext). */
function pupilsFile(dir: string, count: number, dob = '2010-02-11'): { file: string; upns: string[] } {
  const upns: string[] = [];
  const rows = ['upn,forename,surname,dob,sex,year_group,class'];
  for (let index = 0; index < count; index += 1) {
    serial += 1;
    const upn = withCheckLetter(`8012000${String(serial).padStart(5, '0')}`);
    upns.push(upn);
    rows.push(`${upn},Qcf${serial}x,Qcs${serial}y,${dob},${serial % 2 === 0 ? 'F' : 'M'},11,${CANARY}`);
  }
  const file = path.join(dir, `pupils-${serial}.csv`);
  writeFileSync(file, `${rows.join('\n')}\n`);
  return { file, upns };
}

/** Someone who turned 25 (the default retention age) a year ago. */
function longGoneBirthDate(): string {
  return `${new Date().getUTCFullYear() - 26}-01-15`;
}

interface Target {
  data: string;
  env: NodeJS.ProcessEnv;
  databaseUrl: string | undefined;
  close: () => Promise<void>;
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function openTarget(): Promise<Target> {
  const data = tempDataDir();
  const serverUrl = process.env.HAVEN_TEST_DATABASE_URL;
  if (serverUrl === undefined || serverUrl === '') {
    return {
      data,
      env: cliEnv({ HAVEN_DATA: data }),
      databaseUrl: undefined,
      close: async () => rmSync(data, { recursive: true, force: true }),
    };
  }
  const name = `haven_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    data,
    // With a database server Haven wants its master key from outside (no key file is made).
    env: cliEnv({
      HAVEN_DATA: data,
      DATABASE_URL: url.toString(),
      HAVEN_MASTER_KEY: randomBytes(32).toString('base64'),
    }),
    databaseUrl: url.toString(),
    close: async () => {
      await adminQuery(serverUrl, `drop database if exists ${name} with (force)`);
      rmSync(data, { recursive: true, force: true });
    },
  };
}

function startOp(target: Target, args: string[]): ChildProcess {
  return spawn(process.execPath, [...NODE_FLAGS, CRASH_OP, ...args], {
    cwd: ROOT,
    env: target.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

async function finish(child: ChildProcess): Promise<CliResult> {
  child.stdin?.end();
  const guard = setTimeout(() => child.kill('SIGKILL'), 90_000);
  const result = await collect(child);
  clearTimeout(guard);
  return result;
}

async function op(target: Target, args: string[]): Promise<CliResult> {
  const result = await finish(startOp(target, args));
  assert.equal(result.code, 0, `crash-op ${args.join(' ')}: ${result.stderr}`);
  return result;
}

async function cli(target: Target, args: string[]): Promise<CliResult> {
  const result = await runCli([...args, '--data', target.data], { env: target.env });
  assert.equal(result.code, 0, `haven ${args.join(' ')}: ${result.stdout}${result.stderr}`);
  return result;
}

/**
 * SIGKILLs `child` `delayMs` after its stderr first satisfies `ready` (e.g. the operation has begun, or
 * has reached a given row), unless it ended by itself first. Says which, and how long a finished run took.
 */
async function killWhen(
  child: ChildProcess,
  ready: (stderr: string) => boolean,
  delayMs = 0,
): Promise<string> {
  child.stdin?.end();
  let timer: NodeJS.Timeout | undefined;
  let seen = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    seen += chunk.toString('utf8');
    if (timer === undefined && ready(seen)) {
      timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    }
  });
  const result = await finish(child);
  clearTimeout(timer);
  if (result.code !== null) {
    assert.equal(result.code, 0, `ended by itself but failed: ${seen}`);
  }
  const took = /done in (\d+ ms)/.exec(seen)?.[1];
  return result.code === null ? 'killed' : `finished (${took ?? 'whole'})`;
}

const saw = (pattern: RegExp) => (stderr: string) => pattern.test(stderr);

/** The last progress count `pattern` (with one number captured) reports in `stderr`. */
function lastCount(stderr: string, pattern: RegExp): number {
  const counts = [...stderr.matchAll(pattern)].map((match) => Number(match[1]));
  return counts.at(-1) ?? -1;
}

/** Stratified random points: attempt i of n lands somewhere in the i-th slice of [0, span]. */
function stratified(attempt: number, span: number): number {
  return Math.round(((attempt + Math.random()) / ATTEMPTS) * span);
}

/**
 * Kill delays that walk along an operation of unknown length (the machine may be loaded): a kill that
 * found nothing done yet makes the next one later, one that found it done makes it earlier, with jitter.
 * Goes on until ATTEMPTS kills were made and both outcomes seen, or MAX_ATTEMPTS.
 */
class TimelineWalk {
  delay: number;
  readonly outcomes: Array<'before' | 'done'> = [];
  constructor(initialMs: number) {
    this.delay = initialMs;
  }
  next(): number {
    return Math.round(this.delay * (0.75 + Math.random() / 2));
  }
  record(outcome: 'before' | 'done'): void {
    this.outcomes.push(outcome);
    this.delay *= outcome === 'before' ? 1.7 : 0.6;
  }
  get more(): boolean {
    const both = this.outcomes.includes('before') && this.outcomes.includes('done');
    return this.outcomes.length < ATTEMPTS || (!both && this.outcomes.length < MAX_ATTEMPTS);
  }
}

async function readState(target: Target, schoolId: string, expireJobLeases = false): Promise<CrashState> {
  const result = await op(target, ['state', schoolId, ...(expireJobLeases ? ['expire-job-leases'] : [])]);
  return JSON.parse(result.stdout) as CrashState;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Every byte the database keeps (the embedded data directory, or a pg_dump) has no name or UPN. */
function assertNoPlaintext(target: Target): void {
  const bytes =
    target.databaseUrl === undefined
      ? Buffer.concat(filesUnder(target.data).map((file) => readFileSync(file)))
      : execFileSync('pg_dump', ['--data-only', target.databaseUrl], { maxBuffer: 512 * 1024 * 1024 });
  const text = bytes.toString('latin1');
  assert.ok(text.includes(CANARY), 'the scan finds what is stored in the clear');
  const found = PLAINTEXT.exec(text);
  assert.equal(found, null, `plaintext in the raw database: ${found?.[0]}`);
}

/** After a restart: every remaining ciphertext decrypts and the audit chain verifies. */
function assertSound(state: CrashState): void {
  assert.equal(state.undecryptable, 0, 'every pupil field still decrypts');
  assert.deepEqual(state.auditProblems, [], 'the audit chain verifies');
}

/** The operation's effect is all or nothing: what is observed equals either the state before or after. */
function assertAllOrNothing<T>(what: string, observed: T, prior: T, done: T): 'before' | 'done' {
  try {
    assert.deepEqual(observed, done);
    return 'done';
  } catch {
    assert.deepEqual(observed, prior, `${what}: neither as before nor fully done`);
    return 'before';
  }
}

/** An erasure either happened entirely (row, key, certificate, request closed) or not at all. */
function assertErasureAllOrNothing(
  state: CrashState,
  pupilId: string,
  requestId: string | undefined,
): 'before' | 'done' {
  const observed = {
    row: state.pupilIds.includes(pupilId),
    key: state.subjectKeyIds.includes(pupilId),
    certificate: state.erasureCertificateSubjects.includes(pupilId),
    request: requestId === undefined ? 'none' : state.requests[requestId],
  };
  return assertAllOrNothing(
    `erasure of ${pupilId}`,
    observed,
    { row: true, key: true, certificate: false, request: requestId === undefined ? 'none' : 'approved' },
    { row: false, key: false, certificate: true, request: requestId === undefined ? 'none' : 'completed' },
  );
}

async function createSchool(target: Target, name: string): Promise<string> {
  const result = await cli(target, ['school', 'create', '--name', name, '--json']);
  return (JSON.parse(result.stdout) as { id: string }).id;
}

interface Prepared {
  requestId: string;
  pupilId: string;
  executor: string;
  state: CrashState;
}

describe('crash safety: SIGKILL part-way, restart, all or nothing', { timeout: 1_800_000 }, () => {
  let target: Target;
  let files: string;
  let schoolId: string;
  let latest: CrashState;
  const upns: string[] = [];

  before(async () => {
    target = await openTarget();
    files = mkdtempSync(path.join(tmpdir(), 'haven-crash-files-'));
    schoolId = await createSchool(target, 'Crash Safety School');
    // Committed pupils (their class name is the canary the plaintext scan must find), to erase later.
    const base = pupilsFile(files, 30);
    await cli(target, ['import', base.file, '--school', schoolId]);
    upns.push(...base.upns);
    latest = await readState(target, schoolId);
  });

  after(async () => {
    await target.close();
    rmSync(files, { recursive: true, force: true });
  });

  test('an import is committed whole or not at all', async (t: TestContext) => {
    const outcomes: string[] = [];
    let unfinished: string | undefined;
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const prior = latest;
      const batch = pupilsFile(files, IMPORT_SIZE);
      const row = stratified(attempt, IMPORT_SIZE);
      const killed = await killWhen(
        startCli(['import', batch.file, '--school', schoolId, '--data', target.data], target.env),
        (stderr) => lastCount(stderr, /(\d+) rows/g) >= row,
      );
      latest = await readState(target, schoolId);
      assertSound(latest);
      assertNoPlaintext(target);
      const outcome = assertAllOrNothing(
        'pupils and their keys',
        { pupils: latest.pupils, keys: latest.subjectKeyIds.length },
        { pupils: prior.pupils, keys: prior.subjectKeyIds.length },
        { pupils: prior.pupils + IMPORT_SIZE, keys: prior.subjectKeyIds.length + IMPORT_SIZE },
      );
      outcomes.push(`${killed} at row ${row}: ${outcome}`);
      unfinished = outcome === 'before' ? batch.file : unfinished;
    }
    t.diagnostic(outcomes.join('; '));
    assert.ok(unfinished !== undefined, 'at least one kill landed before the commit');
    // Restarted, a killed import's file imports whole.
    const prior = latest;
    await cli(target, ['import', unfinished, '--school', schoolId]);
    latest = await readState(target, schoolId);
    assert.equal(latest.pupils, prior.pupils + IMPORT_SIZE);
  });

  test('an erasure removes the row, the key and writes the certificate together, or does nothing', async (t: TestContext) => {
    const outcomes: string[] = [];
    let unfinished: Prepared | undefined;
    const walk = new TimelineWalk(300);
    for (let attempt = 0; walk.more; attempt += 1) {
      const upn = upns[attempt] ?? assert.fail('no pupil to erase');
      const prepared = JSON.parse((await op(target, ['prepare-erasure', schoolId, upn])).stdout) as Prepared;
      const prior = prepared.state;
      assert.equal(assertErasureAllOrNothing(prior, prepared.pupilId, prepared.requestId), 'before');
      const delay = walk.next();
      const killed = await killWhen(
        startOp(target, ['execute-erasure', schoolId, prepared.requestId, prepared.executor]),
        saw(/begin/),
        delay,
      );
      latest = await readState(target, schoolId);
      assertSound(latest);
      assertNoPlaintext(target);
      const outcome = assertErasureAllOrNothing(latest, prepared.pupilId, prepared.requestId);
      assert.equal(latest.pupils, prior.pupils - (outcome === 'done' ? 1 : 0));
      walk.record(outcome);
      outcomes.push(`${killed} at +${delay} ms: ${outcome}`);
      unfinished = outcome === 'before' ? prepared : unfinished;
    }
    t.diagnostic(outcomes.join('; '));
    if (unfinished !== undefined) {
      // Restarted, the approved erasure is carried out.
      await op(target, ['execute-erasure', schoolId, unfinished.requestId, unfinished.executor]);
      latest = await readState(target, schoolId);
      assert.equal(assertErasureAllOrNothing(latest, unfinished.pupilId, unfinished.requestId), 'done');
    }
  });

  test('a data key rotation killed between batches keeps every value readable and resumes', async (t: TestContext) => {
    const outcomes: string[] = [];
    const start = latest;
    assert.deepEqual(start.dataKeys, ['v1:active']);
    for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
      const keys = stratified(attempt, start.subjectKeyIds.length);
      const killed = await killWhen(
        startOp(target, ['rotate', schoolId, '10']),
        (stderr) => lastCount(stderr, /rewrapped (\d+)\//g) >= keys,
      );
      const state = await readState(target, schoolId);
      assertSound(state);
      assertNoPlaintext(target);
      // One active version; at most one being retired; every subject key under one of them; none lost.
      const active = state.dataKeys.filter((key) => key.endsWith(':active'));
      const retiring = state.dataKeys.filter((key) => key.endsWith(':retiring'));
      assert.equal(active.length, 1, state.dataKeys.join());
      assert.ok(retiring.length <= 1, state.dataKeys.join());
      const versions = new Set(state.dataKeys.map((key) => key.split(':')[0]));
      for (const version of Object.keys(state.subjectKeysByVersion)) {
        assert.ok(versions.has(version), `subject keys under ${version}, which is gone`);
      }
      assert.deepEqual(state.subjectKeyIds, start.subjectKeyIds);
      assert.equal(state.decrypted, start.decrypted);
      if (retiring.length === 0) {
        assert.deepEqual(Object.keys(state.subjectKeysByVersion), [active[0]?.split(':')[0]]);
      }
      outcomes.push(
        `${killed} at ${keys} keys: ${state.dataKeys.join(' ')} ${JSON.stringify(state.subjectKeysByVersion)}`,
      );
    }
    t.diagnostic(outcomes.join('; '));
    // Restarted, the rotation finishes: one key version, every subject key under it, all readable.
    await cli(target, ['keys', 'rotate', '--school', schoolId, '--batch-size', '25']);
    latest = await readState(target, schoolId);
    assertSound(latest);
    assert.equal(latest.dataKeys.length, 1);
    const [only] = latest.dataKeys;
    assert.match(only ?? '', /^v\d+:active$/);
    assert.deepEqual(latest.subjectKeysByVersion, {
      [only?.split(':')[0] ?? '']: latest.subjectKeyIds.length,
    });
    assert.equal(latest.decrypted, start.decrypted);
  });

  test('a retention run deletes a pupil exactly when it certifies them, batch by batch', async (t: TestContext) => {
    const retentionSchool = await createSchool(target, 'Crash Retention School');
    const due = pupilsFile(files, RETENTION_DUE, longGoneBirthDate());
    await cli(target, ['import', due.file, '--school', retentionSchool]);
    const staying = pupilsFile(files, 20);
    await cli(target, ['import', staying.file, '--school', retentionSchool]);
    let start = await readState(target, retentionSchool);
    assert.equal(start.pupils, RETENTION_DUE + 20);
    let previous = start.pupils;
    const outcomes: string[] = [];
    const walk = new TimelineWalk(400);
    while (walk.more) {
      const delay = walk.next();
      const killed = await killWhen(startOp(target, ['retention', retentionSchool]), saw(/begin/), delay);
      // A killed run keeps its lease in job_runs until it expires (3 hours): the state read lets it run out.
      const state = await readState(target, retentionSchool, true);
      assertSound(state);
      assertNoPlaintext(target);
      const certified = new Set(state.retentionCertificateSubjects);
      for (const pupilId of start.pupilIds) {
        const gone = !state.pupilIds.includes(pupilId);
        assert.equal(gone, certified.has(pupilId), `pupil ${pupilId}: deleted iff certified`);
        assert.equal(gone, !state.subjectKeyIds.includes(pupilId), `pupil ${pupilId}: row and key together`);
      }
      // Whole batches of 500 (or the rest), never a part of one.
      const erased = start.pupils - state.pupils;
      assert.ok(erased === RETENTION_DUE || erased % 500 === 0, `erased ${erased}`);
      walk.record(previous - state.pupils === 0 ? 'before' : 'done');
      previous = state.pupils;
      if (erased === RETENTION_DUE) {
        // Every due pupil is gone: import another lot for the next kill.
        await cli(target, [
          'import',
          pupilsFile(files, RETENTION_DUE, longGoneBirthDate()).file,
          '--school',
          retentionSchool,
        ]);
        start = await readState(target, retentionSchool);
        previous = start.pupils;
      }
      outcomes.push(`${killed} at +${delay} ms: ${erased} erased`);
    }
    t.diagnostic(outcomes.join('; '));
    // Restarted, the run finishes: the due pupils are gone and certified, the others stay.
    await op(target, ['retention', retentionSchool]);
    const end = await readState(target, retentionSchool);
    assertSound(end);
    assert.equal(end.pupils, 20);
    const certified = new Set(end.retentionCertificateSubjects);
    for (const pupilId of start.pupilIds) {
      assert.equal(!end.pupilIds.includes(pupilId), certified.has(pupilId));
    }
  });

  test('the checks bite: an import committed in two transactions is caught', async () => {
    const prior = latest;
    const batch = pupilsFile(files, 100);
    const killed = await killWhen(
      startOp(target, ['split-import', schoolId, batch.file]),
      saw(/first half committed/),
    );
    assert.equal(killed, 'killed');
    latest = await readState(target, schoolId);
    assert.equal(latest.pupils, prior.pupils + 50);
    assert.throws(
      () =>
        assertAllOrNothing(
          'pupils and their keys',
          { pupils: latest.pupils, keys: latest.subjectKeyIds.length },
          { pupils: prior.pupils, keys: prior.subjectKeyIds.length },
          { pupils: prior.pupils + 100, keys: prior.subjectKeyIds.length + 100 },
        ),
      /neither as before nor fully done/,
    );
  });

  test('the checks bite: an erasure that deletes the row and the key separately is caught', async () => {
    const pupilId = latest.pupilIds[0] ?? assert.fail('no pupil');
    assert.equal(assertErasureAllOrNothing(latest, pupilId, undefined), 'before');
    const killed = await killWhen(
      startOp(target, ['split-erasure', schoolId, pupilId]),
      saw(/pupil row deleted/),
    );
    assert.equal(killed, 'killed');
    latest = await readState(target, schoolId);
    assert.throws(
      () => assertErasureAllOrNothing(latest, pupilId, undefined),
      /neither as before nor fully done/,
    );
  });

  test('after every kill and restart, `haven audit verify` passes', async () => {
    const verified = await cli(target, ['audit', 'verify']);
    assert.match(verified.stdout, /The audit log is intact/);
  });
});
