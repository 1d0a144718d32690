import type { Insertable, Transaction, Updateable } from 'kysely';
import type { DB } from '../../database.ts';
import { newPupilId } from '../../platform/crypto/pseudonyms.ts';
import type { SchoolVault } from '../../platform/crypto/vault.ts';
import { IDENTITY_COLUMNS, type IdentityColumn, type PupilKey, type PupilRecord } from './pupil-record.ts';
import * as pupils from './pupils.repository.ts';
import type { PupilChangesTable, PupilsTable } from './pupils.tables.ts';

/** Where a batch of writes comes from: the school's transaction and vault, the import, who ran it. */
export interface PupilWriteContext {
  trx: Transaction<DB>;
  vault: SchoolVault;
  schoolId: string;
  importId: string;
  changedBy: string;
  /** Pupils whose processing is restricted: their records are not updated (UK GDPR Art. 18). */
  frozen?: ReadonlySet<string>;
}

export interface PupilWriteCounts {
  created: string[];
  updated: string[];
  unchanged: number;
  /** Existing pupils left as they were because their processing is restricted. */
  frozen: number;
  priorAttainmentWritten: number;
}

const ATTRIBUTE_FIELDS = [
  'year_group',
  'sex',
  'ethnicity',
  'fsm',
  'fsm6',
  'disadvantaged',
  'pupil_premium',
  'sen',
  'eal',
  'gifted',
  'looked_after',
  'previously_looked_after',
  'service_child',
  'enrolment_status',
  'start_date',
  'leave_date',
] as const satisfies ReadonlyArray<keyof PupilRecord['attributes'] & keyof PupilsTable>;

/** The blind index a key is looked up in, and the value indexed. */
function keyIndex(key: PupilKey): { kind: 'upn' | 'pupil_name'; value: string } | undefined {
  if (key.upn !== undefined) {
    return { kind: 'upn', value: key.upn };
  }
  if (key.forename !== undefined && key.surname !== undefined) {
    return { kind: 'pupil_name', value: `${key.forename}|${key.surname}|${key.dob ?? ''}` };
  }
  return undefined;
}

// An import asks for the same key's string several times per row: worked out once per key object.
const keyStrings = new WeakMap<PupilKey, string>();

/** A key as one comparable string (for finding duplicates within a file). */
export function keyString(key: PupilKey): string {
  let text = keyStrings.get(key);
  if (text === undefined) {
    const index = keyIndex(key);
    text =
      index === undefined
        ? ''
        : `${index.kind}:${index.value.normalize('NFKC').replace(/\s+/g, '').toLowerCase()}`;
    keyStrings.set(key, text);
  }
  return text;
}

/** The existing pupils of the school for these keys: keyString → pupil id (one query per kind). */
export async function findPupilsByKeys(
  vault: SchoolVault,
  keys: readonly PupilKey[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const kind of ['upn', 'pupil_name'] as const) {
    const wanted = new Map<string, string>();
    for (const key of keys) {
      const index = keyIndex(key);
      if (index?.kind === kind) {
        wanted.set(index.value, keyString(key));
      }
    }
    if (wanted.size === 0) {
      continue;
    }
    const ids = await vault.lookupMany(kind, [...wanted.keys()]);
    for (const [value, id] of ids) {
      const name = wanted.get(value);
      if (name !== undefined) {
        found.set(name, id);
      }
    }
  }
  return found;
}

function birthParts(dob: string | null | undefined): {
  birth_year?: number | null;
  birth_month?: number | null;
} {
  if (dob === undefined) {
    return {};
  }
  return dob === null
    ? { birth_year: null, birth_month: null }
    : { birth_year: Number(dob.slice(0, 4)), birth_month: Number(dob.slice(5, 7)) };
}

function identifierKind(record: PupilRecord, pseudonymous: boolean): PupilsTable['identifier_kind'] {
  const upn = record.identity.upn;
  if (typeof upn !== 'string') {
    return 'name';
  }
  return pseudonymous ? 'pseudonymous' : /[A-Z]$/.test(upn) ? 'temporary_upn' : 'upn';
}

/** The blind indexes a pupil is found by: the UPN, and name with date of birth. */
function indexEntries(
  id: string,
  record: PupilRecord,
): Array<{ subjectId: string; kind: string; value: string }> {
  const { upn, forename, surname, dob } = record.identity;
  return [
    ...(typeof upn === 'string' ? [{ subjectId: id, kind: 'upn', value: upn }] : []),
    ...(typeof forename === 'string' && typeof surname === 'string'
      ? [
          {
            subjectId: id,
            kind: 'pupil_name',
            value: `${forename}|${surname}|${typeof dob === 'string' ? dob : ''}`,
          },
        ]
      : []),
  ];
}

