import { Check } from 'typebox/value';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { DecryptionError } from '../../platform/crypto/field-cipher.ts';
import { SchoolVault } from '../../platform/crypto/vault.ts';
import { notFound } from '../../platform/http/errors.ts';
import type { Services } from '../../services.ts';
import {
  classesOfPupils,
  pupilResults,
  visiblePupils,
  type PupilResultRow,
} from '../curriculum/curriculum.service.ts';
import type { SignedIn } from '../organisations/identity.ts';
import { ENROLMENT_STATUS_LABELS, ETHNICITY_GROUPS, ETHNICITY_LABELS, SEN_LABELS } from './codes.ts';
import { displayName } from './pupil-names.ts';
import { IDENTITY_COLUMNS } from './pupil-record.ts';
import * as pupils from './pupils.repository.ts';
import { ContactsSchema, type Contact, type PupilDetails } from './pupils.schema.ts';

// One pupil's record: identity (decrypted), pseudonymised characteristics, KS2, classes, groups and
// results. Reading it is an access to a child's personal data, so it is audited.

/** A pupil's record, for someone who may see them: 404 alike for unknown, other schools' and unseen pupils. */
export async function readPupil(
  services: Services,
  who: SignedIn,
  schoolId: string,
  pupilId: string,
  requestId: string,
): Promise<PupilDetails> {
  return services.db.withSchool(schoolId, async (trx) => {
    const visible = await visiblePupils(trx, who.actor, who.userId, schoolId);
    const row =
      visible === 'all' || visible.includes(pupilId)
        ? await pupils.pupilById(trx, schoolId, pupilId)
        : undefined;
    if (row === undefined) {
      throw notFound('That pupil');
    }
    const identity = await openIdentity(new SchoolVault(services.keyring, trx, schoolId), row);
    const [prior] = await pupils.priorAttainmentByPupils(trx, schoolId, [pupilId]);
    const classes = await classesOfPupils(trx, schoolId, [pupilId]);
    const groups = await pupils.groupsOfPupil(trx, schoolId, pupilId);
    const results = await pupilResults(trx, schoolId, pupilId);
    await recordAudit(trx, {
      orgId: schoolId,
      actor: { type: 'user', id: who.userId },
      action: 'pupils.read',
      target: `pupil:${pupilId}`,
      subjectIds: [pupilId],
      requestId,
    });
    return {
      id: row.id,
      identity: { ...identity, identifierKind: row.identifier_kind },
      characteristics: characteristicsOf(row),
      priorAttainment:
        prior === undefined
          ? null
          : {
              ks2ReadingScore: prior.ks2_reading_score,
              ks2ReadingOutcome: prior.ks2_reading_outcome,
              ks2MathsScore: prior.ks2_maths_score,
              ks2MathsOutcome: prior.ks2_maths_outcome,
              ks2ReadingTa: prior.ks2_reading_ta,
              ks2MathsTa: prior.ks2_maths_ta,
            },
      classes: classes.map((entry) => ({
        id: entry.class_id,
        name: entry.name,
        yearGroup: entry.year_group,
        subject:
          entry.subject === null || entry.subject_name === null
            ? null
            : { code: entry.subject, name: entry.subject_name },
      })),
      groups,
      results: results.toSorted(byPointThenSubject).map((result) => ({
        assessmentPoint: {
          id: result.assessment_point_id,
          name: result.point,
          date: result.point_date,
          rank: result.rank,
        },
        subject: { code: result.subject, name: result.subject_name },
        facet: result.facet,
        grade: result.grade,
        points: result.points,
      })),
    };
  });
}

type IdentityView = Omit<PupilDetails['identity'], 'identifierKind'>;

/** The pupil's identifiers, decrypted; all null (and `erased`) when the pupil's key was destroyed. */
export async function openIdentity(vault: SchoolVault, row: pupils.PupilRow): Promise<IdentityView> {
  const sealed: Record<string, Buffer> = {};
  for (const column of IDENTITY_COLUMNS) {
    const value = row[column];
    if (value !== null) {
      sealed[column] = value;
    }
  }
  let opened: Record<string, string> = {};
  let erased = false;
  try {
    opened = await vault.decryptRecord('pupils', row.id, sealed);
  } catch (error) {
    if (!(error instanceof DecryptionError && error.reason === 'unknown_key')) {
      throw error;
    }
    erased = true;
  }
  const names = {
    forename: opened.forename ?? null,
    surname: opened.surname ?? null,
    preferredForename: opened.preferred_forename ?? null,
    preferredSurname: opened.preferred_surname ?? null,
  };
  return {
    upn: opened.upn ?? null,
    ...names,
    displayName: displayName(names),
    dob: opened.dob ?? null,
    address: opened.address ?? null,
    contacts: opened.contacts === undefined ? null : contactsOf(opened.contacts),
    erased,
  };
}

/** Contacts are stored as JSON (from a CTF); anything unreadable shows as no contacts, never as raw text. */
export function contactsOf(text: string): Contact[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return Check(ContactsSchema, parsed) ? parsed : null;
}

export function characteristicsOf(row: pupils.PupilRow): PupilDetails['characteristics'] {
  return {
    yearGroup: row.year_group,
    birthYear: row.birth_year,
    birthMonth: row.birth_month,
    sex: row.sex,
    ethnicity:
      row.ethnicity === null
        ? null
        : {
            code: row.ethnicity,
            label: ETHNICITY_LABELS[row.ethnicity] ?? null,
            group: ETHNICITY_GROUPS[row.ethnicity] ?? null,
          },
    fsm: row.fsm,
    fsm6: row.fsm6,
    disadvantaged: row.disadvantaged,
    pupilPremium: row.pupil_premium,
    sen: row.sen === null ? null : { code: row.sen, label: SEN_LABELS[row.sen] },
    eal: row.eal,
    gifted: row.gifted,
    lookedAfter: row.looked_after,
    previouslyLookedAfter: row.previously_looked_after,
    serviceChild: row.service_child,
    enrolmentStatus:
      row.enrolment_status === null
        ? null
        : { code: row.enrolment_status, label: ENROLMENT_STATUS_LABELS[row.enrolment_status] ?? null },
    startDate: row.start_date,
    leaveDate: row.leave_date,
  };
}

function byPointThenSubject(a: PupilResultRow, b: PupilResultRow): number {
  return (
    a.rank - b.rank ||
    a.subject_name.localeCompare(b.subject_name, 'en-GB') ||
    a.facet.localeCompare(b.facet, 'en-GB')
  );
}
