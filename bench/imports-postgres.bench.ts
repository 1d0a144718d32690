// Import speed and memory on PostgreSQL (issue: pupil data model and imports): 100,000 pupils and
// 1.8 million result rows imported through the real importer into a scratch PostgreSQL database, against
// a raw COPY of the same rows into a table of the same shape, measured in the same run (target: Haven's
// throughput ≥ 0.5× COPY's). Peak memory (RSS high-water mark) of the same import for 10,000 and 100,000
// pupils, each in its own process (target: it does not grow with the file, within 25%).
// Also reported, not targets: a raw COPY of the class memberships the results file's class column makes
// (the importer writes those as well), each import's CPU time in Node and in PostgreSQL, and what the
// peak resident memory was made of (V8's heap, ArrayBuffers, what a full collection left alive).
// Run: ./haven bench imports-postgres (about 4 minutes here). A smaller run for trying changes:
// HAVEN_BENCH_SCALE=0.2 ./haven bench imports-postgres, or node bench/imports-postgres.bench.ts --scale 0.2.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants, performance, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { Client } from 'pg';
import { runImport } from '../src/modules/imports/imports.service.ts';
import { fileSource } from '../src/modules/imports/source.ts';
import { createSchool } from '../src/modules/organisations/organisations.service.ts';
import { writeCohortFiles } from './cohort-files.ts';
import { copyIn, copyOut } from './pg-copy.ts';
import {
  backendCpuSeconds,
  closeServices,
  numberOption,
  openPostgresServices,
  scratchDatabase,
} from './support.ts';

const TARGET_RATIO = 0.5;
// Peak memory may differ by this much between the small and the large file and still count as flat.
const MEMORY_TOLERANCE = 1.25;
const SEED = 23;

/** One of the two imports (pupils file, results file) as the measured process saw it. */
interface PhaseReport {
  seconds: number;
  /** CPU seconds the importing Node process used (user + system). */
  nodeCpuSeconds: number;
  /** CPU seconds PostgreSQL's backends for the scratch database used, where /proc can say. */
  postgresCpuSeconds: number | undefined;
  /** The highest resident set size sampled during this import (every 20 ms)… */
  peakRssMb: number;
  /** …and, at that moment, the JavaScript heap V8 had reserved, and ArrayBuffer memory (off the heap). */
  heapAtPeakMb: number;
  arrayBuffersAtPeakMb: number;
  /**
   * The most the heap held just after a full garbage collection (what the import keeps alive), and
   * ArrayBuffer memory at those moments; undefined when no full collection ran during the import.
   */
  liveHeapMb: number | undefined;
  liveArrayBuffersMb: number | undefined;
}

interface ChildReport {
  schoolId: string;
  baselineRssMb: number;
  /** The process's resident set high-water mark, from the kernel (the whole run). */
  maxRssMb: number;
  pupils: PhaseReport;
  results: PhaseReport;
}

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);

function isFullCollection(entry: PerformanceEntry): boolean {
  // Node's gc entries carry { kind, flags } in `detail`, which its types declare only on marks and measures.
  const detail: unknown = Reflect.get(entry, 'detail');
  return (
    typeof detail === 'object' &&
    detail !== null &&
    'kind' in detail &&
    detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR
  );
}

/** Samples a phase's memory and CPU while it runs. */
class PhaseMeter {
  readonly #database: string;
  readonly #started = performance.now();
  readonly #cpu = process.cpuUsage();
  readonly #postgres: number | undefined;
  readonly #sampler: NodeJS.Timeout;
  readonly #collections: PerformanceObserver;
  #peak: NodeJS.MemoryUsage = process.memoryUsage();
  #liveHeap: number | undefined;
  #liveArrayBuffers: number | undefined;

