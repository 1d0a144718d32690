// Erasure reaching backups: restore a copy of the database taken before an erasure, replay the ledger
// kept apart from it, and the pupil is erased again — rows, key and blind index.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { importCsvLines } from '../../../test/support/imports.ts';
import { syntheticUpn } from '../../../test/support/pupil-files.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { ownerKysely } from '../../platform/db/connect.ts';
import { erasureLedger, replayErasureLedger } from './erasure-ledger.service.ts';

const fixture = useTestApp();
const UPN = syntheticUpn(31);

// What a backup of one pupil holds: their rows in each table, as row JSON.
const BACKED_UP = ['pupils', 'prior_attainment', 'results', 'subject_keys', 'blind_indexes'] as const;
const COLUMN: Record<(typeof BACKED_UP)[number], string> = {
  pupils: 'id',
  prior_attainment: 'pupil_id',
  results: 'pupil_id',
  subject_keys: 'subject_id',
  blind_indexes: 'subject_id',
};

async function backup(schoolId: string, pupilId: string): Promise<Map<string, string>> {
  return fixture.services.db.withPlatform('test: backup', async (trx) => {
    const copy = new Map<string, string>();
    for (const table of BACKED_UP) {
      const { rows } = await sql<{ rows: string | null }>`
        select json_agg(t)::text as rows from ${sql.table(table)} t
        where school_id = ${schoolId} and ${sql.ref(COLUMN[table])} = ${pupilId}`.execute(trx);
      copy.set(table, rows[0]?.rows ?? '[]');
    }
    return copy;
  });
}

/**
 * Puts the backed-up rows back and takes the append-only ledger and the feed back to before the
 * erasure: what restoring an older backup does, so it runs as the database owner, as a restore would.
 */
async function restore(schoolId: string, pupilId: string, copy: Map<string, string>): Promise<void> {
  const db = ownerKysely<unknown>(fixture.services.testDb.source);
  await db.transaction().execute(async (trx) => {
    // The embedded database has one connection, whose session role is the application's.
    await sql`set local role none`.execute(trx);
    for (const table of BACKED_UP) {
      await sql`insert into ${sql.table(table)} overriding system value
        select * from json_populate_recordset(null::${sql.table(table)}, ${copy.get(table) ?? '[]'}::json)`.execute(
        trx,
      );
    }
    await sql`delete from erasure_ledger where school_id = ${schoolId} and subject_id = ${pupilId}`.execute(
      trx,
    );
    await sql`delete from subject_removals where school_id = ${schoolId} and pupil_id = ${pupilId}`.execute(
      trx,
    );
  });
  if (fixture.services.testDb.kind === 'postgres') {
    await db.destroy();
  }
}

async function left(schoolId: string, pupilId: string): Promise<Record<string, number>> {
  return fixture.services.db.withPlatform('test: count', async (trx) => {
    const counts: Record<string, number> = {};
    for (const table of [...BACKED_UP, 'erasure_ledger', 'subject_removals'] as const) {
      const column =
        table === 'erasure_ledger' ? 'subject_id' : table === 'subject_removals' ? 'pupil_id' : COLUMN[table];
      const { rows } = await sql<{ n: number }>`
        select count(*)::int as n from ${sql.table(table)} where school_id = ${schoolId} and ${sql.ref(column)} = ${pupilId}`.execute(
        trx,
      );
      counts[table] = rows[0]?.n ?? 0;
    }
    return counts;
  });
}

describe('the erasure ledger after a restore', () => {
  test('replaying the ledger kept apart erases the restored pupil again', async () => {
    const school = await buildSchool(fixture.services);
    for (const lines of [
      [
        'upn,forename,surname,dob,year_group,ks2_reading_score',
        `${UPN},Zqrestored,Xvpupil,2010-03-14,11,104`,
      ],
      ['upn,subject,assessment_point,facet,grade', `${UPN},Maths,Y11 Autumn,achieved,5`],
    ]) {
      await importCsvLines(fixture.services, school.id, lines);
    }
    const pupilId = await fixture.services.db.withSchool(school.id, (trx) =>
      new SchoolVault(fixture.services.keyring, trx, school.id).lookup('upn', UPN),
    );
    assert.ok(pupilId !== undefined);
    const copy = await backup(school.id, pupilId);

    const admin = await signInAs(
      fixture.app,
      (await buildUser(fixture.services, 'school_admin', school.id)).email,
    );
    const dpo = await signInAs(fixture.app, (await buildUser(fixture.services, 'dpo', school.id)).email);
    const created = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/privacy/requests`,
      headers: { cookie: admin },
      payload: {
        kind: 'erasure',
        subjectType: 'pupil',
        subjectId: pupilId,
        identityStatus: 'verified',
        requester: { name: 'Zq', contact: 'zq@example.org', relationship: 'self' },
        receivedOn: new Date().toISOString().slice(0, 10),
      },
    });
    const { id } = created.json<{ id: string }>();
    for (const [path, cookie, payload] of [
      ['submit-erasure', admin, {}],
      ['approve-erasure', dpo, { reason: 'Asked for' }],
      ['execute-erasure', admin, {}],
    ] as const) {
      const response = await fixture.app.inject({
        method: 'POST',
        url: `/api/v1/schools/${school.id}/privacy/requests/${id}/${path}`,
        headers: { cookie },
        payload,
      });
      assert.equal(response.statusCode, 200, `${path}: ${response.body}`);
    }
    const ledger = (await erasureLedger(fixture.services)).filter((entry) => entry.schoolId === school.id);
    assert.deepEqual(ledger, [{ scope: 'subject', schoolId: school.id, subjectId: pupilId }]);

    await restore(school.id, pupilId, copy);
    const restored = await left(school.id, pupilId);
    assert.equal(restored.pupils, 1, 'the restore brought the pupil back');
    assert.equal(restored.subject_keys, 1);

    const outcome = await replayErasureLedger(fixture.services, ledger);
    assert.deepEqual(outcome, {
      subjects: 1,
      pupilsErasedAgain: 1,
      keysDestroyedAgain: 1,
      schools: 0,
      schoolRowsErasedAgain: 0,
    });
    assert.deepEqual(await left(school.id, pupilId), {
      pupils: 0,
      prior_attainment: 0,
      results: 0,
      subject_keys: 0,
      blind_indexes: 0,
      erasure_ledger: 1,
      subject_removals: 1,
    });
    // Replaying again changes nothing.
    assert.deepEqual(await replayErasureLedger(fixture.services, ledger), {
      subjects: 1,
      pupilsErasedAgain: 0,
      keysDestroyedAgain: 0,
      schools: 0,
      schoolRowsErasedAgain: 0,
    });
  });
});
