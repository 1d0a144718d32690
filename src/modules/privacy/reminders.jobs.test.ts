import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { buildUser, signInAs } from '../../../test/support/auth.ts';
import { buildSchool } from '../../../test/support/factories.ts';
import { useTestApp } from '../../../test/support/http.ts';
import { readOutbox } from '../../../test/support/services.ts';
import { addDays, todayInEngland } from '../../platform/calendar/working-days.ts';
import { runJob } from '../../platform/jobs/job-runner.ts';
import { deadlineRemindersJob, sendDeadlineReminders } from './reminders.jobs.ts';

const fixture = useTestApp();

async function openRequest() {
  const school = await buildSchool(fixture.services);
  const admin = await buildUser(fixture.services, 'school_admin', school.id);
  const cookie = await signInAs(fixture.app, admin.email);
  const created = await fixture.app.inject({
    method: 'POST',
    url: `/api/v1/schools/${school.id}/privacy/requests`,
    headers: { cookie },
    payload: {
      kind: 'access',
      subjectType: 'pupil',
      requester: { name: 'Zqrequester', contact: 'zq@example.org', relationship: 'self' },
      receivedOn: addDays(todayInEngland(), -3),
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  const { id } = created.json<{ id: string }>();
  const read = await fixture.app.inject({
    method: 'GET',
    url: `/api/v1/schools/${school.id}/privacy/requests/${id}`,
    headers: { cookie },
  });
  return { school, admin, cookie, id, dueOn: read.json<{ dueOn: string }>().dueOn };
}

async function leaseHeld(name: string): Promise<boolean> {
  const row = await fixture.services.db.withPlatform('test: job lease', (trx) =>
    trx
      .selectFrom('job_runs')
      .select('id')
      .where('name', '=', name)
      .where('status', '=', 'running')
      .executeTakeFirst(),
  );
  return row !== undefined;
}

// By the request's own link: references repeat across the test's schools.
const mailsAbout = async (requestId: string) =>
  (await readOutbox(fixture.services)).filter((mail) => mail.includes(`/privacy/requests/${requestId}`));

describe('deadline reminders', () => {
  test('a week before, the day before and when overdue, once each, by reference only', async () => {
    const { id: reference, dueOn, admin } = await openRequest();
    // Nothing a fortnight before.
    await sendDeadlineReminders(fixture.services, addDays(dueOn, -14));
    assert.equal((await mailsAbout(reference)).length, 0);
    await sendDeadlineReminders(fixture.services, addDays(dueOn, -5));
    const week = await mailsAbout(reference);
    assert.equal(week.length, 1);
    assert.match(week[0] ?? '', /due within a week/);
    assert.ok(week[0]?.includes(admin.email), 'sent to the person who handles requests');
    assert.ok(!week[0]?.includes('Zqrequester'), 'no requester name in the mail');
    // Run again the same day: nothing repeats.
    await sendDeadlineReminders(fixture.services, addDays(dueOn, -5));
    assert.equal((await mailsAbout(reference)).length, 1);
    await sendDeadlineReminders(fixture.services, addDays(dueOn, -1));
    await sendDeadlineReminders(fixture.services, addDays(dueOn, 2));
    const all = await mailsAbout(reference);
    assert.equal(all.length, 3);
    assert.match(all.join('\n'), /is due tomorrow/);
    assert.match(all.join('\n'), /is overdue/);
  });

  test('a deadline moved by an extension gets its own reminders, and the day itself has one', async () => {
    const { id, dueOn, school, cookie } = await openRequest();
    await sendDeadlineReminders(fixture.services, addDays(dueOn, -5));
    assert.equal((await mailsAbout(id)).length, 1);
    const extended = await fixture.app.inject({
      method: 'POST',
      url: `/api/v1/schools/${school.id}/privacy/requests/${id}/extend`,
      headers: { cookie },
      payload: { months: 1, reason: 'Complex' },
    });
    assert.equal(extended.statusCode, 200, extended.body);
    const newDue = extended.json<{ dueOn: string }>().dueOn;
    assert.ok(newDue > dueOn);
    await sendDeadlineReminders(fixture.services, addDays(newDue, -5));
    await sendDeadlineReminders(fixture.services, newDue);
    const mails = await mailsAbout(id);
    assert.equal(mails.length, 3);
    assert.match(mails.join('\n'), /is due today/);
  });

  test('the job runs once at a time: a second runner while the first holds the lease skips', async () => {
    const log = pino({ level: 'silent' });
    const gate = Promise.withResolvers<void>();
    const slow = {
      name: 'test.slow',
      leaseMinutes: 5,
      run: async () => {
        await gate.promise;
        return { done: 1 };
      },
    };
    const first = runJob(fixture.services.db, log, slow);
    // Wait until the first holds its lease (however slow the machine).
    for (let tries = 0; !(await leaseHeld('test.slow')); tries += 1) {
      assert.ok(tries < 200, 'the first run never took its lease');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const second = await runJob(fixture.services.db, log, { ...slow, run: async () => ({ done: 2 }) });
    assert.deepEqual(second, { ran: false, reason: 'already_running' });
    gate.resolve();
    assert.deepEqual(await first, { ran: true, outcome: { done: 1 } });
    const third = await runJob(fixture.services.db, log, deadlineRemindersJob(fixture.services));
    assert.equal(third.ran, true);
  });
});
