// Import speed (issue: pupil data model and imports): a 1,500-pupil school (pupils, then ~150k result
// rows) imported into the embedded database, end to end through the importer, against the 10-second
// limit the issue names. Ratio = elapsed ÷ limit (target ≤ 1).
// Run: ./haven bench imports
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { runImport } from '../src/modules/imports/imports.service.ts';
import { fileSource } from '../src/modules/imports/source.ts';
import { csvLine, PUPILS_HEADER, RESULTS_HEADER, syntheticSchool } from '../src/modules/imports/synthetic.ts';
import { createSchool } from '../src/modules/organisations/organisations.service.ts';
import { withBenchServices } from './support.ts';

const PUPILS = 1_500;
const LIMIT_SECONDS = 10;
// Nine assessment points: about 100 result rows per pupil, as the issue's ~150k for 1,500 pupils.
const POINTS = [
  'Y10 Autumn',
  'Y10 Spring',
  'Y10 Summer',
  'Y10 Exams',
  'Y11 Autumn',
  'Y11 Spring',
  'Y11 Mock',
  'Y11 Mock 2',
  'Y11 Summer',
];

async function main(): Promise<void> {
  await withBenchServices('imports', async (services, dir) => {
    const school = syntheticSchool(0, PUPILS, 11, POINTS);
    const pupilsFile = path.join(dir, 'pupils.csv');
    const resultsFile = path.join(dir, 'results.csv');
    writeFileSync(pupilsFile, [PUPILS_HEADER, ...school.pupils].map((row) => csvLine(row)).join('\n'));
    writeFileSync(resultsFile, [RESULTS_HEADER, ...school.results].map((row) => csvLine(row)).join('\n'));
    const { id } = await createSchool(services, { name: 'Benchmark School' });
    const run = async (file: string) =>
      runImport(services, {
        schoolId: id,
        source: await fileSource(file),
        options: { pseudonymousUpn: false, noNames: false },
        actor: { type: 'system', id: 'bench' },
        dryRun: false,
      });
    const started = performance.now();
    const pupils = await run(pupilsFile);
    const afterPupils = performance.now();
    const results = await run(resultsFile);
    const elapsed = (performance.now() - started) / 1000;
    if (pupils.status !== 'committed' || results.status !== 'committed') {
      throw new Error('the benchmark import was refused');
    }
    const ratio = elapsed / LIMIT_SECONDS;
    console.log(
      JSON.stringify({
        benchmark: 'imports',
        database: 'embedded (PGlite, on disk)',
        pupils: PUPILS,
        results: school.results.length,
        pupilsSeconds: Number(((afterPupils - started) / 1000).toFixed(2)),
        resultsSeconds: Number((elapsed - (afterPupils - started) / 1000).toFixed(2)),
        seconds: Number(elapsed.toFixed(2)),
        limitSeconds: LIMIT_SECONDS,
        ratio: Number(ratio.toFixed(2)),
        target: '≤ 1.00',
        pass: ratio <= 1,
      }),
    );
    process.exitCode = ratio <= 1 ? 0 : 1;
  });
}

await main();
