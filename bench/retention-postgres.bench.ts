// Retention sweep on PostgreSQL (issue: retention and backups): a real run of `runRetention` (holds
// re-checked, pupils deleted in batches with their cascades, subject keys shredded, the removals feed,
// certificates and audit events) over 1,000 schools of 1,000 pupils each, 10,000 of them past their
// 25th birthday, against the limit of 60 s. Ratio = elapsed ÷ 60 s (target < 1.00).
// For context, measured in the same run (not the target): a bare SQL deletion of 10,000 comparable
// pupils (one statement each for their blind indexes, keys and rows, with the same cascades), and a
// bare scan selecting the sweep's candidates across all schools.
// The sweep runs in a process of its own (a cold key cache, as the nightly job has, and its own memory
// high-water mark). Building the data is not timed.
// Run: ./haven bench retention-postgres (3½–4 minutes here, most of it the build). A smaller run:
// HAVEN_BENCH_SCALE=0.1 ./haven bench retention-postgres (a tenth of the schools).
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { constants, performance, PerformanceObserver } from 'node:perf_hooks';
import { Client } from 'pg';
import { createSchool } from '../src/modules/organisations/organisations.service.ts';
import { runRetention, type RunReport } from '../src/modules/retention/retention.service.ts';
import { SchoolVault } from '../src/platform/crypto/vault.ts';
import type { Services } from '../src/services.ts';
import {
  backendCpuSeconds,
  closeServices,
  numberOption,
  openPostgresServices,
  scratchDatabase,
} from './support.ts';

