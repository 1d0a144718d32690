// The key hierarchy on the real database (PGlite, and PostgreSQL with HAVEN_TEST_DATABASE_URL).
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { buildSchool } from '../../../test/support/factories.ts';
import { createTestServices, type TestServices } from '../../../test/support/services.ts';
import type { Services } from '../../services.ts';
import { DecryptionError } from './field-cipher.ts';
import { LocalKeyProvider } from './key-provider.ts';
import { KeyIntegrityError, Keyring } from './keyring.ts';
import { masterKeysInUse, rewrapUnderCurrentMasterKey, rotateDataKey } from './rotation.ts';
import { SchoolVault, type FieldLocation } from './vault.ts';

let services: TestServices;
before(async () => {
  services = await createTestServices();
});
after(() => services.close());

const where = (rowId: string): FieldLocation => ({ table: 'pupil_identities', column: 'surname', rowId });

/** Encrypts one value per subject in one transaction; returns what a table would hold. */
async function storeValues(svc: Services, schoolId: string, count: number, upnPrefix = 'UPN') {
  return svc.db.withSchool(schoolId, async (trx) => {
    const vault = new SchoolVault(svc.keyring, trx, schoolId);
    const rows = [];
    for (let index = 0; index < count; index += 1) {
      const subjectId = randomUUID();
      const value = `Surname-${index}`;
      rows.push({ subjectId, value, sealed: await vault.encrypt(subjectId, where(subjectId), value) });
      await vault.index(subjectId, 'upn', `${upnPrefix}${index}`);
    }
    return rows;
  });
}

async function readValue(
  svc: Services,
  schoolId: string,
  subjectId: string,
  sealed: Buffer,
): Promise<string> {
  return svc.db.withSchool(schoolId, (trx) =>
    new SchoolVault(svc.keyring, trx, schoolId).decrypt(where(subjectId), sealed),
  );
}

/** The same database and master key, with a cold cache: proves reads go to the stored keys. */
const coldKeyring = (svc: Services, provider = svc.keyring.provider): Services => ({
  ...svc,
  keyring: new Keyring(provider),
});

describe('vault', () => {
  test('encrypts under the subject key and reads back, also with a cold cache', async () => {
    const school = await buildSchool(services);
    const [row] = await storeValues(services, school.id, 1);
    assert.ok(row);
    assert.equal(await readValue(services, school.id, row.subjectId, row.sealed), row.value);
    assert.equal(await readValue(coldKeyring(services), school.id, row.subjectId, row.sealed), row.value);
  });

  test('one key per subject, reused for every field', async () => {
    const school = await buildSchool(services);
    const subjectId = randomUUID();
    const ids = await services.db.withSchool(school.id, async (trx) => {
      const first = await services.keyring.subjectKeyFor(trx, school.id, subjectId);
      const second = await services.keyring.subjectKeyFor(trx, school.id, subjectId);
      return [first.id, second.id];
    });
    assert.equal(ids[0], ids[1]);
  });

  test('blind index lookups find the subject by a normalised identifier', async () => {
    const school = await buildSchool(services);
    const [row] = await storeValues(services, school.id, 1);
    const found = await services.db.withSchool(school.id, (trx) =>
      new SchoolVault(services.keyring, trx, school.id).lookup('upn', ' upn0 '),
    );
    assert.equal(found, row?.subjectId);
  });

  test("another school cannot decrypt a school's ciphertext, nor find it by blind index", async () => {
    const owner = await buildSchool(services);
    const other = await buildSchool(services);
    const [row] = await storeValues(services, owner.id, 1);
    assert.ok(row);
    await assert.rejects(readValue(services, other.id, row.subjectId, row.sealed), DecryptionError);
    const found = await services.db.withSchool(other.id, (trx) =>
      new SchoolVault(services.keyring, trx, other.id).lookup('upn', 'UPN0'),
    );
    assert.equal(found, undefined);
  });

  test('a wrapped subject key moved to another subject fails to unwrap', async () => {
    const school = await buildSchool(services);
    const [first, second] = await storeValues(services, school.id, 2);
    assert.ok(first && second);
    await services.db.withPlatform('test.swap_wrapped_keys', async (trx) => {
      const source = await trx
        .selectFrom('subject_keys')
        .select('wrapped')
        .where('subject_id', '=', first.subjectId)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('subject_keys')
        .set({ wrapped: source.wrapped })
        .where('subject_id', '=', second.subjectId)
        .execute();
    });
    await assert.rejects(
      readValue(coldKeyring(services), school.id, second.subjectId, second.sealed),
      KeyIntegrityError,
    );
  });
});

