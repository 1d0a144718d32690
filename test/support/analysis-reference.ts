// An independent DuckDB SQL implementation of the DfE rules, written from the rules rather than from
// Haven's code: Attainment 8, Progress 8, basics and the disadvantaged gap from the synthetic generator's
// CSV files. The differential test (analysis.reference.test.ts) checks Haven against it; the PostgreSQL
// analysis benchmark times it as a second limit.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { parse } from 'csv-parse/sync';

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

const ESTIMATES_FILE = path.join(
  import.meta.dirname,
  '..',
  '..',
  'src',
  'modules',
  'analysis',
  'data',
  'dfe_p8_att8_splits_2024_provisional.csv',
);

/** The figures the reference computes for one assessment point's achieved grades. */
export interface ReferenceFigures {
  pupils: number;
  a8: number;
  basics4: number;
  p8: number;
  p8Pupils: number;
  /** Disadvantaged pupils' mean Attainment 8 minus the other pupils'. */
  gap: number;
}

function number(value: unknown): number {
  if (typeof value === 'number') {
    return value;
  }
  if (typeof value === 'bigint') {
    return Number(value);
  }
  throw new Error(`not a number: ${String(value)}`);
}

/** Reads the generator's pupils and results CSV files and the 2024 provisional estimates into DuckDB. */
export async function loadReference(
  db: DuckDBConnection,
  files: { pupils: string; results: string },
): Promise<void> {
  const run = (statement: string) => db.run(statement);
  await run(
    `create or replace table pupils as select * from read_csv('${files.pupils}', header = true, all_varchar = true)`,
  );
  await run(
    `create or replace table results as select * from read_csv('${files.results}', header = true, all_varchar = true)`,
  );
  await run('create or replace table pillars (subject varchar, pillar varchar)');
  for (const [subject, pillar] of Object.entries(PILLARS)) {
    await run(`insert into pillars values ('${subject}', '${pillar}')`);
  }
  const estimates: string[][] = parse(readFileSync(ESTIMATES_FILE, 'utf8'), { from: 2 });
  await run(
    'create or replace table estimates (pag integer, lower_bound double, upper_bound double, a8 double)',
  );
  for (const [pag, range, a8] of estimates) {
    const [lower, upper] = (range ?? '').split(' to ');
    await run(`insert into estimates values (${pag}, ${lower}, ${upper}, ${a8})`);
  }
}

/** Computes the figures from the loaded tables for one assessment point's achieved grades. */
export async function computeReference(db: DuckDBConnection, point: string): Promise<ReferenceFigures> {
  const run = (statement: string) => db.run(statement);
  await run(`
    create or replace table g as
    select r.upn, r.subject, coalesce(p.pillar, 'other') as pillar,
      case when r.grade = 'U' then 0.0
           when r.grade like '%-%' then (cast(split_part(r.grade, '-', 1) as double) + cast(split_part(r.grade, '-', 2) as double)) / 2
           else cast(r.grade as double) end as pts
    from results r left join pillars p on p.subject = r.subject
    where r.assessment_point = '${point.replaceAll("'", "''")}' and r.facet = 'achieved'`);
  await run(`
    create or replace table eng as select upn, count(*) as n, max(pts) as mx, min(pts) as mn
    from g where pillar in ('english_language', 'english_literature') group by upn`);
  await run(
    `create or replace table mat as select upn, max(pts) as mx from g where pillar = 'maths' group by upn`,
  );
  await run(`
    create or replace table cand as
    select upn, subject, pts, row_number() over (partition by upn order by pts desc, subject) as rn from (
      select upn, subject, pts from g where pillar in ('science', 'computer_science', 'history', 'geography', 'language')
      union all select upn, subject, pts from g where pillar = 'combined_science'
      union all select upn, subject || ' (second slot)', pts from g where pillar = 'combined_science')`);
  await run(`
    create or replace table open_slots as
    select upn, sum(pts) as s from (
      select upn, pts, row_number() over (partition by upn order by pts desc) as rn from (
        select upn, pts from cand where rn > 3
        union all select upn, mn from eng where n = 2
        union all select upn, pts from g where pillar = 'other'))
    where rn <= 3 group by upn`);
  await run(`
    create or replace table a8 as
    select c.upn,
      coalesce(case when e.n = 2 then 2 * e.mx else e.mx end, 0) + coalesce(2 * m.mx, 0)
        + coalesce((select sum(pts) from cand where cand.upn = c.upn and rn <= 3), 0) + coalesce(o.s, 0) as a8,
      coalesce(e.mx, -1) >= 4 and coalesce(m.mx, -1) >= 4 as basics4
    from (select distinct upn from g) c
    left join eng e on e.upn = c.upn left join mat m on m.upn = c.upn left join open_slots o on o.upn = c.upn`);
  await run(`
    create or replace table scored as
    select a.*, p.disadvantaged,
      ((case when p.ks2_reading_score = 'N' then 79 else try_cast(p.ks2_reading_score as double) end)
        + (case when p.ks2_maths_score = 'N' then 79 else try_cast(p.ks2_maths_score as double) end)) / 2 as ks2
    from a8 a join pupils p on p.upn = a.upn`);
  const row = (
    await db.runAndReadAll(`
      select avg(s.a8) as a8,
        avg(case when s.basics4 then 1.0 else 0.0 end) as basics4,
        avg((s.a8 - e.a8) / 10) as p8,
        count(e.a8) as p8_pupils,
        count(*) as pupils,
        avg(case when s.disadvantaged = 'Y' then s.a8 end) - avg(case when s.disadvantaged = 'N' then s.a8 end) as gap
      from scored s left join estimates e on s.ks2 between e.lower_bound and e.upper_bound`)
  ).getRowObjects()[0];
  if (row === undefined) {
    throw new Error('the reference query returned no row');
  }
  return {
    pupils: number(row.pupils),
    a8: number(row.a8),
    basics4: number(row.basics4),
    p8: number(row.p8),
    p8Pupils: number(row.p8_pupils),
    gap: number(row.gap),
  };
}
