// Report speed on PostgreSQL (issue: analysis): headline + Progress 8 + subgroup gaps for a cohort of
// 100,000 pupils, warm, against the 3-second limit, and beside an independent DuckDB SQL
// implementation of the same figures (test/support/analysis-reference.ts) timed in the same run.
// Ratio = Haven's median ÷ 3 s (target ≤ 1.00). Run: ./haven bench analysis-postgres
// (HAVEN_BENCH_SCALE=0.1 for a tenth of the pupils).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  analyseCohort,
  gapsReport,
  headline,
  type Headline,
  type Reader,
} from '../src/modules/analysis/analysis.service.ts';
import { runImport } from '../src/modules/imports/imports.service.ts';
import { fileSource } from '../src/modules/imports/source.ts';
import { createSchool } from '../src/modules/organisations/organisations.service.ts';
import type { Services } from '../src/services.ts';
import {
  computeReference,
  loadReference,
  type ReferenceFigures,
} from '../test/support/analysis-reference.ts';
import { COHORT_POINT, writeCohortFiles, type CohortFiles } from './cohort-files.ts';
import { adminQuery, closeServices, numberOption, openPostgresServices, scratchDatabase } from './support.ts';

const LIMIT_MS = 3_000;
const WARM_ROUNDS = 2;
const ROUNDS = 9;
const SEED = 17;
const ESTIMATES = '2024_provisional';

const median = (values: readonly number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

async function importCohort(services: Services, schoolId: string, files: CohortFiles): Promise<void> {
  for (const file of [files.pupils, files.results]) {
    const outcome = await runImport(services, {
      schoolId,
      source: await fileSource(file),
      options: { pseudonymousUpn: false, noNames: false },
      actor: { type: 'system', id: 'bench' },
      dryRun: false,
    });
    if (outcome.status !== 'committed') {
      throw new Error(`${file} was refused: ${JSON.stringify(outcome.report.errors.slice(0, 3))}`);
    }
  }
}

/** Haven's figures must be the reference's (as the differential test requires) before times mean anything. */
function checkAgreement(
  haven: Headline,
  disadvantagedGap: number | null | undefined,
  reference: ReferenceFigures,
): void {
  const pairs: Array<[string, number | null | undefined, number]> = [
    ['pupils', haven.pupils, reference.pupils],
    ['attainment 8', haven.attainment8, reference.a8],
    ['progress 8', haven.progress8?.progress8, reference.p8],
    ['progress 8 pupils', haven.progress8?.pupils, reference.p8Pupils],
    ['basics 4+', haven.basicsStandard, reference.basics4],
    ['disadvantaged gap', disadvantagedGap, reference.gap],
  ];
  for (const [name, value, expected] of pairs) {
    if (value === null || value === undefined || Math.abs(value - expected) > 1e-9) {
      throw new Error(`Haven and the DuckDB reference disagree on ${name}: ${value} vs ${expected}`);
    }
  }
}

async function main(): Promise<void> {
  const scale = numberOption('scale', 'HAVEN_BENCH_SCALE', 1);
  const pupils = Math.round(100_000 * scale);
  const dir = mkdtempSync(path.join(tmpdir(), 'haven-bench-analysis-postgres-'));
  const database = await scratchDatabase('');
  const services = await openPostgresServices(database.url, path.join(dir, 'data'));
  const duck = await DuckDBInstance.create(':memory:');
  const reference = await duck.connect();
  try {
    const files = writeCohortFiles(dir, 'cohort', pupils, SEED);
    const { id } = await createSchool(services, { name: 'Benchmark School' });
    const importStarted = performance.now();
    await importCohort(services, id, files);
    const importSeconds = (performance.now() - importStarted) / 1000;
    // Planner statistics, as autovacuum gathers them on a default server within a minute of the
    // import; the benchmark server may run without autovacuum, and without statistics PostgreSQL plans
    // the grades query as if the cohort's 900,000 results were one row.
    await adminQuery(database.url, 'analyze');
    await loadReference(reference, files);
    const reader: Reader = {
      actor: { userId: 'bench', memberships: [{ orgId: id, orgKind: 'school', role: 'senior_leader' }] },
      userId: 'bench',
      audit: { type: 'system', id: 'bench' },
    };
    let last: { haven: Headline; gap: number | null | undefined } | undefined;
    // Where each round's time goes: reading and computing the cohort, the headline, the gaps.
    const parts = { analyse: [] as number[], headline: [] as number[], gaps: [] as number[] };
    const haven = async (): Promise<number> => {
      const started = performance.now();
      // With class and group members, as the gaps page reads its cohort (they were read by
      // gapsReport, in a transaction of its own, before 2026-12-05).
      const analysed = await analyseCohort(services, reader, id, { estimates: ESTIMATES, memberships: true });
      const afterAnalyse = performance.now();
      const figures = headline(analysed);
      const afterHeadline = performance.now();
      const gaps = gapsReport(analysed, 5);
      const finished = performance.now();
      parts.analyse.push(afterAnalyse - started);
      parts.headline.push(afterHeadline - afterAnalyse);
      parts.gaps.push(finished - afterHeadline);
      const disadvantaged = gaps.dimensions
        .find((entry) => entry.dimension === 'disadvantaged')
        ?.groups.find((group) => group.value === 'yes');
      last = { haven: figures, gap: disadvantaged?.gaps?.attainment8 };
      return finished - started;
    };
    let figures: ReferenceFigures | undefined;
    const duckdb = async (): Promise<number> => {
      const started = performance.now();
      figures = await computeReference(reference, COHORT_POINT);
      return performance.now() - started;
    };
    for (let warm = 0; warm < WARM_ROUNDS; warm += 1) {
      await haven();
      await duckdb();
    }
    for (const times of Object.values(parts)) {
      times.length = 0;
    }
    const havenTimes: number[] = [];
    const duckdbTimes: number[] = [];
    // Interleaved, alternating which goes first, so a busy moment slows both.
    for (let index = 0; index < ROUNDS; index += 1) {
      if (index % 2 === 0) {
        havenTimes.push(await haven());
        duckdbTimes.push(await duckdb());
      } else {
        duckdbTimes.push(await duckdb());
        havenTimes.push(await haven());
      }
    }
    if (last === undefined || figures === undefined) {
      throw new Error('no round ran');
    }
    checkAgreement(last.haven, last.gap, figures);
    const havenMedian = median(havenTimes);
    const duckdbMedian = median(duckdbTimes);
    const ratio = havenMedian / LIMIT_MS;
    console.log(
      JSON.stringify({
        benchmark: 'analysis-postgres',
        database: 'PostgreSQL (local server)',
        scale,
        pupils,
        results: files.rows,
        importSeconds: round(importSeconds, 1),
        medianMs: round(havenMedian, 0),
        fastestMs: round(Math.min(...havenTimes), 0),
        slowestMs: round(Math.max(...havenTimes), 0),
        medianAnalyseCohortMs: round(median(parts.analyse), 0),
        medianHeadlineMs: round(median(parts.headline), 0),
        medianGapsReportMs: round(median(parts.gaps), 0),
        limitMs: LIMIT_MS,
        ratio: round(ratio),
        target: '≤ 1.00',
        duckdbMedianMs: round(duckdbMedian, 0),
        ratioToDuckdb: round(havenMedian / duckdbMedian),
        pass: ratio <= 1,
      }),
    );
    process.exitCode = ratio <= 1 ? 0 : 1;
  } finally {
    reference.closeSync();
    duck.closeSync();
    await closeServices(services);
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
