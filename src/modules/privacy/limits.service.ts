import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { touchPupil } from '../pupils/pupil-rectification.service.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { SignedIn } from '../organisations/identity.ts';
import * as erasure from './erasure.repository.ts';
import * as requests from './requests.repository.ts';
import { stepRequest, type RequestWork, type StepOutcome } from './requests.service.ts';
import type { LimitKind, LimitPurpose, RequestKind } from './requests.tables.ts';

// Restriction of processing, objection and withdrawal of consent (UK GDPR Arts. 18, 21, 7(3)): the
// pupil's data stays stored, but its use stops. A restriction stops every use: analysis and its
// exports leave the pupil out, apps no longer receive them, and imports do not update them. An
// objection or a withdrawal of consent stops the use it names (analysis, or sharing with apps).

function limitKindOf(kind: RequestKind): LimitKind | undefined {
  if (kind === 'withdraw_consent') {
    return 'consent_withdrawn';
  }
  return kind === 'restriction' || kind === 'objection' ? kind : undefined;
}

/** Records the limit a restriction, objection or consent withdrawal asks for, and closes the request. */
export function applyLimit(
  work: RequestWork,
  purpose: LimitPurpose,
  note: string | undefined,
): Promise<StepOutcome> {
  return stepRequest(work, 'apply_limit', async (trx, row) => {
    const kind = limitKindOf(row.kind);
    if (row.subject_id === null || kind === undefined) {
      throw notFound('The pupil of this request');
    }
    const effective: LimitPurpose = kind === 'restriction' ? 'all' : purpose;
    await requests.insertLimit(trx, {
      school_id: work.schoolId,
      pupil_id: row.subject_id,
      kind,
      purpose: effective,
      request_id: row.id,
      created_by: work.who.userId,
    });
    if (effective !== 'analysis') {
      // Apps that hold a copy hear of it through the deletions feed.
      await erasure.recordRemoval(trx, work.schoolId, row.subject_id, 'restricted');
    }
    return {
      status: 'completed',
      changes: { outcome: `${kind}:${effective}` },
      note,
      details: { limit: kind, purpose: effective },
    };
  });
}

export interface LimitView {
  kind: LimitKind;
  purpose: LimitPurpose;
  since: string;
  requestId: string | null;
}

export async function limitsOf(services: Services, schoolId: string, pupilId: string): Promise<LimitView[]> {
  return services.db.withSchool(schoolId, async (trx) =>
    (await requests.limitsOfPupil(trx, schoolId, pupilId)).map((limit) => ({
      kind: limit.kind,
      purpose: limit.purpose,
      since: limit.created_at.toISOString(),
      requestId: limit.request_id,
    })),
  );
}

/** Lifts a limit (the restriction's reason has gone, or consent is given again), with the reason. */
export async function liftLimit(
  services: Services,
  who: SignedIn,
  schoolId: string,
  input: { pupilId: string; kind: LimitKind; purpose: LimitPurpose; reason: string },
  httpRequestId: string,
): Promise<void> {
  await services.db.withSchool(schoolId, async (trx) => {
    const limit = (await requests.limitsOfPupil(trx, schoolId, input.pupilId)).find(
      (entry) => entry.kind === input.kind && entry.purpose === input.purpose,
    );
    if (limit === undefined) {
      throw notFound('That limit on processing');
    }
    await requests.deleteLimit(trx, schoolId, input.pupilId, input.kind, input.purpose);
    if (input.purpose !== 'analysis') {
      // Apps removed the pupil on the deletions feed; a fresh change time brings them back in a sync.
      await touchPupil(trx, schoolId, input.pupilId);
    }
    if (limit.request_id !== null) {
      // The reason joins the history of the request that set the limit.
      await requests.insertEvent(trx, {
        school_id: schoolId,
        request_id: limit.request_id,
        kind: 'limit_lifted',
        note: await new SchoolVault(services.keyring, trx, schoolId).encrypt(
          limit.request_id,
          { table: 'privacy_request_events', column: 'note', rowId: limit.request_id },
          input.reason,
        ),
        actor_id: who.userId,
        details: { kind: input.kind, purpose: input.purpose },
      });
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'privacy.limit_lifted',
      target: `pupil:${input.pupilId}`,
      subjectIds: [input.pupilId],
      requestId: httpRequestId,
      details: { kind: input.kind, purpose: input.purpose },
    });
  });
}

/** Pupils another module must leave out: for analysis, for apps, or from imports' updates. */
export function limitedPupilIds(
  trx: Transaction<DB>,
  schoolId: string,
  use: 'analysis' | 'apps' | 'imports',
): Promise<string[]> {
  return requests.limitedPupils(trx, schoolId, use);
}
