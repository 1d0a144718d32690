import { recordAudit, SYSTEM_ACTOR } from '../../platform/audit/audit-log.ts';
import { addDays, todayInEngland, type CalendarDate } from '../../platform/calendar/working-days.ts';
import type { JobDefinition, JobOutcome } from '../../platform/jobs/job-runner.ts';
import type { Services } from '../../services.ts';
import { schoolStaffHolding } from '../organisations/staff.service.ts';
import { privacyMail } from './privacy-mail.ts';
import * as requests from './requests.repository.ts';
import { reminderStage } from './requests.service.ts';

// Deadline reminders: a week before a request is due, the day before, and each day it is overdue, its
// assignee (or, with none, everyone who handles requests) is e-mailed. Each stage is sent once: the
// request's history records it, and the job re-checks that before sending, so a retried run repeats
// nothing. The e-mail names the request by reference only.

interface Due {
  schoolId: string;
  requestId: string;
  reference: string;
  dueOn: CalendarDate;
  stage: string;
  assigneeId: string | null;
}

/** Records the reminders due today in each school's request history; returns what to mail. */
async function claimReminders(services: Services, on: CalendarDate): Promise<Due[]> {
  const horizon = addDays(on, 7);
  const schools = await services.db.withPlatform('privacy deadline reminders: which schools', (trx) =>
    requests.schoolsWithRequestsDueBy(trx, horizon),
  );
  const due: Due[] = [];
  for (const schoolId of schools) {
    await services.db.withSchool(schoolId, async (trx) => {
      for (const row of await requests.openRequestsDueBy(trx, schoolId, horizon)) {
        const stage = reminderStage(row.due_on, on);
        if (stage === undefined || (await requests.reminderSent(trx, schoolId, row.id, stage))) {
          continue;
        }
        await requests.insertEvent(trx, {
          school_id: schoolId,
          request_id: row.id,
          kind: 'reminder',
          actor_id: SYSTEM_ACTOR.id,
          details: { stage, dueOn: row.due_on },
        });
        await recordAudit(trx, {
          orgId: schoolId,
          actor: SYSTEM_ACTOR,
          action: 'privacy.reminder_sent',
          target: `privacy_request:${row.id}`,
          details: { stage },
        });
        due.push({
          schoolId,
          requestId: row.id,
          reference: row.reference,
          dueOn: row.due_on,
          stage,
          assigneeId: row.assignee_id,
        });
      }
    });
  }
  return due;
}

function wording(reminder: Due): string {
  if (reminder.stage.startsWith('overdue')) {
    return `Request ${reminder.reference} was due on ${reminder.dueOn} and is overdue. Answer it, or record why not, as soon as you can.`;
  }
  return reminder.stage === 'due_tomorrow'
    ? `Request ${reminder.reference} is due tomorrow (${reminder.dueOn}).`
    : `Request ${reminder.reference} is due within a week, on ${reminder.dueOn}.`;
}

/** Sends today's reminders (once each); `on` is for tests. */
export async function sendDeadlineReminders(
  services: Services,
  on: CalendarDate = todayInEngland(),
): Promise<JobOutcome> {
  const due = await claimReminders(services, on);
  const handlers = new Map<string, Array<{ userId: string; email: string }>>();
  for (const reminder of due) {
    let staff = handlers.get(reminder.schoolId);
    if (staff === undefined) {
      staff = await schoolStaffHolding(services, reminder.schoolId, 'privacy.manage');
      handlers.set(reminder.schoolId, staff);
    }
    const assignee = staff.find((person) => person.userId === reminder.assigneeId);
    const link = `${services.publicUrl}/schools/${reminder.schoolId}/privacy/requests/${reminder.requestId}`;
    for (const person of assignee === undefined ? staff : [assignee]) {
      services.mailer.queue(
        privacyMail(
          person.email,
          `Data protection request ${reminder.reference}: deadline ${reminder.dueOn}`,
          [wording(reminder), `Open the request: ${link}`],
        ),
      );
    }
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
