import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { AppError, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { schoolStaffHolding } from '../organisations/staff.service.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { waitingUploads } from '../imports/imports.subject-data.ts';
import { pupilUnderHold } from '../retention/retention.subject-data.ts';
import { todayInEngland } from '../../platform/calendar/working-days.ts';
import { sharedRecords } from './access.service.ts';
import * as erasure from './erasure.repository.ts';
import * as requests from './requests.repository.ts';
import { stepRequest, type RequestWork, type StepOutcome } from './requests.service.ts';
import type { ErasureCertificateBody } from './requests.tables.ts';
import type { SharedRecord } from './subject-data.ts';
import { privacyMail } from './privacy-mail.ts';

// Right to erasure: the DPO sees what an erasure would remove (and what also concerns other people,
// listed for redaction by hand), approves or refuses it with a reason, and only then is it carried
// out: the pupil's rows are deleted, their key destroyed (so every backup copy of their ciphertext is
// unreadable), the erasure ledger and the apps' deletions feed told, and a certificate written.

export interface ErasureImpact {
  rows: Record<string, number>;
  shared: SharedRecord[];
}

export async function erasureImpact(work: RequestWork): Promise<ErasureImpact> {
  const { services, schoolId, requestId } = work;
  return services.db.withSchool(schoolId, async (trx) => {
    const row = await requests.requestById(trx, schoolId, requestId);
    if (row === undefined || row.kind !== 'erasure') {
      throw notFound('That erasure request');
    }
    if (row.subject_id === null) {
      return { rows: {}, shared: [] };
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: work.who.userId },
      action: 'privacy.erasure_impact_read',
      target: `privacy_request:${row.id}`,
      subjectIds: [row.subject_id],
      requestId: work.httpRequestId,
    });
    return {
      rows: await erasure.rowsAboutPupil(trx, schoolId, row.subject_id),
      shared: await sharedRecords(trx, services, schoolId, row.subject_id),
    };
  });
}

/** Asks the DPO to decide; they are e-mailed (no names in the mail: the reference only). */
export async function submitErasure(work: RequestWork, note: string | undefined): Promise<StepOutcome> {
  const outcome = await stepRequest(work, 'submit_erasure', async () => ({
    status: 'awaiting_approval',
    note,
  }));
  await tellApprovers(work.services, work.schoolId, work.requestId);
  return outcome;
}

async function tellApprovers(services: Services, schoolId: string, requestId: string): Promise<void> {
  const approvers = await schoolStaffHolding(services, schoolId, 'privacy.approve');
  const link = `${services.publicUrl}/schools/${schoolId}/privacy/requests/${requestId}`;
  for (const approver of approvers) {
    services.mailer.queue(
      privacyMail(approver.email, 'An erasure request is waiting for your decision', [
        'An erasure request in your school’s register is waiting for the data protection officer’s approval.',
        `Review what it would remove, and decide: ${link}`,
      ]),
    );
  }
}

/** The DPO approves; never the person who submitted it (two people see every erasure). */
export function approveErasure(work: RequestWork, reason: string): Promise<StepOutcome> {
  return stepRequest(work, 'approve_erasure', async (trx, row) => {
    if (
      (await requests.latestEvent(trx, work.schoolId, row.id, 'submit_erasure'))?.actor_id === work.who.userId
    ) {
      throw new AppError(
        409,
        'same_person',
        'You submitted this erasure, so someone else with the data protection officer role must approve it.',
      );
    }
    return { status: 'approved', note: reason };
  });
}

export function rejectErasure(work: RequestWork, reason: string): Promise<StepOutcome> {
  return stepRequest(work, 'reject_erasure', async () => ({
    status: 'refused',
    changes: { outcome: 'erasure_refused' },
    note: reason,
  }));
}

