import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { addWorkingDays, todayInEngland, type CalendarDate } from '../../platform/calendar/working-days.ts';
import type { JobDefinition, JobOutcome } from '../../platform/jobs/job-runner.ts';
import type { Services } from '../../services.ts';
import { organisationDirectory } from '../organisations/organisations.service.ts';
import { staffInRoles } from '../organisations/staff.service.ts';
import { privacyMail } from '../privacy/privacy-mail.ts';
import { isOverdue } from './child-views.ts';
import { childReference } from './pep-access.ts';
import { DUE_SOON_WORKING_DAYS, expectedPep, termLabel, termOf } from './pep-calendar.ts';
import * as repository from './pep.repository.ts';
import type { ReminderStage } from './pep.tables.ts';

// PEP reminders: five working days before this term's PEP is due (and not yet submitted), the child's
// designated teacher and the virtual school's officers hear of it; once it is overdue, the head does too.
// Each stage goes once per child and term. Messages name the child by reference only, never by name.

interface Due {
  authorityId: string;
  childId: string;
  term: string;
  dueOn: CalendarDate;
  stage: ReminderStage;
  schoolId: string | null;
}

async function remindersDue(services: Services, authorityId: string, today: CalendarDate): Promise<Due[]> {
  const term = termOf(today);
  const soon = addWorkingDays(today, DUE_SOON_WORKING_DAYS);
  return services.db.withSchool(authorityId, async (trx) => {
    const sent = await repository.remindersSent(trx, authorityId, term);
    const documents = new Map(
      (await repository.latestDocumentsForTerm(trx, authorityId, term)).map((row) => [row.child_id, row]),
    );
    const due: Due[] = [];
    for (const child of await repository.childrenOf(trx, authorityId)) {
      const expected = child.left_care_on === null ? expectedPep(child.entered_care_on, term) : undefined;
      if (expected === undefined) {
        continue;
      }
      const document = documents.get(child.id);
      const state = document?.state ?? null;
      const dueOn = document?.due_on ?? expected.dueOn;
      const open = state === null || state === 'draft' || state === 'returned';
      const stage: ReminderStage | undefined = isOverdue(state, dueOn, today)
        ? 'overdue'
        : open && dueOn <= soon
          ? 'due_soon'
          : undefined;
      if (stage !== undefined && !sent.has(`${child.id}/${stage}`)) {
        const schoolId = child.link_status === 'agreed' ? child.linked_school_id : null;
        due.push({ authorityId, childId: child.id, term, dueOn, stage, schoolId });
      }
    }
    return due;
  });
}

/** Sends today's PEP reminders (once each stage per child and term); `today` is for tests. */
export async function sendPepReminders(
  services: Services,
  today: CalendarDate = todayInEngland(),
): Promise<JobOutcome> {
  let sent = 0;
  for (const authority of await organisationDirectory(services, 'local_authority')) {
    const due = await remindersDue(services, authority.id, today);
    if (due.length === 0) {
      continue;
    }
    const staff = await staffInRoles(services, authority.id, [
      'virtual_school_officer',
      'virtual_school_head',
    ]);
    for (const reminder of due) {
      const teachers =
        reminder.schoolId === null
          ? []
          : await staffInRoles(services, reminder.schoolId, ['designated_teacher']);
      const recipients = [
        ...teachers,
        ...staff.filter((person) => reminder.stage === 'overdue' || person.role === 'virtual_school_officer'),
      ];
      const reference = childReference(reminder.childId);
      const when = `${termLabel(reminder.term)} PEP for ${reference}`;
      const text =
        reminder.stage === 'overdue'
          ? `The ${when} was due on ${reminder.dueOn} and has not been submitted.`
          : `The ${when} is due on ${reminder.dueOn} and has not been submitted yet.`;
      for (const person of new Map(recipients.map((entry) => [entry.email, entry])).values()) {
        await services.mailer.send(
          privacyMail(
            person.email,
            `PEP ${reminder.stage === 'overdue' ? 'overdue' : 'due soon'}: ${reference}`,
            [text, `Sign in to Haven to open it: ${services.publicUrl}`],
          ),
        );
      }
      await services.db.withSchool(reminder.authorityId, async (trx) => {
        await repository.recordReminder(
          trx,
          reminder.authorityId,
          reminder.childId,
          reminder.term,
          reminder.stage,
        );
        await recordAudit(trx, {
          orgId: reminder.authorityId,
          actor: SYSTEM_ACTOR,
          action: 'pep.reminder_sent',
          target: `pep_child:${reminder.childId}`,
          subjectIds: [reminder.childId],
          details: { stage: reminder.stage, term: reminder.term },
        });
      });
      sent += 1;
    }
  }
  return { reminders: sent };
}

/** The scheduled job: each morning. */
export function pepRemindersJob(services: Services): JobDefinition {
  return {
    name: 'pep.reminders',
    schedule: '20 7 * * *',
    leaseMinutes: 30,
    catchUpAfterHours: 24,
    run: () => sendPepReminders(services),
  };
}
