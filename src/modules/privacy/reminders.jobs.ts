import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { addDays, todayInEngland, type CalendarDate } from '../../platform/calendar/working-days.ts';
import type { JobDefinition, JobOutcome } from '../../platform/jobs/job-runner.ts';
import type { Services } from '../../services.ts';
import { schoolStaffHolding } from '../organisations/staff.service.ts';
import { reminderStage } from './deadlines.ts';
import { privacyMail } from './privacy-mail.ts';
import * as requests from './requests.repository.ts';

// Deadline reminders: a week before a request is due, the day before, on the day and each day it is overdue, its
// assignee (or, with none, everyone who handles requests) is e-mailed. Each stage is recorded in the
// request's history once it is sent, and never sent again. The e-mail names the request by reference only.

interface Due {
  schoolId: string;
  requestId: string;
  reference: string;
  dueOn: CalendarDate;
  stage: string;
  assigneeId: string | null;
}

/** The reminders due today that were not sent yet (read only: nothing is recorded until sent). */
async function remindersDue(services: Services, on: CalendarDate): Promise<Due[]> {
  const horizon = addDays(on, 7);
  const schools = await services.db.withPlatform('privacy deadline reminders: which schools', (trx) =>
    requests.schoolsWithRequestsDueBy(trx, horizon),
  );
  const due: Due[] = [];
  for (const schoolId of schools) {
    await services.db.withSchool(schoolId, async (trx) => {
      for (const row of await requests.openRequestsDueBy(trx, schoolId, horizon)) {
        const stage = reminderStage(row.due_on, on);
        if (stage !== undefined && !(await requests.reminderSent(trx, schoolId, row.id, stage))) {
          due.push({
            schoolId,
            requestId: row.id,
            reference: row.reference,
            dueOn: row.due_on,
            stage,
            assigneeId: row.assignee_id,
          });
        }
      }
    });
  }
  return due;
}

/** Records in the request's history that a stage was sent (re-checked, so a stage is recorded once). */
async function recordReminder(services: Services, reminder: Due): Promise<void> {
  await services.db.withSchool(reminder.schoolId, async (trx) => {
    if (await requests.reminderSent(trx, reminder.schoolId, reminder.requestId, reminder.stage)) {
      return;
    }
    await requests.insertEvent(trx, {
      school_id: reminder.schoolId,
      request_id: reminder.requestId,
      kind: 'reminder',
      actor_id: SYSTEM_ACTOR.id,
      details: { stage: reminder.stage, dueOn: reminder.dueOn },
    });
    await recordAudit(trx, {
      orgId: reminder.schoolId,
      actor: SYSTEM_ACTOR,
      action: 'privacy.reminder_sent',
      target: `privacy_request:${reminder.requestId}`,
      details: { stage: reminder.stage },
    });
  });
}

function wording(reminder: Due): string {
  if (reminder.stage.startsWith('overdue')) {
    return `Request ${reminder.reference} was due on ${reminder.dueOn} and is overdue. Answer it, or record why not, as soon as you can.`;
  }
  if (reminder.stage.startsWith('due_today')) {
    return `Request ${reminder.reference} is due today (${reminder.dueOn}).`;
  }
  return reminder.stage.startsWith('due_tomorrow')
    ? `Request ${reminder.reference} is due tomorrow (${reminder.dueOn}).`
    : `Request ${reminder.reference} is due within a week, on ${reminder.dueOn}.`;
}

/** Sends today's reminders (once each); `on` is for tests. */
export async function sendDeadlineReminders(
  services: Services,
  on: CalendarDate = todayInEngland(),
): Promise<JobOutcome> {
  const due = await remindersDue(services, on);
  const handlers = new Map<string, Array<{ userId: string; email: string }>>();
  for (const reminder of due) {
    let staff = handlers.get(reminder.schoolId);
    if (staff === undefined) {
      staff = await schoolStaffHolding(services, reminder.schoolId, 'privacy.manage');
      handlers.set(reminder.schoolId, staff);
    }
    const assignee = staff.find((person) => person.userId === reminder.assigneeId);
    const link = `${services.publicUrl}/schools/${reminder.schoolId}/privacy/requests/${reminder.requestId}`;
    // Sent first and recorded after: a failed send is tried again on the next run (a duplicate is
    // better than a missed deadline); the job's lease keeps two runs from sending at once.
    for (const person of assignee === undefined ? staff : [assignee]) {
      await services.mailer.send(
        privacyMail(
          person.email,
          `Data protection request ${reminder.reference}: deadline ${reminder.dueOn}`,
          [wording(reminder), `Open the request: ${link}`],
        ),
      );
    }
    await recordReminder(services, reminder);
  }
  return { reminders: due.length, schools: handlers.size };
}

/** The scheduled job: hourly, so a reminder goes out early on the day it is due. */
export function deadlineRemindersJob(services: Services): JobDefinition {
  return {
    name: 'privacy.deadline_reminders',
    schedule: '5 * * * *',
    leaseMinutes: 30,
    run: () => sendDeadlineReminders(services),
  };
}