/** Carries out an approved erasure in one transaction and writes its certificate. */
export async function executeErasure(work: RequestWork): Promise<{ certificateId: string }> {
  const { services, schoolId, who } = work;
  const school = await getSchool(services, schoolId);
  const certificateId = randomUUID();
  await stepRequest(work, 'execute_erasure', async (trx, row) => {
    const pupilId = row.subject_id;
    if (pupilId === null) {
      throw notFound('The pupil of this request');
    }
    // An upload waiting to be imported holds the pupil's row, and committing it after the erasure would
    // bring them back: it must be imported or discarded first.
    if ((await waitingUploads(trx, schoolId)) > 0) {
      throw new AppError(
        409,
        'imports_waiting',
        'An import is waiting to be committed or discarded, and its file may hold this pupil. Commit or discard it (Imports), then carry out the erasure.',
      );
    }
    if (await pupilUnderHold(trx, schoolId, pupilId, todayInEngland())) {
      throw new AppError(
        409,
        'legal_hold',
        'A legal hold keeps this pupil’s record (Retention → Legal holds). Release the hold, or wait until it expires, then carry out the erasure.',
      );
    }
    const rows = await erasure.rowsAboutPupil(trx, schoolId, pupilId);
    const shared = await sharedRecords(trx, services, schoolId, pupilId);
    // What the register itself says about the pupil in staff's or the requester's words goes too; the
    // requests stay as evidence by reference, dates, requester and pseudonymous id.
    const cleared = await requests.clearRequestTextAbout(trx, schoolId, pupilId);
    const approval = (await requests.eventsOf(trx, schoolId, [row.id])).findLast(
      (event) => event.kind === 'approve_erasure',
    );
    await erasure.deletePupil(trx, schoolId, pupilId);
    const keyDestroyed = await new SchoolVault(services.keyring, trx, schoolId).shred(pupilId);
    await erasure.recordRemoval(trx, schoolId, pupilId, 'erased');
    const executedAt = new Date().toISOString();
    const body: ErasureCertificateBody = {
      certificate: certificateId,
      school: { id: school.id, name: school.name },
      request: { id: row.id, reference: row.reference, receivedOn: row.received_on },
      subject: { type: 'pupil', pseudonymousId: pupilId },
      approvedBy: approval?.actor_id ?? 'unknown',
      approvedAt: approval?.occurred_at.toISOString() ?? 'unknown',
      executedBy: who.userId,
      executedAt,
      deleted: Object.fromEntries(
        Object.entries(rows).filter(([table]) => table !== 'blind_indexes' && table !== 'subject_keys'),
      ),
      subjectKeyDestroyed: keyDestroyed,
      blindIndexesDeleted: rows.blind_indexes ?? 0,
      leftForManualRedaction: shared.map((record) => `${record.description} ${record.fate}`),
      requestTextCleared: cleared,
      nextSteps:
        'Remove the pupil from the school’s MIS too: a later import of an export that still holds them would add them to Haven again as a new pupil.',
      backups:
        'Backups taken before this erasure hold only ciphertext under the destroyed key, which no copy of the key can open; the erasure ledger re-applies this erasure after any restore.',
    };
    await erasure.insertCertificate(trx, {
      schoolId,
      id: certificateId,
      requestId: row.id,
      subjectId: pupilId,
      body,
    });
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'privacy.pupil_erased',
      target: `pupil:${pupilId}`,
      subjectIds: [pupilId],
      requestId: work.httpRequestId,
      details: { certificate: certificateId, rows: Object.values(rows).reduce((a, b) => a + b, 0) },
    });
    return { status: 'completed', changes: { outcome: 'erased' }, details: { certificate: certificateId } };
  });
  return { certificateId };
}

/** A certificate of erasure, with the digest that proves it was not changed since. */
export async function readCertificate(
  services: Services,
  who: SignedIn,
  schoolId: string,
  certificateId: string,
): Promise<ErasureCertificateBody & { digest: string }> {
  return services.db.withSchool(schoolId, async (trx) => {
    const found = await erasure.certificateById(trx, schoolId, certificateId);
    if (found === undefined) {
      throw notFound('That certificate');
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'privacy.certificate_read',
      target: `erasure_certificate:${certificateId}`,
    });
    return { ...found.body, digest: found.digest.toString('hex') };
  });
}