  constructor(database: string) {
    this.#database = database;
    this.#postgres = backendCpuSeconds(database);
    this.#sampler = setInterval(() => this.#sample(), 20);
    // Right after each full collection the heap is about what is still reachable (no forced GCs).
    this.#collections = new PerformanceObserver((list) => {
      if (list.getEntries().some(isFullCollection)) {
        const usage = process.memoryUsage();
        this.#liveHeap = Math.max(this.#liveHeap ?? 0, usage.heapUsed);
        this.#liveArrayBuffers = Math.max(this.#liveArrayBuffers ?? 0, usage.arrayBuffers);
      }
    });
    this.#collections.observe({ entryTypes: ['gc'] });
  }

  #sample(): void {
    const usage = process.memoryUsage();
    if (usage.rss > this.#peak.rss) {
      this.#peak = usage;
    }
  }

  finish(): PhaseReport {
    this.#sample();
    clearInterval(this.#sampler);
    this.#collections.disconnect();
    const seconds = (performance.now() - this.#started) / 1000;
    const cpu = process.cpuUsage(this.#cpu);
    const postgresAfter = backendCpuSeconds(this.#database);
    return {
      seconds,
      nodeCpuSeconds: (cpu.user + cpu.system) / 1e6,
      postgresCpuSeconds:
        this.#postgres === undefined || postgresAfter === undefined
          ? undefined
          : postgresAfter - this.#postgres,
      peakRssMb: mb(this.#peak.rss),
      heapAtPeakMb: mb(this.#peak.heapTotal),
      arrayBuffersAtPeakMb: mb(this.#peak.arrayBuffers),
      liveHeapMb: this.#liveHeap === undefined ? undefined : mb(this.#liveHeap),
      liveArrayBuffersMb: this.#liveArrayBuffers === undefined ? undefined : mb(this.#liveArrayBuffers),
    };
  }
}

/** The measured import, in its own process so its memory high-water mark is its own. */
async function child(url: string, pupilsFile: string, resultsFile: string): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'haven-bench-imports-pg-'));
  const database = new URL(url).pathname.slice(1);
  const services = await openPostgresServices(url, dataDir);
  try {
    const { id } = await createSchool(services, { name: 'Benchmark School' });
    const baseline = process.memoryUsage.rss();
    const run = async (file: string) =>
      runImport(services, {
        schoolId: id,
        source: await fileSource(file),
        options: { pseudonymousUpn: false, noNames: false },
        actor: { type: 'system', id: 'bench' },
        dryRun: false,
      });
    const pupilsMeter = new PhaseMeter(database);
    const pupils = await run(pupilsFile);
    const pupilsPhase = pupilsMeter.finish();
    const resultsMeter = new PhaseMeter(database);
    const results = await run(resultsFile);
    const resultsPhase = resultsMeter.finish();
    for (const outcome of [pupils, results]) {
      if (outcome.status !== 'committed') {
        throw new Error(
          `the benchmark import was refused: ${JSON.stringify(outcome.report.errors.slice(0, 3))}`,
        );
      }
    }
    const report: ChildReport = {
      schoolId: id,
      baselineRssMb: mb(baseline),
      maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      pupils: pupilsPhase,
      results: resultsPhase,
    };
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await closeServices(services);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function isChildReport(value: unknown): value is ChildReport {
  return typeof value === 'object' && value !== null && 'schoolId' in value && 'results' in value;
}

async function runChild(url: string, files: { pupils: string; results: string }): Promise<ChildReport> {
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const importer = spawn(
      process.execPath,
      [...process.execArgv, import.meta.filename, '--child', url, files.pupils, files.results],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    importer.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    importer.on('error', reject);
    importer.on('exit', resolve);
  });
  const lines = Buffer.concat(output).toString('utf8').trim().split('\n');
  const parsed: unknown = JSON.parse(lines.at(-1) ?? 'null');
  if (code !== 0 || !isChildReport(parsed)) {
    throw new Error(`the import process failed (exit ${code}): ${lines.join('\n')}`);
  }
  return parsed;
}

interface CopyTiming {
  rows: number;
  seconds: number;
  /** CPU seconds the COPY's backend used, where /proc can say. */
  postgresCpuSeconds: number | undefined;
}

/**
 * Rows PostgreSQL itself wrote out (`source`, a COPY TO STDOUT, before timing), sent back with COPY
 * FROM STDIN into `table`, a new table of the same shape as `like` (columns, defaults, primary key,
 * indexes, checks) with the same foreign keys (`foreignKeys`, an ALTER TABLE clause).
 */
async function timedCopy(
  client: Client,
  database: string,
  copy: { source: string; like: string; table: string; columns: string; foreignKeys: string },
): Promise<CopyTiming> {
  const payload = await copyOut(client, `copy (${copy.source}) to stdout`);
  await client.query(
    `create table ${copy.table} (like ${copy.like} including defaults including constraints including indexes)`,
  );
  await client.query(`alter table ${copy.table} ${copy.foreignKeys}`);
  await client.query('checkpoint');
  const cpuBefore = backendCpuSeconds(database);
  const started = performance.now();
  await copyIn(client, `copy ${copy.table} (${copy.columns}) from stdin`, payload);
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = backendCpuSeconds(database);
  const counted = await client.query<{ n: string }>(`select count(*)::text as n from ${copy.table}`);
  return {
    rows: Number(counted.rows[0]?.n),
    seconds,
    postgresCpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
  };
}

/**
 * The limit: the results Haven wrote, as PostgreSQL itself writes them out, sent back with a raw COPY
 * into a table of the same shape (primary key, the analysis index, the facet check, and foreign keys to
 * schools, pupils and imports). Also timed, separately: a raw COPY of the class memberships the results
 * file's class column made (the importer writes those too, in the same statements' round trips).
 */
async function copyLimit(url: string, rows: number): Promise<{ results: CopyTiming; members: CopyTiming }> {
  const database = new URL(url).pathname.slice(1);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const columns =
      'school_id, pupil_id, subject_id, assessment_point_id, facet, grade, points, import_id, updated_at';
    const results = await timedCopy(client, database, {
      source: `select ${columns} from results`,
      like: 'results',
      table: 'copy_results',
      columns,
      foreignKeys: `add foreign key (school_id) references schools (id) on delete cascade,
        add foreign key (pupil_id) references pupils (id) on delete cascade,
        add foreign key (import_id) references imports (id) on delete set null`,
    });
    if (results.rows !== rows) {
      throw new Error(`COPY wrote ${results.rows} rows, not ${rows}`);
    }
    // The results import's classes are the ones with a subject (a pupils file's form groups have none).
    const members = await timedCopy(client, database, {
      source:
        'select m.school_id, m.class_id, m.pupil_id from class_members m join classes c on c.id = m.class_id where c.subject_id is not null',
      like: 'class_members',
      table: 'copy_class_members',
      columns: 'school_id, class_id, pupil_id',
      foreignKeys: `add foreign key (school_id) references schools (id) on delete cascade,
        add foreign key (class_id) references classes (id) on delete cascade,
        add foreign key (pupil_id) references pupils (id) on delete cascade`,
    });
    return { results, members };
  } finally {
    await client.end();
  }
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

async function main(): Promise<void> {
  const scale = numberOption('scale', 'HAVEN_BENCH_SCALE', 1);
  const large = Math.round(100_000 * scale);
  const small = Math.round(large / 10);
  const dir = mkdtempSync(path.join(tmpdir(), 'haven-bench-imports-postgres-'));
  const smallDb = await scratchDatabase('small');
  const largeDb = await scratchDatabase('');
  try {
    const smallFiles = writeCohortFiles(dir, 'small', small, SEED);
    const largeFiles = writeCohortFiles(dir, 'large', large, SEED);
    const smallRun = await runChild(smallDb.url, smallFiles);
    await smallDb.drop();
    const largeRun = await runChild(largeDb.url, largeFiles);
    const copy = await copyLimit(largeDb.url, largeFiles.rows);
    const havenRate = largeFiles.rows / largeRun.results.seconds;
    const copyRate = largeFiles.rows / copy.results.seconds;
    const ratio = havenRate / copyRate;
    // The same rows and the memberships they imply, both by raw COPY: for context, not the target.
    const ratioWithMembers = (copy.results.seconds + copy.members.seconds) / largeRun.results.seconds;
    const memoryRatio = largeRun.maxRssMb / smallRun.maxRssMb;
    const cpu = (seconds: number | undefined) => (seconds === undefined ? null : round(seconds, 1));
    const phase = (report: PhaseReport) => ({
      seconds: round(report.seconds),
      nodeCpuSeconds: round(report.nodeCpuSeconds, 1),
      postgresCpuSeconds: cpu(report.postgresCpuSeconds),
      peakRssMb: report.peakRssMb,
      heapAtPeakMb: report.heapAtPeakMb,
      arrayBuffersAtPeakMb: report.arrayBuffersAtPeakMb,
      liveHeapMb: report.liveHeapMb ?? null,
      liveArrayBuffersMb: report.liveArrayBuffersMb ?? null,
    });
    console.log(
      JSON.stringify({
        benchmark: 'imports-postgres',
        database: 'PostgreSQL (local server)',
        scale,
        pupils: large,
        results: largeFiles.rows,
        pupilsImport: phase(largeRun.pupils),
        resultsImport: phase(largeRun.results),
        havenRowsPerSecond: Math.round(havenRate),
        copySeconds: round(copy.results.seconds),
        copyPostgresCpuSeconds: cpu(copy.results.postgresCpuSeconds),
        copyRowsPerSecond: Math.round(copyRate),
        ratio: round(ratio),
        target: `≥ ${TARGET_RATIO}`,
        memberships: copy.members.rows,
        copyMembershipsSeconds: round(copy.members.seconds),
        copyMembershipsPostgresCpuSeconds: cpu(copy.members.postgresCpuSeconds),
        ratioWithMemberships: round(ratioWithMembers),
        memory: {
          smallPupils: small,
          smallResults: smallFiles.rows,
          smallMaxRssMb: smallRun.maxRssMb,
          largeMaxRssMb: largeRun.maxRssMb,
          smallBaselineRssMb: smallRun.baselineRssMb,
          largeBaselineRssMb: largeRun.baselineRssMb,
          small: { pupilsImport: phase(smallRun.pupils), resultsImport: phase(smallRun.results) },
          ratio: round(memoryRatio),
          target: `≤ ${MEMORY_TOLERANCE}`,
        },
        pass: ratio >= TARGET_RATIO && memoryRatio <= MEMORY_TOLERANCE,
      }),
    );
    process.exitCode = ratio >= TARGET_RATIO && memoryRatio <= MEMORY_TOLERANCE ? 0 : 1;
  } finally {
    await smallDb.drop();
    await largeDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  await child(process.argv[3] ?? '', process.argv[4] ?? '', process.argv[5] ?? '');
} else {
  await main();
}
