import type { Transaction, Updateable } from 'kysely';
import type { DB } from '../../database.ts';
import { isCalendarDate } from '../../platform/calendar/working-days.ts';
import type { SchoolVault } from '../../platform/crypto/vault.ts';
import { badRequest, notFound } from '../../platform/http/errors.ts';
import { ETHNICITY_LABELS } from './codes.ts';
import * as pupils from './pupils.repository.ts';
import type { PupilsTable } from './pupils.tables.ts';

// Rectification: correcting a pupil's record at their (or their family's) request. Each change is kept
// in the pupil's history (identity fields record only that they changed, never a value), and the
// record's updated time moves, so apps syncing with If-Modified-Since receive the corrected record.

export const RECTIFIABLE_IDENTITY = [
  'forename',
  'surname',
  'preferred_forename',
  'preferred_surname',
  'dob',
  'address',
] as const;
export const RECTIFIABLE_ATTRIBUTES = ['year_group', 'sex', 'ethnicity', 'fsm', 'sen', 'eal'] as const;
export type RectifiableField =
  (typeof RECTIFIABLE_IDENTITY)[number] | (typeof RECTIFIABLE_ATTRIBUTES)[number];

export interface Correction {
  field: RectifiableField;
  /** The corrected value as text ('true'/'false' for yes-no fields), or null to clear it. */
  value: string | null;
}

const isIdentity = (field: string): field is (typeof RECTIFIABLE_IDENTITY)[number] =>
  (RECTIFIABLE_IDENTITY as readonly string[]).includes(field);

function invalid(index: number, message: string): never {
  throw badRequest('A correction is not valid.', [{ field: `body.changes[${index}].value`, message }]);
}

type AttributeValue = string | number | boolean | null;

function attributeValue(
  correction: { field: (typeof RECTIFIABLE_ATTRIBUTES)[number]; value: string | null },
  index: number,
): AttributeValue {
  const { field, value } = correction;
  if (value === null) {
    return null;
  }
  switch (field) {
    case 'year_group': {
      const year = Number(value);
      return Number.isInteger(year) && year >= -2 && year <= 14
        ? year
        : invalid(index, 'must be a year group from -2 to 14');
    }
    case 'sex':
      return value === 'M' || value === 'F' ? value : invalid(index, 'must be M or F');
    case 'ethnicity':
      return value in ETHNICITY_LABELS ? value : invalid(index, 'must be a DfE ethnicity code, e.g. WBRI');
    case 'sen':
      return value === 'N' || value === 'K' || value === 'E' ? value : invalid(index, 'must be N, K or E');
    case 'fsm':
    case 'eal':
      return value === 'true' ? true : value === 'false' ? false : invalid(index, 'must be true or false');
  }
  return invalid(index, 'cannot be corrected here');
}

/** Applies corrections to one pupil; returns the fields changed. */
export async function rectifyPupil(
  trx: Transaction<DB>,
  vault: SchoolVault,
  schoolId: string,
  pupilId: string,
  corrections: readonly Correction[],
  changedBy: string,
): Promise<string[]> {
  const row = await pupils.pupilById(trx, schoolId, pupilId);
  if (row === undefined) {
    throw notFound('That pupil');
  }
  const update: Updateable<PupilsTable> = {};
  const history: Array<{ field: string; old_value: string | null; new_value: string | null }> = [];
  const identity: Record<string, string> = {};
  corrections.forEach((correction, index) => {
    if (isIdentity(correction.field)) {
      const value = correction.value?.trim() ?? null;
      if (correction.field === 'dob' && value !== null && !isCalendarDate(value)) {
        invalid(index, 'must be a date, yyyy-mm-dd');
      }
      if (value === null || value === '') {
        Object.assign(update, { [correction.field]: null });
      } else {
        identity[correction.field] = value;
      }
      if (correction.field === 'dob') {
        update.birth_year = value === null ? null : Number(value.slice(0, 4));
        update.birth_month = value === null ? null : Number(value.slice(5, 7));
      }
      history.push({ field: correction.field, old_value: null, new_value: null });
      return;
    }
    const value = attributeValue({ field: correction.field, value: correction.value }, index);
    const before = row[correction.field];
    Object.assign(update, { [correction.field]: value });
    history.push({
      field: correction.field,
      old_value: before === null ? null : String(before),
      new_value: value === null ? null : String(value),
    });
  });
  Object.assign(update, await vault.encryptRecord(pupilId, 'pupils', pupilId, identity));
  await pupils.updatePupil(trx, schoolId, pupilId, update);
  await pupils.insertChanges(
    trx,
    history.map((change) => ({ school_id: schoolId, pupil_id: pupilId, changed_by: changedBy, ...change })),
  );
  return history.map((change) => change.field);
}

/**
 * Marks a pupil's record as changed now without changing it: after a restriction is lifted, apps
 * syncing with If-Modified-Since receive the pupil again.
 */
export async function touchPupil(trx: Transaction<DB>, schoolId: string, pupilId: string): Promise<void> {
  await pupils.updatePupil(trx, schoolId, pupilId, {});
}