const LIMIT_SECONDS = 60;
const PUPILS_PER_SCHOOL = 1_000;
/** Past their 25th birthday on the run's day: 3 born in the edge month (decrypted), 7 earlier. */
const DUE_EDGE = 3;
const DUE_EARLIER = 7;
const DUE_PER_SCHOOL = DUE_EDGE + DUE_EARLIER;
/** Born later in the edge month: their dates are decrypted, and they stay. */
const EDGE_KEPT = 7;
/** Deleted by bare SQL before the sweep (the reference); comparable rows, not candidates. */
const REFERENCE_PER_SCHOOL = 10;
const SUBJECTS_PER_SCHOOL = 8;
/** The run's clock: today is 14 March 2035, so pupils born by 14 March 2010 have turned 25. */
const NOW = new Date('2035-03-14T09:00:00Z');
const EDGE = { year: 2010, month: 3 };
const BUILD_CONCURRENCY = 4;

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));
const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
const day = (year: number, month: number, date: number): string =>
  `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  const queue = items.toReversed();
  const worker = async (): Promise<void> => {
    for (let item = queue.pop(); item !== undefined; item = queue.pop()) {
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

interface SchoolPupils {
  due: string[];
  edgeKept: string[];
  reference: string[];
}

/**
 * The pupils whose dates of birth are real ciphertext under their own subject keys (made through the
 * keyring, as an import makes them): the due ones, the edge month's others, and the reference ones.
 */
async function insertKeyedPupils(services: Services, schoolId: string, index: number): Promise<SchoolPupils> {
  const due = Array.from({ length: DUE_PER_SCHOOL }, () => randomUUID());
  const edgeKept = Array.from({ length: EDGE_KEPT }, () => randomUUID());
  const reference = Array.from({ length: REFERENCE_PER_SCHOOL }, () => randomUUID());
  const births = new Map<string, string>();
  due.forEach((id, n) =>
    births.set(
      id,
      n < DUE_EDGE
        ? day(EDGE.year, EDGE.month, 1 + ((index + n * 5) % 14)) // 1–14 March 2010: turned 25 by today
        : day(2009, 1 + ((index + n) % 12), 1 + ((index * 7 + n) % 28)), // earlier: certainly 25
    ),
  );
  edgeKept.forEach((id, n) => births.set(id, day(EDGE.year, EDGE.month, 15 + ((index + n * 3) % 17))));
  reference.forEach((id, n) => births.set(id, day(2012, 1 + ((index + n) % 12), 1 + (n % 28))));
  await services.db.withSchool(schoolId, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    await vault.prepareNewSubjects([...births.keys()]);
    const rows = [];
    for (const [id, dob] of births) {
      rows.push({
        school_id: schoolId,
        id,
        identifier_kind: 'pseudonymous' as const,
        dob: await vault.encrypt(id, { table: 'pupils', column: 'dob', rowId: id }, dob),
        birth_year: Number(dob.slice(0, 4)),
        birth_month: Number(dob.slice(5, 7)),
        year_group: null,
        enrolment_status: 'O' as const,
        leave_date: `${Number(dob.slice(0, 4)) + 16}-07-20`,
      });
    }
    await trx.insertInto('pupils').values(rows).execute();
  });
  return { due, edgeKept, reference };
}

/** Runs statements as the database's owner (no row-level security), timing each for the build log. */
async function ownerStatements(client: Client, statements: ReadonlyArray<[string, string]>): Promise<void> {
  for (const [label, statement] of statements) {
    const started = performance.now();
    const result = await client.query(statement);
    process.stderr.write(
      `  ${label}: ${result.rowCount ?? 0} rows, ${round((performance.now() - started) / 1000, 1)} s\n`,
    );
  }
}

interface Built {
  schools: number;
  pupils: number;
  due: string[];
  edgeKept: string[];
  reference: string[];
}

async function build(services: Services, client: Client, schools: number): Promise<Built> {
  const ids: string[] = [];
  await eachLimited(
    Array.from({ length: schools }, (_, n) => n),
    BUILD_CONCURRENCY,
    async (n) => {
      const school = await createSchool(services, { name: `Retention Bench School ${n + 1}` });
      ids[n] = school.id;
    },
  );
  process.stderr.write(`  ${schools} schools created\n`);
  const built: Built = { schools, pupils: 0, due: [], edgeKept: [], reference: [] };
  await eachLimited(
    ids.map((id, n) => [id, n] as const),
    BUILD_CONCURRENCY,
    async ([id, n]) => {
      const pupils = await insertKeyedPupils(services, id, n);
      built.due.push(...pupils.due);
      built.edgeKept.push(...pupils.edgeKept);
      built.reference.push(...pupils.reference);
    },
  );
  process.stderr.write(
    `  ${built.due.length + built.edgeKept.length + built.reference.length} keyed pupils\n`,
  );
  const keyed = DUE_PER_SCHOOL + EDGE_KEPT + REFERENCE_PER_SCHOOL;
  const plain = PUPILS_PER_SCHOOL - DUE_PER_SCHOOL - EDGE_KEPT;
  // Plain pupils are born after the edge month (April 2010 to August 2031: current pupils and former
  // ones under 25), so the sweep never reads them; their keys and blind indexes are filler bytes that
  // nothing unwraps, there so the tables the sweep deletes from have a million rows.
  const firstMonth = EDGE.year * 12 + EDGE.month; // months counted from year 0, January = 1
  // Without foreign-key triggers for the bulk rows (each is made from rows that exist): with them the
  // million memberships took over a minute each on the shared machine. Row-level security is not
  // involved (the owner is a superuser); indexes are maintained as usual.
  await client.query('set session_replication_role = replica');
  await ownerStatements(client, [
    [
      'plain pupils',
      `insert into pupils (school_id, id, identifier_kind, year_group, birth_year, birth_month, sex, enrolment_status)
       select s.id, gen_random_uuid(), 'pseudonymous', null,
         ((${firstMonth} + 1 + (g * 7919 + h) % 256) - 1) / 12,
         ((${firstMonth} + 1 + (g * 7919 + h) % 256) - 1) % 12 + 1,
         case when g % 2 = 0 then 'M' else 'F' end, 'C'
       from (select id, abs(hashtext(id::text)) % 1000 as h from schools) s
       cross join generate_series(1, ${plain}) g`,
    ],
    [
      'filler subject keys',
      `insert into subject_keys (school_id, subject_id, dek_version, wrapped)
       select school_id, id, 1, decode(md5(id::text) || md5(id::text || 'k') || md5(id::text || 'w'), 'hex')
       from pupils where dob is null`,
    ],
    [
      'blind indexes (UPN)',
      `insert into blind_indexes (school_id, kind, digest, subject_id, index_version)
       select school_id, 'upn', decode(md5(id::text) || md5(id::text || 'u'), 'hex'), id, 1 from pupils`,
    ],
    [
      'form classes and groups',
      `with c as (insert into classes (school_id, name, year_group) select id, 'Form ' || f, null
         from schools cross join generate_series(1, 10) f returning 1),
       g as (insert into pupil_groups (school_id, name) select id, 'Group ' || f
         from schools cross join generate_series(1, 4) f returning 1)
       select (select count(*) from c) + (select count(*) from g)`,
    ],
    [
      'form class memberships',
      `insert into class_members (school_id, class_id, pupil_id)
       select p.school_id, c.id, p.id from pupils p
       join classes c on c.school_id = p.school_id and c.name = 'Form ' || (1 + abs(hashtext(p.id::text)) % 10)`,
    ],
    [
      'group memberships',
      `insert into pupil_group_members (school_id, group_id, pupil_id)
       select p.school_id, g.id, p.id from pupils p
       join pupil_groups g on g.school_id = p.school_id and g.name = 'Group ' || (1 + abs(hashtext(p.id::text)) % 4)`,
    ],
    [
      'grade sets, subjects, assessment point',
      `with gs as (insert into grade_sets (school_id, code, name) select id, 'gcse_9_1', 'GCSE 9-1' from schools
         returning school_id, id),
       sub as (insert into subjects (school_id, code, name, pillar, qualification, grade_set_id)
         select gs.school_id, 'S' || n, 'Subject ' || n, 'other', 'GCSE', gs.id
         from gs cross join generate_series(1, ${SUBJECTS_PER_SCHOOL}) n returning 1),
       ap as (insert into assessment_points (school_id, name, rank, date)
         select id, 'Y11 Summer', 1, date '2026-07-01' from schools returning 1)
       select (select count(*) from sub) + (select count(*) from ap)`,
    ],
    [
      'results of keyed pupils',
      `insert into results (school_id, pupil_id, subject_id, assessment_point_id, facet, grade, points)
       select p.school_id, p.id, s.id, ap.id, 'achieved', '5', 5
       from pupils p join subjects s on s.school_id = p.school_id
       join assessment_points ap on ap.school_id = p.school_id
       where p.dob is not null`,
    ],
    [
      'prior attainment and changes of keyed pupils',
      `with pa as (insert into prior_attainment (school_id, pupil_id, ks2_reading_score, ks2_maths_score)
         select school_id, id, 100 + abs(hashtext(id::text)) % 20, 95 + abs(hashtext(id::text || 'm')) % 25
         from pupils where dob is not null returning 1),
       pc as (insert into pupil_changes (school_id, pupil_id, field, old_value, new_value, changed_by)
         select school_id, id, 'year_group', '10', '11', 'bench' from pupils where dob is not null returning 1)
       select (select count(*) from pa) + (select count(*) from pc)`,
    ],
    [
      // Each school imported something the day before the run, so none is deleted for inactivity.
      'an import the day before',
      `insert into imports (school_id, format, file_digest, file_size, status, created_by, created_at, committed_at)
       select id, 'csv', decode(md5(id::text), 'hex'), 1000, 'committed', 'bench',
         timestamptz '${NOW.toISOString()}' - interval '1 day', timestamptz '${NOW.toISOString()}' - interval '1 day'
       from schools`,
    ],
  ]);
  await client.query('reset session_replication_role');
  built.pupils = schools * (plain + keyed);
  return built;
}

interface Timed {
  seconds: number;
  postgresCpuSeconds: number | undefined;
  rows: number;
}

/**
 * Reference: a bare deletion of comparable pupils (with blind indexes, keys, a class and a group
 * membership, results, KS2 and a change each), one statement per table, one transaction.
 */
async function bareDelete(client: Client, database: string, ids: readonly string[]): Promise<Timed> {
  const cpu = backendCpuSeconds(database);
  const started = performance.now();
  await client.query('begin');
  await client.query('delete from blind_indexes where subject_id = any($1::uuid[])', [ids]);
  await client.query('delete from subject_keys where subject_id = any($1::uuid[])', [ids]);
  const deleted = await client.query('delete from pupils where id = any($1::uuid[])', [ids]);
  await client.query('commit');
  const seconds = (performance.now() - started) / 1000;
  const after = backendCpuSeconds(database);
  return {
    seconds,
    postgresCpuSeconds: cpu === undefined || after === undefined ? undefined : after - cpu,
    rows: deleted.rowCount ?? 0,
  };
}

/** Reference: one scan selecting every school's candidates (born in or before the edge month). */
async function bareCandidateScan(client: Client, database: string): Promise<Timed> {
  const cpu = backendCpuSeconds(database);
  const started = performance.now();
  const found = await client.query(
    `select school_id, id, birth_year, birth_month, dob from pupils
     where birth_year is not null and birth_month is not null and (birth_year, birth_month) <= ($1, $2)`,
    [EDGE.year, EDGE.month],
  );
  const seconds = (performance.now() - started) / 1000;
  const after = backendCpuSeconds(database);
  return {
    seconds,
    postgresCpuSeconds: cpu === undefined || after === undefined ? undefined : after - cpu,
    rows: found.rowCount ?? 0,
  };
}

interface SweepReport {
  seconds: number;
  nodeCpuSeconds: number;
  postgresCpuSeconds: number | null;
  totals: RunReport['totals'];
  schools: number;
  baselineRssMb: number;
  maxRssMb: number;
  /** The most the heap held just after a full collection during the sweep (what it keeps alive). */
  liveHeapMb: number | null;
  /** Statements sent during the sweep, by first word, with the seconds they were in flight. */
  statements: Record<string, { count: number; seconds: number }>;
}

function isSweepReport(value: unknown): value is SweepReport {
  return typeof value === 'object' && value !== null && 'seconds' in value && 'totals' in value;
}

/**
 * Counts the statements this process sends to PostgreSQL, by their first word, and the time each kind
 * was in flight (wall time from send to answer, so it includes waiting for a core on a busy machine).
 */
function countStatements(): Map<string, { count: number; ms: number }> {
  const kinds = new Map<string, { count: number; ms: number }>();
  const original: unknown = Reflect.get(Client.prototype, 'query');
  if (typeof original !== 'function') {
    throw new TypeError('pg.Client has no query method');
  }
  const counted = function (this: Client, ...args: unknown[]): unknown {
    const first: unknown = args[0];
    const text = typeof first === 'string' ? first : '';
    const kind = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase() ?? 'other';
    const entry = kinds.get(kind) ?? { count: 0, ms: 0 };
    kinds.set(kind, entry);
    entry.count += 1;
    const started = performance.now();
    const result: unknown = Reflect.apply(original, this, args);
    if (result instanceof Promise) {
      void result
        .finally(() => {
          entry.ms += performance.now() - started;
        })
        .catch(() => undefined);
    }
    return result;
  };
  Reflect.set(Client.prototype, 'query', counted);
  return kinds;
}

/** The measured sweep, in its own process: a cold key cache and its own memory high-water mark. */
async function child(url: string): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'haven-bench-retention-pg-'));
  const database = new URL(url).pathname.slice(1);
  const services = await openPostgresServices(url, dataDir);
  try {
    const baseline = process.memoryUsage.rss();
    let liveHeap: number | undefined;
    const collections = new PerformanceObserver((list) => {
      const full = list.getEntries().some((entry) => {
        const detail: unknown = Reflect.get(entry, 'detail');
        return (
          typeof detail === 'object' &&
          detail !== null &&
          'kind' in detail &&
          detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR
        );
      });
      if (full) {
        liveHeap = Math.max(liveHeap ?? 0, process.memoryUsage().heapUsed);
      }
    });
    collections.observe({ entryTypes: ['gc'] });
    const statements = countStatements();
    const cpu = process.cpuUsage();
    const postgres = backendCpuSeconds(database);
    const started = performance.now();
    const report = await runRetention(services, { dryRun: false, now: NOW });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const postgresAfter = backendCpuSeconds(database);
    collections.disconnect();
    const result: SweepReport = {
      seconds,
      nodeCpuSeconds: (used.user + used.system) / 1e6,
      postgresCpuSeconds:
        postgres === undefined || postgresAfter === undefined ? null : postgresAfter - postgres,
      totals: report.totals,
      schools: report.schools.length,
      baselineRssMb: mb(baseline),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      liveHeapMb: liveHeap === undefined ? null : mb(liveHeap),
      statements: Object.fromEntries(
        [...statements].map(([kind, entry]) => [
          kind,
          { count: entry.count, seconds: round(entry.ms / 1000) },
        ]),
      ),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await closeServices(services);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runChild(url: string): Promise<SweepReport> {
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const sweeper = spawn(process.execPath, [...process.execArgv, import.meta.filename, '--child', url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    sweeper.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    sweeper.on('error', reject);
    sweeper.on('exit', resolve);
  });
  const lines = Buffer.concat(output).toString('utf8').trim().split('\n');
  const parsed: unknown = JSON.parse(lines.at(-1) ?? 'null');
  if (code !== 0 || !isSweepReport(parsed)) {
    throw new Error(`the sweep process failed (exit ${code}): ${lines.join('\n')}`);
  }
  return parsed;
}

async function count(client: Client, statement: string, values: unknown[] = []): Promise<number> {
  const result = await client.query<{ n: string }>(statement, values);
  return Number(result.rows[0]?.n);
}

/** What must hold after the run; throws (exit 1) otherwise. */
async function verify(client: Client, built: Built, sweep: SweepReport): Promise<Record<string, number>> {
  const expectedLeft = built.pupils - built.reference.length - built.due.length;
  const facts = {
    pupilsLeft: await count(client, 'select count(*) as n from pupils'),
    dueLeft: await count(client, 'select count(*) as n from pupils where id = any($1::uuid[])', [built.due]),
    edgeKeptLeft: await count(client, 'select count(*) as n from pupils where id = any($1::uuid[])', [
      built.edgeKept,
    ]),
    dueKeysLeft: await count(
      client,
      'select count(*) as n from subject_keys where subject_id = any($1::uuid[])',
      [built.due],
    ),
    dueResultsLeft: await count(
      client,
      'select count(*) as n from results where pupil_id = any($1::uuid[])',
      [built.due],
    ),
    removals: await count(client, 'select count(*) as n from subject_removals'),
    ledger: await count(client, `select count(*) as n from erasure_ledger where scope = 'subject'`),
    certificates: await count(client, 'select count(*) as n from retention_certificates'),
    certifiedPupils: await count(
      client,
      `select coalesce(sum((body -> 'records' ->> 'pupils')::int), 0) as n from retention_certificates`,
    ),
    schoolsDeleted: await count(client, 'select count(*) as n from schools where deleted_at is not null'),
    // Each due pupil had 8 results, a KS2 row, a change, a class and a group membership.
    certifiedRows: await count(
      client,
      `select coalesce(sum((body -> 'records' ->> 'results')::int + (body -> 'records' ->> 'prior_attainment')::int
         + (body -> 'records' ->> 'class_members')::int + (body -> 'records' ->> 'pupil_group_members')::int
         + (body -> 'records' ->> 'pupil_changes')::int), 0) as n from retention_certificates`,
    ),
  };
  const problems = [
    facts.pupilsLeft !== expectedLeft && `${facts.pupilsLeft} pupils left, not ${expectedLeft}`,
    facts.dueLeft !== 0 && `${facts.dueLeft} due pupils left`,
    facts.edgeKeptLeft !== built.edgeKept.length && `${facts.edgeKeptLeft} of the edge month's others left`,
    facts.dueKeysLeft !== 0 && `${facts.dueKeysLeft} due pupils' keys left`,
    facts.dueResultsLeft !== 0 && `${facts.dueResultsLeft} due pupils' results left`,
    sweep.totals.pupilsErased !== built.due.length &&
      `the run says ${sweep.totals.pupilsErased} erased, not ${built.due.length}`,
    facts.removals !== built.due.length && `${facts.removals} removals in the feed`,
    facts.ledger !== built.due.length && `${facts.ledger} erasures in the ledger`,
    facts.certifiedPupils !== built.due.length && `certificates name ${facts.certifiedPupils} pupils`,
    facts.schoolsDeleted !== 0 && `${facts.schoolsDeleted} schools deleted`,
    facts.certifiedRows !== built.due.length * (SUBJECTS_PER_SCHOOL + 4) &&
      `certificates count ${facts.certifiedRows} rows about the pupils`,
  ].filter((problem) => problem !== false);
  if (problems.length > 0) {
    throw new Error(`the sweep did not do what it must: ${problems.join('; ')}`);
  }
  return facts;
}

