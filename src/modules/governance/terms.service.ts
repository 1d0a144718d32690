import { randomUUID } from 'node:crypto';
import { PLATFORM_ORG_ID, recordAudit, type Actor } from '../../platform/audit/audit-log.ts';
import {
  addDays,
  daysBetween,
  todayInEngland,
  type CalendarDate,
} from '../../platform/calendar/working-days.ts';
import { AppError, badRequest, notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import { listSchools } from '../organisations/organisations.service.ts';
import { schoolAdminAddresses } from '../organisations/staff.service.ts';
import { privacyMail } from '../privacy/privacy-mail.ts';
import { leaveHaven, type Leaving } from '../retention/leaving.service.ts';
import * as repository from './terms.repository.ts';
import type { TermsResponse } from './terms.tables.ts';

// Changes to the terms of service: the operator publishes a version that takes effect after a notice
// period; every school's administrators are told; a school accepts, or opts out before the day, which
// starts its leaving (apps revoked at once, data deleted after the leaving period). Answers are recorded.

export const NOTICE_DAYS = 30;

export interface SchoolTermsView {
  id: string;
  version: string;
  summary: string;
  body: string;
  publishedAt: string;
  effectiveOn: CalendarDate;
  standing: 'in_force' | 'upcoming' | 'superseded';
  response: TermsResponse | null;
  respondedAt: string | null;
}

export interface NewTerms {
  version: string;
  summary: string;
  body: string;
  effectiveOn: CalendarDate;
}

function standings(
  rows: repository.VersionRow[],
  today: CalendarDate,
): Map<string, SchoolTermsView['standing']> {
  const inForce = rows.find((row) => row.effective_on <= today);
  return new Map(
    rows.map((row) => [
      row.id,
      row.effective_on > today ? 'upcoming' : row.id === inForce?.id ? 'in_force' : 'superseded',
    ]),
  );
}

/** The operator publishes a version, at least the notice period ahead; every school's admins are told. */
export async function publishTerms(services: Services, by: Actor, input: NewTerms): Promise<{ id: string }> {
  const earliest = addDays(todayInEngland(), NOTICE_DAYS);
  if (daysBetween(earliest, input.effectiveOn) < 0) {
    throw badRequest(`New terms take effect ${NOTICE_DAYS} days after they are published at the earliest.`, [
      { field: 'body.effectiveOn', message: `must be ${earliest} or later` },
    ]);
  }
  const id = randomUUID();
  await services.db.withPlatform('terms: publish a version', async (trx) => {
    await repository.insertVersion(trx, {
      id,
      version: input.version,
      summary: input.summary,
      body: input.body,
      effective_on: input.effectiveOn,
      published_by: by.id,
    });
    await recordAudit(trx, {
      orgId: PLATFORM_ORG_ID,
      actor: by,
      action: 'terms.published',
      target: `terms:${id}`,
      details: { version: input.version, effectiveOn: input.effectiveOn },
    });
  });
  for (const school of await listSchools(services)) {
    if (school.status !== 'active') {
      continue;
    }
    for (const address of await schoolAdminAddresses(services, school.id)) {
      services.mailer.queue(
        privacyMail(address, `Haven's terms change on ${input.effectiveOn}`, [
          `Haven has published version ${input.version} of its terms of service. It takes effect on ${input.effectiveOn}.`,
          input.summary,
          `Read it and accept it, or opt out before then (your school would then leave Haven and its data be deleted): ${services.publicUrl}/schools/${school.id}/terms`,
        ]),
      );
    }
  }
  return { id };
}

/** Every version with how many schools accepted or opted out (the operator's view). */
export async function platformTerms(services: Services) {
  return services.db.withPlatform('terms: versions and answers', async (trx) => {
    const counts = await repository.responseCounts(trx);
    return (await repository.versions(trx)).map((row) => ({
      id: row.id,
      version: row.version,
      summary: row.summary,
      publishedAt: row.published_at.toISOString(),
      effectiveOn: row.effective_on,
      accepted: counts.get(row.id)?.accepted ?? 0,
      optedOut: counts.get(row.id)?.optedOut ?? 0,
    }));
  });
}

/** The versions a school sees, newest first, with its answers. */
export async function schoolTerms(services: Services, schoolId: string): Promise<SchoolTermsView[]> {
  const today = todayInEngland();
  return services.db.withSchool(schoolId, async (trx) => {
    const rows = await repository.versions(trx);
    const answers = await repository.responsesOf(trx, schoolId);
    const standing = standings(rows, today);
    return rows.map((row) => ({
      id: row.id,
      version: row.version,
      summary: row.summary,
      body: row.body,
      publishedAt: row.published_at.toISOString(),
      effectiveOn: row.effective_on,
      standing: standing.get(row.id) ?? 'superseded',
      response: answers.get(row.id)?.response ?? null,
      respondedAt: answers.get(row.id)?.responded_at.toISOString() ?? null,
    }));
  });
}

async function answer(
  services: Services,
  schoolId: string,
  versionId: string,
  response: TermsResponse,
  by: Actor,
): Promise<repository.VersionRow> {
  return services.db.withSchool(schoolId, async (trx) => {
    const version = await repository.versionById(trx, versionId);
    if (version === undefined) {
      throw notFound('That version of the terms');
    }
    if (response === 'opted_out' && version.effective_on <= todayInEngland()) {
      throw new AppError(
        409,
        'in_force',
        'These terms are in force already: to stop using Haven, leave it from the Retention page.',
      );
    }
    if (!(await repository.insertResponse(trx, schoolId, { versionId, response, by: by.id }))) {
      throw new AppError(409, 'already_answered', 'Your school has answered this version already.');
    }
    await recordAudit(trx, {
      orgId: schoolId,
      actor: by,
      action: response === 'accepted' ? 'terms.accepted' : 'terms.opted_out',
      target: `terms:${versionId}`,
      details: { version: version.version },
    });
    return version;
  });
}

export async function acceptTerms(
  services: Services,
  schoolId: string,
  versionId: string,
  by: Actor,
): Promise<void> {
  await answer(services, schoolId, versionId, 'accepted', by);
}

/** Opting out of upcoming terms: recorded, and the school starts leaving Haven. */
export async function optOutOfTerms(
  services: Services,
  schoolId: string,
  versionId: string,
  by: Actor,
): Promise<Leaving> {
  await answer(services, schoolId, versionId, 'opted_out', by);
  return leaveHaven(services, schoolId, by);
}
