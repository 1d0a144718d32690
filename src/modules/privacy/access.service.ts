import { recordAudit } from '../../platform/audit/audit-log.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../database.ts';
import { appByClientId } from '../apps/registry.service.ts';
import { schoolAuthorisations } from '../apps/authorisations.service.ts';
import { getSchool } from '../organisations/organisations.service.ts';
import { staffSubjectData } from '../organisations/staff-data.service.ts';
import { pupilExists } from '../pupils/pupil-search.service.ts';
import { bundleZip, type BundleContent } from './access-bundle.ts';
import { stepRequest, type RequestWork } from './requests.service.ts';
import { SUBJECT_DATA_SOURCES, type SharedRecord, type SubjectRecord } from './subject-data.ts';

// Right of access and portability: every module's records about a pupil, gathered into one bundle.

/** Every source's sections about the pupil, inside the school's transaction. */
export async function gatherSubjectData(
  trx: Transaction<DB>,
  services: Services,
  schoolId: string,
  pupilId: string,
): Promise<Record<string, SubjectRecord[]>> {
  const vault = new SchoolVault(services.keyring, trx, schoolId);
  const sections: Record<string, SubjectRecord[]> = {};
  for (const source of SUBJECT_DATA_SOURCES) {
    Object.assign(sections, await source.export({ trx, vault, schoolId, pupilId }));
  }
  return sections;
}

/** Records that also concern other people (for the erasure impact). */
export async function sharedRecords(
  trx: Transaction<DB>,
  services: Services,
  schoolId: string,
  pupilId: string,
): Promise<SharedRecord[]> {
  const vault = new SchoolVault(services.keyring, trx, schoolId);
  const shared: SharedRecord[] = [];
  for (const source of SUBJECT_DATA_SOURCES) {
    shared.push(...((await source.shared?.({ trx, vault, schoolId, pupilId })) ?? []));
  }
  return shared;
}

/** Names the apps in the disclosures, and lists the apps authorised now (outside any school transaction). */
async function withRecipients(
  services: Services,
  schoolId: string,
  sections: Record<string, SubjectRecord[]>,
): Promise<{ sections: Record<string, SubjectRecord[]>; recipients: BundleContent['recipients'] }> {
  const disclosures = sections.disclosures ?? [];
  const names = new Map<string, string>();
  for (const clientId of new Set(disclosures.map((entry) => String(entry.appClientId)))) {
    names.set(clientId, (await appByClientId(services, clientId))?.name ?? 'an app no longer registered');
  }
  const authorised = await schoolAuthorisations(services, schoolId);
  return {
    sections: {
      ...sections,
      disclosures: disclosures.map((entry) => ({
        app: names.get(String(entry.appClientId)) ?? null,
        ...entry,
      })),
    },
    recipients: authorised.map((entry) => ({
      app: entry.app.name,
      scopes: entry.scopes.map((scope) => scope.title),
      approvedAt: entry.approvedAt,
    })),
  };
}

/** Builds the bundle for a pupil: data.json, CSVs and the human-readable report, as a zip. */
export async function buildBundle(
  services: Services,
  schoolId: string,
  subject: BundleContent['subject'],
  gathered: Record<string, SubjectRecord[]>,
  requestReference: string | null,
): Promise<Buffer> {
  const school = await getSchool(services, schoolId);
  const { sections, recipients } = await withRecipients(services, schoolId, gathered);
  return bundleZip({
    school: { id: school.id, name: school.name },
    subject,
    generatedAt: new Date().toISOString(),
    requestReference,
    sections,
    recipients,
  });
}

/** The access bundle for the pupil of a request (a step of the request: audited, clock unchanged). */
export async function exportForRequest(work: RequestWork): Promise<{ zip: Buffer; reference: string }> {
  let gathered: Record<string, SubjectRecord[]> = {};
  let reference = '';
  let subject: BundleContent['subject'] = { type: 'pupil', id: '' };
  await stepRequest(work, 'export', async (trx, row) => {
    subject = { type: row.subject_type === 'staff' ? 'staff' : 'pupil', id: row.subject_id ?? '' };
    reference = row.reference;
    if (subject.type === 'pupil') {
      gathered = await gatherSubjectData(trx, work.services, work.schoolId, subject.id);
    }
    return { details: { subject: subject.type } };
  });
  if (subject.type === 'staff') {
    // The staff directory is outside the school's tenant: read after the school's transaction.
    gathered = await staffSubjectData(work.services, work.schoolId, subject.id);
  }
  return { zip: await buildBundle(work.services, work.schoolId, subject, gathered, reference), reference };
}

/** The bundle for a pupil without a request (the CLI, for the operator at a school's instruction). */
export async function exportPupil(
  services: Services,
  schoolId: string,
  pupilId: string,
  actor: { type: 'cli'; id: string },
): Promise<Buffer> {
  const gathered = await services.db.withSchool(schoolId, async (trx) => {
    if (!(await pupilExists(trx, schoolId, pupilId))) {
      throw notFound('That pupil');
    }
    const sections = await gatherSubjectData(trx, services, schoolId, pupilId);
    await recordAudit(trx, {
      orgId: schoolId,
      actor,
      action: 'privacy.subject_exported',
      target: `pupil:${pupilId}`,
      subjectIds: [pupilId],
    });
    return sections;
  });
  return buildBundle(services, schoolId, { type: 'pupil', id: pupilId }, gathered, null);
}
