// Differential test: an independent DuckDB SQL implementation of the DfE rules, written from the rules
// rather than from Haven's code (test/support/analysis-reference.ts), computes Attainment 8, Progress 8,
// basics and a subgroup gap from the same generated files; Haven's figures must match to 1e-9.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { computeReference, loadReference } from '../../../test/support/analysis-reference.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { runImport } from '../imports/imports.service.ts';
import { bufferSource } from '../imports/source.ts';
import { csvLine, PUPILS_HEADER, RESULTS_HEADER, syntheticSchool } from '../imports/synthetic.ts';
import { analyseCohort, gapsReport, headline, type Reader } from './analysis.service.ts';

const PUPILS = 1_200;

let services: TestServices;
let dir: string;
before(async () => {
  services = await createTestServices();
  dir = mkdtempSync(path.join(tmpdir(), 'haven-reference-'));
});
after(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

test('Haven and an independent DuckDB implementation agree on A8, P8, basics and a subgroup gap', async () => {
  const cohort = syntheticSchool(4, PUPILS, 31);
  const pupilsCsv = [PUPILS_HEADER, ...cohort.pupils].map((row) => csvLine(row)).join('\n');
  const resultsCsv = [RESULTS_HEADER, ...cohort.results].map((row) => csvLine(row)).join('\n');
  const school = await buildSchool(services);
  for (const [name, text] of [
    ['pupils.csv', pupilsCsv],
    ['results.csv', resultsCsv],
  ] as const) {
    const outcome = await runImport(services, {
      schoolId: school.id,
      source: bufferSource(name, Buffer.from(text)),
      options: { pseudonymousUpn: false, noNames: false },
      actor: { type: 'system', id: 'test' },
      dryRun: false,
    });
    assert.equal(outcome.status, 'committed');
  }
  const reader: Reader = {
    actor: { userId: 'test', memberships: [{ orgId: school.id, orgKind: 'school', role: 'senior_leader' }] },
    userId: 'test',
    audit: { type: 'system', id: 'test' },
  };
  const analysed = await analyseCohort(services, reader, school.id, { estimates: '2024_provisional' });
  const haven = headline(analysed);
  const gaps = gapsReport(analysed, 5, ['disadvantaged']);

  const files = { pupils: path.join(dir, 'pupils.csv'), results: path.join(dir, 'results.csv') };
  writeFileSync(files.pupils, pupilsCsv);
  writeFileSync(files.results, resultsCsv);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  await loadReference(db, files);
  const reference = await computeReference(db, 'Y11 Summer');
  db.closeSync();
  instance.closeSync();

  assert.equal(haven.pupils, reference.pupils);
  assert.ok(
    Math.abs((haven.attainment8 ?? Number.NaN) - reference.a8) < 1e-9,
    `A8 ${haven.attainment8} vs ${reference.a8}`,
  );
  assert.equal(haven.progress8?.pupils, reference.p8Pupils);
  assert.ok(
    Math.abs((haven.progress8?.progress8 ?? Number.NaN) - reference.p8) < 1e-9,
    `P8 ${haven.progress8?.progress8} vs ${reference.p8}`,
  );
  assert.ok(Math.abs((haven.basicsStandard ?? Number.NaN) - reference.basics4) < 1e-9);
  const disadvantaged = gaps.dimensions[0]?.groups.find((group) => group.value === 'yes');
  assert.ok(Math.abs((disadvantaged?.gaps?.attainment8 ?? Number.NaN) - reference.gap) < 1e-9);
});
