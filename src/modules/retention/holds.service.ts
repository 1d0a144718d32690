import { randomUUID } from 'node:crypto';
import { recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import { todayInEngland, type CalendarDate } from '../../platform/calendar/working-days.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { badRequest, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { pupilExists } from '../pupils/pupil-search.service.ts';
import * as holds from './holds.repository.ts';

// Legal holds: a school (or the operator, for the whole school) pauses deletion while a claim, an
// investigation or a request needs the data kept. A hold names its reason, may expire on a day, and is
// released by hand; expired and released holds stay listed as a record. Reasons are ciphertext under the
// hold's own key: they may say why a child's record matters.

const REASON = { table: 'legal_holds', column: 'reason' } as const;

export interface HoldView {
  id: string;
  scope: 'pupil' | 'school';
  pupilId: string | null;
  reason: string;
  placedBy: string;
  placedAt: string;
  expiresOn: CalendarDate | null;
  releasedAt: string | null;
  releasedBy: string | null;
  live: boolean;
}

export interface NewHold {
  pupilId?: string | undefined;
  reason: string;
  expiresOn?: CalendarDate | undefined;
}

export async function placeHold(
  services: Services,
  schoolId: string,
  hold: NewHold,
  by: Actor,
  requestId?: string,
): Promise<{ id: string }> {
  const today = todayInEngland();
  if (hold.expiresOn !== undefined && hold.expiresOn < today) {
    throw badRequest('The hold would have expired already: choose a later day.', [
      { field: 'body.expiresOn', message: 'must be today or later' },
    ]);
  }
  return services.db.withSchool(schoolId, async (trx) => {
    if (hold.pupilId !== undefined && !(await pupilExists(trx, schoolId, hold.pupilId))) {
      throw notFound('That pupil');
    }
    const id = randomUUID();
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    await holds.insertHold(trx, schoolId, {
      id,
      pupilId: hold.pupilId ?? null,
      reason: await vault.encrypt(id, { ...REASON, rowId: id }, hold.reason),
      placedBy: by.id,
      expiresOn: hold.expiresOn ?? null,
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'retention.hold_placed',
      target: `legal_hold:${id}`,
      subjectIds: hold.pupilId === undefined ? [] : [hold.pupilId],
      requestId,
      details: {
        scope: hold.pupilId === undefined ? 'school' : 'pupil',
        expiresOn: hold.expiresOn ?? 'none',
      },
    });
    return { id };
  });
}

export async function releaseHold(
  services: Services,
  schoolId: string,
  holdId: string,
  by: Actor,
  requestId?: string,
): Promise<void> {
  await services.db.withSchool(schoolId, async (trx) => {
    if (!(await holds.releaseHold(trx, schoolId, holdId, by.id))) {
      throw notFound('That legal hold');
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: 'retention.hold_released',
      target: `legal_hold:${holdId}`,
      requestId,
    });
  });
}

/** Every hold of the school, newest first, with its reason (the reader is audited). */
export async function listHolds(
  services: Services,
  schoolId: string,
  by: Actor,
  requestId?: string,
): Promise<HoldView[]> {
  const today = todayInEngland();
  return services.db.withSchool(schoolId, async (trx) => {
    const vault = new SchoolVault(services.keyring, trx, schoolId);
    const rows = await holds.holdsOf(trx, schoolId);
    await recordAudit(trx, { orgId: schoolId, actor: by, action: 'retention.holds_read', requestId });
    return Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        scope: row.pupil_id === null ? ('school' as const) : ('pupil' as const),
        pupilId: row.pupil_id,
        reason: await vault.decrypt({ ...REASON, rowId: row.id }, row.reason),
        placedBy: row.placed_by,
        placedAt: row.placed_at.toISOString(),
        expiresOn: row.expires_on,
        releasedAt: row.released_at?.toISOString() ?? null,
        releasedBy: row.released_by,
        live: row.released_at === null && (row.expires_on === null || row.expires_on >= today),
      })),
    );
  });
}
