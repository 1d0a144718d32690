// Differential test: an independent DuckDB SQL implementation of the DfE rules, written from the rules
// rather than from Haven's code, computes Attainment 8, Progress 8, basics and a subgroup gap from the
// same generated files; Haven's figures must match to 1e-9.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';
import { buildSchool } from '../../../test/support/factories.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import { runImport } from '../imports/imports.service.ts';
import { bufferSource } from '../imports/source.ts';
import { csvLine, PUPILS_HEADER, RESULTS_HEADER, syntheticSchool } from '../imports/synthetic.ts';
import { analyseCohort, gapsReport, headline, type Reader } from './analysis.service.ts';

const PUPILS = 1_200;

// The generator's subject names and the pillar each belongs to, by the DfE's rules (written out here,
// not taken from Haven's catalogue).
const PILLARS: Record<string, string> = {
  'English Language': 'english_language',
  'English Literature': 'english_literature',
  Maths: 'maths',
  'Combined Science': 'combined_science',
  Biology: 'science',
  Chemistry: 'science',
  Physics: 'science',
  'Computer Science': 'computer_science',
  History: 'history',
  Geography: 'geography',
  French: 'language',
  Spanish: 'language',
  German: 'language',
};

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

function number(value: unknown): number {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'bigint') {
    return Number(value);
  }
  throw new Error(`not a number: ${String(value)}`);
}

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
  const gaps = await gapsReport(services, school.id, analysed, 5, ['disadvantaged']);

  writeFileSync(path.join(dir, 'pupils.csv'), pupilsCsv);
  writeFileSync(path.join(dir, 'results.csv'), resultsCsv);
  const estimates = parse(
    readFileSync(path.join(import.meta.dirname, 'data', 'dfe_p8_att8_splits_2024_provisional.csv'), 'utf8'),
    { from: 2 },
  );
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const run = (statement: string) => db.run(statement);
  await run(
    `create table pupils as select * from read_csv('${path.join(dir, 'pupils.csv')}', header = true, all_varchar = true)`,
  );
  await run(
    `create table results as select * from read_csv('${path.join(dir, 'results.csv')}', header = true, all_varchar = true)`,
  );
  await run('create table pillars (subject varchar, pillar varchar)');
  for (const [subject, pillar] of Object.entries(PILLARS)) {
    await run(`insert into pillars values ('${subject}', '${pillar}')`);
  }
  await run('create table estimates (pag integer, lower_bound double, upper_bound double, a8 double)');
  for (const [pag, range, a8] of estimates) {
    const [lower, upper] = (range ?? '').split(' to ');
    await run(`insert into estimates values (${pag}, ${lower}, ${upper}, ${a8})`);
  }
  await run(`
    create table g as
    select r.upn, r.subject, coalesce(p.pillar, 'other') as pillar,
      case when r.grade = 'U' then 0.0
           when r.grade like '%-%' then (cast(split_part(r.grade, '-', 1) as double) + cast(split_part(r.grade, '-', 2) as double)) / 2
           else cast(r.grade as double) end as pts
    from results r left join pillars p on p.subject = r.subject
    where r.assessment_point = 'Y11 Summer' and r.facet = 'achieved'`);
  await run(`
    create table eng as select upn, count(*) as n, max(pts) as mx, min(pts) as mn
    from g where pillar in ('english_language', 'english_literature') group by upn`);
  await run(`create table mat as select upn, max(pts) as mx from g where pillar = 'maths' group by upn`);
  await run(`
    create table cand as
    select upn, subject, pts, row_number() over (partition by upn order by pts desc, subject) as rn from (
      select upn, subject, pts from g where pillar in ('science', 'computer_science', 'history', 'geography', 'language')
      union all select upn, subject, pts from g where pillar = 'combined_science'
      union all select upn, subject || ' (second slot)', pts from g where pillar = 'combined_science')`);
  await run(`
    create table open_slots as
    select upn, sum(pts) as s from (
      select upn, pts, row_number() over (partition by upn order by pts desc) as rn from (
        select upn, pts from cand where rn > 3
        union all select upn, mn from eng where n = 2
        union all select upn, pts from g where pillar = 'other'))
    where rn <= 3 group by upn`);
  await run(`
    create table a8 as
    select c.upn,
      coalesce(case when e.n = 2 then 2 * e.mx else e.mx end, 0) + coalesce(2 * m.mx, 0)
        + coalesce((select sum(pts) from cand where cand.upn = c.upn and rn <= 3), 0) + coalesce(o.s, 0) as a8,
      coalesce(e.mx, -1) >= 4 and coalesce(m.mx, -1) >= 4 as basics4
    from (select distinct upn from g) c
    left join eng e on e.upn = c.upn left join mat m on m.upn = c.upn left join open_slots o on o.upn = c.upn`);
  await run(`
    create table scored as
    select a.*, p.disadvantaged,
      ((case when p.ks2_reading_score = 'N' then 79 else try_cast(p.ks2_reading_score as double) end)
        + (case when p.ks2_maths_score = 'N' then 79 else try_cast(p.ks2_maths_score as double) end)) / 2 as ks2
    from a8 a join pupils p on p.upn = a.upn`);
  const reference = (
    await db.runAndReadAll(`
      select avg(s.a8) as a8,
        avg(case when s.basics4 then 1.0 else 0.0 end) as basics4,
        avg((s.a8 - e.a8) / 10) as p8,
        count(e.a8) as p8_pupils,
        count(*) as pupils,
        avg(case when s.disadvantaged = 'Y' then s.a8 end) - avg(case when s.disadvantaged = 'N' then s.a8 end) as gap
      from scored s left join estimates e on s.ks2 between e.lower_bound and e.upper_bound`)
  ).getRowObjects()[0];
  db.closeSync();
  instance.closeSync();
  assert.ok(reference);

  assert.equal(haven.pupils, number(reference.pupils));
  assert.ok(
    Math.abs((haven.attainment8 ?? Number.NaN) - number(reference.a8)) < 1e-9,
    `A8 ${haven.attainment8} vs ${number(reference.a8)}`,
  );
  assert.equal(haven.progress8?.pupils, number(reference.p8_pupils));
  assert.ok(
    Math.abs((haven.progress8?.progress8 ?? Number.NaN) - number(reference.p8)) < 1e-9,
    `P8 ${haven.progress8?.progress8} vs ${number(reference.p8)}`,
  );
  assert.ok(Math.abs((haven.basicsStandard ?? Number.NaN) - number(reference.basics4)) < 1e-9);
  const disadvantaged = gaps.dimensions[0]?.groups.find((group) => group.value === 'yes');
  assert.ok(Math.abs((disadvantaged?.gaps?.attainment8 ?? Number.NaN) - number(reference.gap)) < 1e-9);
});
