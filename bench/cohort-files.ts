import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { csvLine, PUPILS_HEADER, RESULTS_HEADER, syntheticCohort } from '../src/modules/imports/synthetic.ts';

/** The assessment point whose achieved grades the PostgreSQL benchmarks' files hold. */
export const COHORT_POINT = 'Y11 Summer';

export interface CohortFiles {
  pupils: string;
  results: string;
  /** Result rows in the results file. */
  rows: number;
}

/**
 * A synthetic Year 11 cohort of any size written straight to the two CSV templates, one pupil at a
 * time (a 100,000-pupil cohort is never held in memory): each pupil's achieved grades at Y11 Summer
 * and their targets (set at Y11 Autumn), nine subjects each, so 18 result rows a pupil. The generator's
 * predictions are left out to keep 100,000 pupils near the two million rows.
 */
export function writeCohortFiles(dir: string, label: string, pupils: number, seed: number): CohortFiles {
  const files = {
    pupils: path.join(dir, `pupils-${label}.csv`),
    results: path.join(dir, `results-${label}.csv`),
  };
  const pupilsFd = openSync(files.pupils, 'w');
  const resultsFd = openSync(files.results, 'w');
  let rows = 0;
  try {
    writeSync(pupilsFd, `${csvLine(PUPILS_HEADER)}\n`);
    writeSync(resultsFd, `${csvLine(RESULTS_HEADER)}\n`);
    let pupilLines: string[] = [];
    let resultLines: string[] = [];
    const flush = (): void => {
      writeSync(pupilsFd, pupilLines.join(''));
      writeSync(resultsFd, resultLines.join(''));
      pupilLines = [];
      resultLines = [];
    };
    for (const entry of syntheticCohort(0, pupils, seed, [COHORT_POINT]).pupils) {
      pupilLines.push(`${csvLine(entry.pupil)}\n`);
      for (const result of entry.results) {
        if (result[RESULTS_HEADER.indexOf('facet')] !== 'prediction') {
          resultLines.push(`${csvLine(result)}\n`);
          rows += 1;
        }
      }
      if (pupilLines.length >= 1_000) {
        flush();
      }
    }
    flush();
  } finally {
    closeSync(pupilsFd);
    closeSync(resultsFd);
  }
  return { ...files, rows };
}