describe('vault records', () => {
  test('a whole identity record round-trips field by field, each field bound to its column', async () => {
    const school = await buildSchool(services);
    const subjectId = randomUUID();
    const identity = { forename: 'Testforename', surname: 'Testsurname', upn: 'H801200001001' };
    const sealed = await services.db.withSchool(school.id, (trx) =>
      new SchoolVault(services.keyring, trx, school.id).encryptRecord(
        subjectId,
        'pupil_identities',
        subjectId,
        identity,
      ),
    );
    const opened = await services.db.withSchool(school.id, (trx) =>
      new SchoolVault(coldKeyring(services).keyring, trx, school.id).decryptRecord(
        'pupil_identities',
        subjectId,
        sealed,
      ),
    );
    assert.deepEqual(opened, identity);
    const swapped = {
      forename: sealed.surname ?? Buffer.alloc(0),
      surname: sealed.forename ?? Buffer.alloc(0),
    };
    await assert.rejects(
      services.db.withSchool(school.id, (trx) =>
        new SchoolVault(services.keyring, trx, school.id).decryptRecord(
          'pupil_identities',
          subjectId,
          swapped,
        ),
      ),
      DecryptionError,
    );
  });
});

describe('crypto-shredding', () => {
  test("destroying a subject key makes that subject's values unreadable, removes the blind index and records the erasure", async () => {
    const school = await buildSchool(services);
    const [erased, kept] = await storeValues(services, school.id, 2);
    assert.ok(erased && kept);
    const destroyed = await services.db.withSchool(school.id, (trx) =>
      new SchoolVault(services.keyring, trx, school.id).shred(erased.subjectId),
    );
    assert.equal(destroyed, true);

    // The warm cache of this process was purged, and no other copy of the key remains.
    await assert.rejects(
      readValue(services, school.id, erased.subjectId, erased.sealed),
      (error: unknown) => error instanceof DecryptionError && error.reason === 'unknown_key',
    );
    await assert.rejects(
      readValue(coldKeyring(services), school.id, erased.subjectId, erased.sealed),
      DecryptionError,
    );
    const found = await services.db.withSchool(school.id, (trx) =>
      new SchoolVault(services.keyring, trx, school.id).lookup('upn', 'UPN0'),
    );
    assert.equal(found, undefined);
    assert.equal(await readValue(services, school.id, kept.subjectId, kept.sealed), kept.value);

    const ledger = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('erasure_ledger').selectAll().execute(),
    );
    assert.deepEqual(
      ledger.map((entry) => [entry.subject_id, entry.scope]),
      [[erased.subjectId, 'subject']],
    );
  });

  test('the erasure ledger is append-only for the application', async () => {
    const school = await buildSchool(services);
    await assert.rejects(
      services.db.withSchool(school.id, (trx) => trx.deleteFrom('erasure_ledger').execute()),
    );
  });

  test("destroying a school's keys shreds all of its values and no other school's", async () => {
    const leaving = await buildSchool(services);
    const staying = await buildSchool(services);
    const [gone] = await storeValues(services, leaving.id, 1);
    const [kept] = await storeValues(services, staying.id, 1);
    assert.ok(gone && kept);
    await services.db.withPlatform('test.offboard', (trx) =>
      services.keyring.destroySchoolKeys(trx, leaving.id),
    );
    await assert.rejects(readValue(services, leaving.id, gone.subjectId, gone.sealed), DecryptionError);
    assert.equal(await readValue(coldKeyring(services), staying.id, kept.subjectId, kept.sealed), kept.value);
  });
});

