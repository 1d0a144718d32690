import type { SubjectDataSource, SubjectRecord } from '../privacy/subject-data.ts';
import { characteristicsOf, openIdentity } from './pupil-details.service.ts';
import * as pupils from './pupils.repository.ts';

// What the pupils module holds about a pupil: identity (decrypted for the bundle), characteristics,
// KS2 prior attainment, the history of changes and custom groups.

export const pupilsSubjectData: SubjectDataSource = {
  module: 'pupils',
  tables: ['pupils', 'prior_attainment', 'pupil_changes', 'pupil_group_members'],
  async export({ trx, vault, schoolId, pupilId }): Promise<Record<string, SubjectRecord[]>> {
    const row = await pupils.pupilById(trx, schoolId, pupilId);
    if (row === undefined) {
      return {};
    }
    const identity = await openIdentity(vault, row);
    const characteristics = characteristicsOf(row);
    const [prior] = await pupils.priorAttainmentByPupils(trx, schoolId, [pupilId]);
    const changes = await pupils.changesOfPupil(trx, schoolId, pupilId);
    const groups = await pupils.groupsOfPupil(trx, schoolId, pupilId);
    const flat: SubjectRecord = {
      yearGroup: characteristics.yearGroup,
      birthYear: characteristics.birthYear,
      birthMonth: characteristics.birthMonth,
      sex: characteristics.sex,
      ethnicity: characteristics.ethnicity?.label ?? characteristics.ethnicity?.code ?? null,
      freeSchoolMeals: characteristics.fsm,
      freeSchoolMealsInLast6Years: characteristics.fsm6,
      disadvantaged: characteristics.disadvantaged,
      pupilPremium: characteristics.pupilPremium,
      specialEducationalNeeds: characteristics.sen?.label ?? null,
      englishAsAdditionalLanguage: characteristics.eal,
      giftedAndTalented: characteristics.gifted,
      lookedAfter: characteristics.lookedAfter,
      previouslyLookedAfter: characteristics.previouslyLookedAfter,
      serviceChild: characteristics.serviceChild,
      enrolmentStatus: characteristics.enrolmentStatus?.label ?? null,
      startDate: characteristics.startDate,
      leaveDate: characteristics.leaveDate,
      recordCreated: row.created_at.toISOString(),
      recordUpdated: row.updated_at.toISOString(),
    };
    return {
      identity: [
        {
          pseudonymousId: row.id,
          upn: identity.upn,
          forename: identity.forename,
          surname: identity.surname,
          preferredForename: identity.preferredForename,
          preferredSurname: identity.preferredSurname,
          dateOfBirth: identity.dob,
          address: identity.address,
          identifierKind: row.identifier_kind,
        },
      ],
      characteristics: [flat],
      // Other people's details (parents, carers) are not the requester's to receive without review:
      // the bundle says they are held, and the school decides what it may disclose.
      withheld:
        identity.contacts === null || identity.contacts.length === 0
          ? []
          : [
              {
                what: `Contact details of ${identity.contacts.length} other ${identity.contacts.length === 1 ? 'person' : 'people'} (parents or carers)`,
                why: 'They are other people’s personal data: the school reviews what it may disclose before sending them.',
              },
            ],
      prior_attainment:
        prior === undefined
          ? []
          : [
              {
                ks2ReadingScore: prior.ks2_reading_score,
                ks2ReadingOutcome: prior.ks2_reading_outcome,
                ks2MathsScore: prior.ks2_maths_score,
                ks2MathsOutcome: prior.ks2_maths_outcome,
                ks2ReadingTeacherAssessment: prior.ks2_reading_ta,
                ks2MathsTeacherAssessment: prior.ks2_maths_ta,
              },
            ],
      change_history: changes.map((change) => ({
        field: change.field,
        oldValue: change.old_value,
        newValue: change.new_value,
        changedBy: change.changed_by,
        changedAt: change.changed_at.toISOString(),
        importId: change.import_id,
      })),
      groups: groups.map((group) => ({ group: group.name })),
    };
  },
};