async function indexPupil(vault: SchoolVault, id: string, record: PupilRecord): Promise<void> {
  for (const entry of indexEntries(id, record)) {
    // Two pupils may share a name and birthday: the first keeps that lookup (as for new pupils).
    await vault.index(entry.subjectId, entry.kind, entry.value, { shared: entry.kind === 'pupil_name' });
  }
}

function stringOf(value: string | number | boolean | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/**
 * Creates or updates a batch of pupils (no key twice in a batch). Only what differs is written, and each
 * difference is recorded in pupil_changes (identity fields: that they changed, never the values), so
 * re-importing the same file changes nothing.
 */
export async function writePupils(
  context: PupilWriteContext,
  records: readonly PupilRecord[],
  options: { pseudonymousUpn: boolean },
): Promise<PupilWriteCounts & { idsByRow: Map<number, string> }> {
  const { trx, vault, schoolId, importId, changedBy } = context;
  const existingIds = await findPupilsByKeys(
    vault,
    records.map((record) => record.key),
  );
  const existingRows = new Map(
    (await pupils.pupilsByIds(trx, schoolId, [...new Set(existingIds.values())])).map((row) => [row.id, row]),
  );
  const counts: PupilWriteCounts = {
    created: [],
    updated: [],
    unchanged: 0,
    frozen: 0,
    priorAttainmentWritten: 0,
  };
  const idsByRow = new Map<number, string>();
  const inserts: Insertable<PupilsTable>[] = [];
  const changes: Insertable<PupilChangesTable>[] = [];
  const now = new Date();

  // New pupils get their keys in one statement, and their blind indexes in another.
  const newIds = new Map<number, string>();
  for (const record of records) {
    const existingId = existingIds.get(keyString(record.key));
    if (existingId === undefined || !existingRows.has(existingId)) {
      newIds.set(record.row, newPupilId());
    }
  }
  await vault.prepareNewSubjects([...newIds.values()]);
  const newIndexes: Array<{ subjectId: string; kind: string; value: string }> = [];

  for (const record of records) {
    const existingId = existingIds.get(keyString(record.key));
    const existing = existingId === undefined ? undefined : existingRows.get(existingId);
    const plainIdentity = Object.fromEntries(
      Object.entries(record.identity).filter(
        (entry): entry is [IdentityColumn, string] => typeof entry[1] === 'string',
      ),
    );
    const newId = newIds.get(record.row);
    if (existing === undefined && newId !== undefined) {
      const id = newId;
      const sealed = await vault.encryptRecord(id, 'pupils', id, plainIdentity);
      inserts.push({
        school_id: schoolId,
        id,
        ...sealed,
        identifier_kind: identifierKind(record, options.pseudonymousUpn),
        ...record.attributes,
        ...birthParts(record.identity.dob),
        last_import_id: importId,
      });
      newIndexes.push(...indexEntries(id, record));
      counts.created.push(id);
      idsByRow.set(record.row, id);
      continue;
    }
    if (existing === undefined) {
      continue;
    }
    if (context.frozen?.has(existing.id) === true) {
      counts.frozen += 1;
      continue;
    }
    idsByRow.set(record.row, existing.id);
    const update: Updateable<PupilsTable> = {};
    const changedFields: Array<{ field: string; old: string | null; new: string | null }> = [];
    for (const field of ATTRIBUTE_FIELDS) {
      const value = record.attributes[field];
      const old = existing[field];
      if (value !== undefined && stringOf(old) !== stringOf(value)) {
        Object.assign(update, { [field]: value });
        changedFields.push({ field, old: stringOf(old), new: stringOf(value) });
      }
    }
    let identityChanged = false;
    for (const column of IDENTITY_COLUMNS) {
      const wanted = record.identity[column];
      if (wanted === undefined) {
        continue;
      }
      const sealed = existing[column];
      const current =
        sealed === null ? null : await vault.decrypt({ table: 'pupils', column, rowId: existing.id }, sealed);
      if (current === wanted) {
        continue;
      }
      identityChanged = true;
      Object.assign(update, {
        [column]:
          wanted === null
            ? null
            : await vault.encrypt(existing.id, { table: 'pupils', column, rowId: existing.id }, wanted),
      });
      if (column === 'dob') {
        Object.assign(update, birthParts(wanted));
      }
      // That an identifier changed is recorded; its values never are.
      changedFields.push({ field: column, old: null, new: null });
    }
    if (changedFields.length === 0) {
      counts.unchanged += 1;
      continue;
    }
    if (identityChanged) {
      if (record.identity.upn !== undefined) {
        Object.assign(update, { identifier_kind: identifierKind(record, options.pseudonymousUpn) });
      }
      await indexPupil(vault, existing.id, record);
    }
    await pupils.updatePupil(trx, schoolId, existing.id, { ...update, last_import_id: importId });
    for (const change of changedFields) {
      changes.push({
        school_id: schoolId,
        pupil_id: existing.id,
        field: change.field,
        old_value: change.old,
        new_value: change.new,
        import_id: importId,
        changed_by: changedBy,
        changed_at: now,
      });
    }
    counts.updated.push(existing.id);
  }
  await vault.indexNewSubjects(newIndexes);
  await pupils.insertPupils(trx, inserts);
  await pupils.insertChanges(trx, changes);
  counts.priorAttainmentWritten = await writePriorAttainment(context, records, idsByRow);
  await writeGroups(context, records, idsByRow);
  return { ...counts, idsByRow };
}

const PRIOR_FIELDS = [
  'ks2_reading_score',
  'ks2_reading_outcome',
  'ks2_maths_score',
  'ks2_maths_outcome',
  'ks2_reading_ta',
  'ks2_maths_ta',
] as const;

async function writePriorAttainment(
  { trx, schoolId, importId }: PupilWriteContext,
  records: readonly PupilRecord[],
  idsByRow: Map<number, string>,
): Promise<number> {
  // Rows without an id are pupils left as they were (restricted).
  const withPrior = records.filter(
    (record) => record.priorAttainment !== undefined && idsByRow.has(record.row),
  );
  const existing = new Map(
    (
      await pupils.priorAttainmentByPupils(
        trx,
        schoolId,
        withPrior.map((record) => idsByRow.get(record.row) ?? ''),
      )
    ).map((row) => [row.pupil_id, row]),
  );
  const rows = [];
  for (const record of withPrior) {
    const pupilId = idsByRow.get(record.row);
    if (pupilId === undefined) {
      continue;
    }
    const before = existing.get(pupilId);
    // A column the file does not have keeps its stored value.
    const given = record.priorAttainment ?? {};
    const merged = {
      ks2_reading_score:
        given.ks2_reading_score !== undefined ? given.ks2_reading_score : (before?.ks2_reading_score ?? null),
      ks2_reading_outcome:
        given.ks2_reading_outcome !== undefined
          ? given.ks2_reading_outcome
          : (before?.ks2_reading_outcome ?? null),
      ks2_maths_score:
        given.ks2_maths_score !== undefined ? given.ks2_maths_score : (before?.ks2_maths_score ?? null),
      ks2_maths_outcome:
        given.ks2_maths_outcome !== undefined ? given.ks2_maths_outcome : (before?.ks2_maths_outcome ?? null),
      ks2_reading_ta:
        given.ks2_reading_ta !== undefined ? given.ks2_reading_ta : (before?.ks2_reading_ta ?? null),
      ks2_maths_ta: given.ks2_maths_ta !== undefined ? given.ks2_maths_ta : (before?.ks2_maths_ta ?? null),
    };
    if (
      before !== undefined &&
      PRIOR_FIELDS.every((field) => stringOf(before[field]) === stringOf(merged[field]))
    ) {
      continue;
    }
    rows.push({ school_id: schoolId, pupil_id: pupilId, ...merged, import_id: importId });
  }
  await pupils.upsertPriorAttainment(trx, rows);
  return rows.length;
}

async function writeGroups(
  { trx, schoolId }: PupilWriteContext,
  records: readonly PupilRecord[],
  idsByRow: Map<number, string>,
): Promise<void> {
  const names = [...new Set(records.flatMap((record) => record.groups ?? []))];
  const groupIds = await pupils.ensureGroups(trx, schoolId, names);
  const members = records.flatMap((record) =>
    (idsByRow.has(record.row) ? (record.groups ?? []) : []).map((name) => ({
      school_id: schoolId,
      group_id: groupIds.get(name) ?? '',
      pupil_id: idsByRow.get(record.row) ?? '',
    })),
  );
  await pupils.addGroupMembers(trx, members);
}
