import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { createTestServices } from '../../../test/support/services.ts';
import { NOT_PUPIL_DATA, SUBJECT_DATA_SOURCES } from './subject-data.ts';

// The promise that an access request forgets nothing: every table of the database is either claimed by
// a module's subject-data source (exported for access, counted and deleted for erasure) or listed as
// holding no pupil data, with the reason. A new table that is neither fails here.

describe('subject data sources cover every table', () => {
  test('each table is exported by a source or explained', async () => {
    const services = await createTestServices();
    try {
      const { rows } = await sql<{ table_name: string }>`
        select table_name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'
      `.execute(services.db.unscoped);
      const claimed = new Set(SUBJECT_DATA_SOURCES.flatMap((source) => source.tables));
      // Kysely's own migration bookkeeping is schema history, not data.
      const tables = rows
        .map((row) => row.table_name)
        .filter((table) => !table.startsWith('kysely_'))
        .toSorted();
      assert.ok(tables.includes('pupils') && tables.includes('results'), 'saw the schema');
      const unexplained = tables.filter((table) => !claimed.has(table) && !(table in NOT_PUPIL_DATA));
      assert.deepEqual(unexplained, [], 'tables with no subject-data source and no reason they need none');
      const stale = [...claimed, ...Object.keys(NOT_PUPIL_DATA)].filter((table) => !tables.includes(table));
      assert.deepEqual(stale, [], 'sources or reasons naming tables that do not exist');
      const both = [...claimed].filter((table) => table in NOT_PUPIL_DATA);
      assert.deepEqual(both, [], 'tables both claimed and explained away');
    } finally {
      await services.close();
    }
  });

  test('every table with a pupil_id column is claimed by a source or holds only pseudonymous evidence', async () => {
    const services = await createTestServices();
    try {
      const { rows } = await sql<{ table_name: string }>`
        select distinct table_name from information_schema.columns
        where table_schema = current_schema() and column_name = 'pupil_id'
      `.execute(services.db.unscoped);
      const claimed = new Set(SUBJECT_DATA_SOURCES.flatMap((source) => source.tables));
      const evidence = new Set(['subject_removals']);
      assert.deepEqual(
        rows.map((row) => row.table_name).filter((table) => !claimed.has(table) && !evidence.has(table)),
        [],
      );
    } finally {
      await services.close();
    }
  });
});