describe('rotation', () => {
  test('a data key rotation interrupted half-way leaves every value readable, and a rerun completes it', async () => {
    const school = await buildSchool(services);
    const rows = await storeValues(services, school.id, 25);

    const partial = await rotateDataKey(services.db, services.keyring, school.id, {
      batchSize: 10,
      maxBatches: 1,
    });
    assert.deepEqual(partial, { version: 2, rewrapped: 10, complete: false });
    const cold = coldKeyring(services);
    for (const row of rows) {
      assert.equal(await readValue(cold, school.id, row.subjectId, row.sealed), row.value);
    }
    // A value written mid-rotation uses the new version at once.
    const [late] = await storeValues(services, school.id, 1, 'LATE');
    assert.ok(late);

    const progress: number[] = [];
    const resumed = await rotateDataKey(services.db, services.keyring, school.id, {
      batchSize: 10,
      onProgress: (done) => progress.push(done),
    });
    assert.deepEqual(resumed, { version: 2, rewrapped: 15, complete: true });
    assert.deepEqual(progress, [0, 10, 15]);

    const keys = await services.db.withSchool(school.id, (trx) =>
      trx
        .selectFrom('school_keys')
        .select(['purpose', 'version', 'state'])
        .where('purpose', '=', 'data')
        .execute(),
    );
    assert.deepEqual(keys, [{ purpose: 'data', version: 2, state: 'active' }]);
    const versions = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('subject_keys').select('dek_version').distinct().execute(),
    );
    assert.deepEqual(versions, [{ dek_version: 2 }]);
    const colder = coldKeyring(services);
    for (const row of [...rows, late]) {
      assert.equal(await readValue(colder, school.id, row.subjectId, row.sealed), row.value);
    }
  });

  test('a second rotation adds version 3', async () => {
    const school = await buildSchool(services);
    await storeValues(services, school.id, 3);
    await rotateDataKey(services.db, services.keyring, school.id);
    const result = await rotateDataKey(services.db, services.keyring, school.id);
    assert.deepEqual(result, { version: 3, rewrapped: 3, complete: true });
  });

  test('master key rotation re-wraps school keys only; the old master key is then unnecessary', async () => {
    const oldKek = randomBytes(32);
    const original: Services = { ...services, keyring: new Keyring(new LocalKeyProvider(oldKek)) };
    const school = await buildSchool(original);
    const [row] = await storeValues(original, school.id, 1);
    assert.ok(row);
    const subjectKeyBefore = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('subject_keys').select('wrapped').executeTakeFirstOrThrow(),
    );

    const newKek = randomBytes(32);
    const during = new Keyring(new LocalKeyProvider(newKek, [oldKek, services.masterKey]));
    const rewrapped = await rewrapUnderCurrentMasterKey(services.db, during);
    assert.ok(rewrapped >= 2, 'data and index keys of this school at least');

    const onlyNew: Services = { ...services, keyring: new Keyring(new LocalKeyProvider(newKek)) };
    assert.equal(await readValue(onlyNew, school.id, row.subjectId, row.sealed), row.value);
    const subjectKeyAfter = await services.db.withSchool(school.id, (trx) =>
      trx.selectFrom('subject_keys').select('wrapped').executeTakeFirstOrThrow(),
    );
    assert.deepEqual(subjectKeyAfter.wrapped, subjectKeyBefore.wrapped, 'subject keys were not rewritten');
    assert.ok(!(await masterKeysInUse(services.db)).has(new LocalKeyProvider(oldKek).currentKekId));

    // Put every school of this file back under the fixture's master key for any test that follows.
    await rewrapUnderCurrentMasterKey(
      services.db,
      new Keyring(new LocalKeyProvider(services.masterKey, [newKek])),
    );
    assert.deepEqual([...(await masterKeysInUse(services.db))], [services.keyring.provider.currentKekId]);
  });
});
