import type { Selectable, Transaction } from 'kysely';
import type { KeyPurpose, KeyState, KeyTables, SchoolKeysTable, SubjectKeysTable } from './keys.tables.ts';

// The only file of the crypto layer that touches Kysely. Every method takes the transaction and the school.
type Trx = Transaction<KeyTables>;
export type SchoolKeyRow = Selectable<SchoolKeysTable>;
export type SubjectKeyRow = Selectable<SubjectKeysTable>;

export async function schoolKeys(trx: Trx, schoolId: string, purpose: KeyPurpose): Promise<SchoolKeyRow[]> {
  return trx
    .selectFrom('school_keys')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('purpose', '=', purpose)
    .orderBy('version', 'desc')
    .execute();
}

export async function insertSchoolKey(
  trx: Trx,
  schoolId: string,
  key: { purpose: KeyPurpose; version: number; state: KeyState; kekId: string; wrapped: Buffer },
): Promise<SchoolKeyRow> {
  return trx
    .insertInto('school_keys')
    .values({
      school_id: schoolId,
      purpose: key.purpose,
      version: key.version,
      state: key.state,
      kek_id: key.kekId,
      wrapped: key.wrapped,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function setSchoolKeyState(
  trx: Trx,
  schoolId: string,
  id: string,
  state: KeyState,
): Promise<void> {
  await trx
    .updateTable('school_keys')
    .set({ state })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute();
}

export async function rewrapSchoolKey(
  trx: Trx,
  schoolId: string,
  id: string,
  kekId: string,
  wrapped: Buffer,
): Promise<void> {
  await trx
    .updateTable('school_keys')
    .set({ kek_id: kekId, wrapped })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute();
}

export async function deleteSchoolKey(trx: Trx, schoolId: string, id: string): Promise<void> {
  await trx.deleteFrom('school_keys').where('school_id', '=', schoolId).where('id', '=', id).execute();
}

export async function deleteAllSchoolKeys(trx: Trx, schoolId: string): Promise<void> {
  await trx.deleteFrom('blind_indexes').where('school_id', '=', schoolId).execute();
  await trx.deleteFrom('subject_keys').where('school_id', '=', schoolId).execute();
  await trx.deleteFrom('school_keys').where('school_id', '=', schoolId).execute();
}

export async function subjectKeyBySubject(
  trx: Trx,
  schoolId: string,
  subjectId: string,
): Promise<SubjectKeyRow | undefined> {
  return trx
    .selectFrom('subject_keys')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('subject_id', '=', subjectId)
    .executeTakeFirst();
}

export async function subjectKeyById(
  trx: Trx,
  schoolId: string,
  id: string,
): Promise<SubjectKeyRow | undefined> {
  return trx
    .selectFrom('subject_keys')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** The keys of many subjects in one query (before decrypting a list of them). */
export async function subjectKeysBySubjects(
  trx: Trx,
  schoolId: string,
  subjectIds: readonly string[],
): Promise<SubjectKeyRow[]> {
  if (subjectIds.length === 0) {
    return [];
  }
  return trx
    .selectFrom('subject_keys')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('subject_id', 'in', subjectIds)
    .execute();
}

/** Inserts a subject key unless one exists (a concurrent writer may have made it); returns the stored one. */
export async function insertSubjectKey(
  trx: Trx,
  schoolId: string,
  key: { subjectId: string; dekVersion: number; wrapped: Buffer },
): Promise<SubjectKeyRow> {
  await trx
    .insertInto('subject_keys')
    .values({
      school_id: schoolId,
      subject_id: key.subjectId,
      dek_version: key.dekVersion,
      wrapped: key.wrapped,
    })
    .onConflict((conflict) => conflict.columns(['school_id', 'subject_id']).doNothing())
    .execute();
  const row = await subjectKeyBySubject(trx, schoolId, key.subjectId);
  if (row === undefined) {
    throw new Error('subject key vanished after insert');
  }
  return row;
}

/** Many new subjects' keys in one statement (imports); returns the rows made. */
export async function insertSubjectKeys(
  trx: Trx,
  schoolId: string,
  keys: Array<{ subjectId: string; dekVersion: number; wrapped: Buffer }>,
): Promise<SubjectKeyRow[]> {
  if (keys.length === 0) {
    return [];
  }
  return trx
    .insertInto('subject_keys')
    .values(
      keys.map((key) => ({
        school_id: schoolId,
        subject_id: key.subjectId,
        dek_version: key.dekVersion,
        wrapped: key.wrapped,
      })),
    )
    .returningAll()
    .execute();
}

/** Subject keys still wrapped by an older data key, locked for re-wrapping (other rotators skip them). */
export async function subjectKeysBelowVersion(
  trx: Trx,
  schoolId: string,
  version: number,
  limit: number,
): Promise<SubjectKeyRow[]> {
  return trx
    .selectFrom('subject_keys')
    .selectAll()
    .where('school_id', '=', schoolId)
    .where('dek_version', '<', version)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export async function countSubjectKeysByVersion(trx: Trx, schoolId: string): Promise<Map<number, number>> {
  const rows = await trx
    .selectFrom('subject_keys')
    .select(['dek_version', (eb) => eb.fn.countAll<string>().as('count')])
    .where('school_id', '=', schoolId)
    .groupBy('dek_version')
    .execute();
  return new Map(rows.map((row) => [row.dek_version, Number(row.count)]));
}

export async function rewrapSubjectKey(
  trx: Trx,
  schoolId: string,
  id: string,
  dekVersion: number,
  wrapped: Buffer,
): Promise<void> {
  await trx
    .updateTable('subject_keys')
    .set({ dek_version: dekVersion, wrapped })
    .where('school_id', '=', schoolId)
    .where('id', '=', id)
    .execute();
}

/** Deletes a subject's key and blind indexes; returns the key id that was deleted, if any. */
export async function deleteSubjectKey(
  trx: Trx,
  schoolId: string,
  subjectId: string,
): Promise<string | undefined> {
  await trx
    .deleteFrom('blind_indexes')
    .where('school_id', '=', schoolId)
    .where('subject_id', '=', subjectId)
    .execute();
  const deleted = await trx
    .deleteFrom('subject_keys')
    .where('school_id', '=', schoolId)
    .where('subject_id', '=', subjectId)
    .returning('id')
    .executeTakeFirst();
  return deleted?.id;
}

/** Many subjects' keys and blind indexes at once (a retention sweep); returns the keys deleted. */
export async function deleteSubjectKeys(
  trx: Trx,
  schoolId: string,
  subjectIds: readonly string[],
): Promise<{ subjectId: string; keyId: string }[]> {
  if (subjectIds.length === 0) {
    return [];
  }
  await trx
    .deleteFrom('blind_indexes')
    .where('school_id', '=', schoolId)
    .where('subject_id', 'in', subjectIds)
    .execute();
  const deleted = await trx
    .deleteFrom('subject_keys')
    .where('school_id', '=', schoolId)
    .where('subject_id', 'in', subjectIds)
    .returning(['id', 'subject_id'])
    .execute();
  return deleted.map((row) => ({ subjectId: row.subject_id, keyId: row.id }));
}

export async function recordErasures(
  trx: Trx,
  schoolId: string,
  subjectIds: readonly string[],
): Promise<void> {
  if (subjectIds.length === 0) {
    return;
  }
  await trx
    .insertInto('erasure_ledger')
    .values(
      subjectIds.map((subjectId) => ({
        school_id: schoolId,
        subject_id: subjectId,
        scope: 'subject' as const,
      })),
    )
    .execute();
}

export async function schoolErased(trx: Trx, schoolId: string): Promise<boolean> {
  const row = await trx
    .selectFrom('erasure_ledger')
    .select('id')
    .where('school_id', '=', schoolId)
    .where('scope', '=', 'school')
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordErasure(trx: Trx, schoolId: string, subjectId: string | null): Promise<void> {
  await trx
    .insertInto('erasure_ledger')
    .values({ school_id: schoolId, subject_id: subjectId, scope: subjectId === null ? 'school' : 'subject' })
    .execute();
}

export async function upsertBlindIndex(
  trx: Trx,
  schoolId: string,
  entry: { kind: string; digest: Buffer; subjectId: string; indexVersion: number },
  shared = false,
): Promise<void> {
  // A subject keeps one value per kind: replacing its UPN removes the old digest first.
  await trx
    .deleteFrom('blind_indexes')
    .where('school_id', '=', schoolId)
    .where('kind', '=', entry.kind)
    .where('subject_id', '=', entry.subjectId)
    .execute();
  await trx
    .insertInto('blind_indexes')
    .values({
      school_id: schoolId,
      kind: entry.kind,
      digest: entry.digest,
      subject_id: entry.subjectId,
      index_version: entry.indexVersion,
    })
    .$call((insert) =>
      shared
        ? insert.onConflict((conflict) => conflict.columns(['school_id', 'kind', 'digest']).doNothing())
        : insert,
    )
    .execute();
}

/**
 * Blind indexes of subjects that have none of these kinds yet (new pupils), in one statement. A digest
 * another subject already holds stays with it (two pupils with the same name and birthday).
 */
export async function insertBlindIndexes(
  trx: Trx,
  schoolId: string,
  entries: Array<{ kind: string; digest: Buffer; subjectId: string; indexVersion: number }>,
): Promise<void> {
  if (entries.length === 0) {
    return;
  }
  await trx
    .insertInto('blind_indexes')
    .values(
      entries.map((entry) => ({
        school_id: schoolId,
        kind: entry.kind,
        digest: entry.digest,
        subject_id: entry.subjectId,
        index_version: entry.indexVersion,
      })),
    )
    .onConflict((conflict) => conflict.columns(['school_id', 'kind', 'digest']).doNothing())
    .execute();
}

export async function findByDigest(
  trx: Trx,
  schoolId: string,
  kind: string,
  digest: Buffer,
): Promise<string | undefined> {
  const row = await trx
    .selectFrom('blind_indexes')
    .select('subject_id')
    .where('school_id', '=', schoolId)
    .where('kind', '=', kind)
    .where('digest', '=', digest)
    .executeTakeFirst();
  return row?.subject_id;
}

/** The subjects of many digests of one kind at once (for imports), as digest (hex) → subject id. */
export async function findManyByDigest(
  trx: Trx,
  schoolId: string,
  kind: string,
  digests: Buffer[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (digests.length === 0) {
    return found;
  }
  const rows = await trx
    .selectFrom('blind_indexes')
    .select(['digest', 'subject_id'])
    .where('school_id', '=', schoolId)
    .where('kind', '=', kind)
    .where('digest', 'in', digests)
    .execute();
  for (const row of rows) {
    found.set(row.digest.toString('hex'), row.subject_id);
  }
  return found;
}

/** Every master key id that still wraps a school key (all schools: platform context). */
export async function kekIdsInUse(trx: Trx): Promise<Set<string>> {
  const rows = await trx.selectFrom('school_keys').select('kek_id').distinct().execute();
  return new Set(rows.map((row) => row.kek_id));
}

export async function schoolKeysNotWrappedBy(
  trx: Trx,
  kekId: string,
  limit: number,
): Promise<SchoolKeyRow[]> {
  return trx
    .selectFrom('school_keys')
    .selectAll()
    .where('kek_id', '<>', kekId)
    .orderBy('id')
    .limit(limit)
    .forUpdate()
    .execute();
}

/** Every school key's metadata (no key material), all schools: platform context. */
export async function allSchoolKeyVersions(
  trx: Trx,
): Promise<Array<Pick<SchoolKeyRow, 'school_id' | 'purpose' | 'version' | 'state' | 'kek_id'>>> {
  return trx
    .selectFrom('school_keys')
    .select(['school_id', 'purpose', 'version', 'state', 'kek_id'])
    .orderBy('school_id')
    .orderBy('purpose')
    .orderBy('version')
    .execute();
}

/** How many subject keys each data key version wraps, per school: platform context. */
export async function subjectKeyCounts(
  trx: Trx,
): Promise<Array<{ school_id: string; dek_version: number; count: number }>> {
  const rows = await trx
    .selectFrom('subject_keys')
    .select(['school_id', 'dek_version', (eb) => eb.fn.countAll<string>().as('count')])
    .groupBy(['school_id', 'dek_version'])
    .execute();
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}

export async function erasedSubjects(trx: Trx, schoolId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('erasure_ledger')
    .select('subject_id')
    .distinct()
    .where('school_id', '=', schoolId)
    .where('scope', '=', 'subject')
    .execute();
  return rows.flatMap((row) => (row.subject_id === null ? [] : [row.subject_id]));
}

export async function schoolsWithErasures(trx: Trx): Promise<string[]> {
  const rows = await trx
    .selectFrom('erasure_ledger')
    .select('school_id')
    .distinct()
    .where('scope', '=', 'subject')
    .execute();
  return rows.map((row) => row.school_id);
}