async function main(): Promise<void> {
  const scale = numberOption('scale', 'HAVEN_BENCH_SCALE', 1);
  const schools = Math.max(1, Math.round(1_000 * scale));
  const dir = mkdtempSync(path.join(tmpdir(), 'haven-bench-retention-postgres-'));
  const database = await scratchDatabase('');
  const client = new Client({ connectionString: database.url });
  try {
    await client.connect();
    const buildStarted = performance.now();
    const services = await openPostgresServices(database.url, path.join(dir, 'data'));
    let built: Built;
    try {
      built = await build(services, client, schools);
    } finally {
      await closeServices(services);
    }
    // Planner statistics, as autovacuum gathers them on a default server after a bulk load (this
    // server runs without autovacuum).
    await client.query('vacuum analyze');
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    const before = await count(client, 'select count(*) as n from pupils');
    const reference = await bareDelete(client, database.name, built.reference);
    const scan = await bareCandidateScan(client, database.name);
    const pupilsSwept = await count(client, 'select count(*) as n from pupils');
    const load = loadavg();
    const sweep = await runChild(database.url);
    const loadAfter = loadavg();
    const facts = await verify(client, built, sweep);
    const ratio = sweep.seconds / LIMIT_SECONDS;
    console.log(
      JSON.stringify({
        benchmark: 'retention-postgres',
        database: 'PostgreSQL (local server)',
        scale,
        schools,
        pupilsBuilt: before,
        pupilsSwept,
        due: built.due.length,
        edgeMonthDecrypted: schools * (DUE_EDGE + EDGE_KEPT),
        buildSeconds: round(buildSeconds, 1),
        sweepSeconds: round(sweep.seconds),
        sweepNodeCpuSeconds: round(sweep.nodeCpuSeconds, 1),
        sweepPostgresCpuSeconds:
          sweep.postgresCpuSeconds === null ? null : round(sweep.postgresCpuSeconds, 1),
        limitSeconds: LIMIT_SECONDS,
        ratio: round(ratio),
        target: '< 1.00',
        bareDeleteSeconds: round(reference.seconds),
        bareDeletePupils: reference.rows,
        bareDeletePostgresCpuSeconds:
          reference.postgresCpuSeconds === undefined ? null : round(reference.postgresCpuSeconds, 1),
        bareCandidateScanSeconds: round(scan.seconds),
        bareCandidateScanRows: scan.rows,
        sweepOverBareDelete: round(sweep.seconds / reference.seconds, 1),
        memory: {
          baselineRssMb: sweep.baselineRssMb,
          maxRssMb: sweep.maxRssMb,
          liveHeapMb: sweep.liveHeapMb,
        },
        statements: sweep.statements,
        statementsPerSchool: round(
          Object.values(sweep.statements).reduce((sum, entry) => sum + entry.count, 0) / schools,
          1,
        ),
        loadAverage: { before: load.map((n) => round(n)), after: loadAfter.map((n) => round(n)) },
        totals: sweep.totals,
        checked: facts,
        pass: ratio < 1,
      }),
    );
    process.exitCode = ratio < 1 ? 0 : 1;
  } finally {
    await client.end();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] ?? '');
} else {
  await main();
}
