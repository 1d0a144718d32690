import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { readOutbox } from '../../../test/support/services.ts';
import { sendBreachAlerts } from './breaches.jobs.ts';
import { useBreachFixture } from './breaches.test-support.ts';

const { fixture, call, operatorCookie, schoolWithDpo, recordBreach } = useBreachFixture();
const HOUR = 3_600_000;

async function alertsAbout(reference: string): Promise<string[]> {
  return (await readOutbox(fixture.services)).filter((mail) =>
    mail.includes(`Breach ${reference}: action needed`),
  );
}

describe('breach overdue alerts', () => {
  test('each stage is e-mailed to the operators once: schools overdue, ICO near, ICO overdue', async () => {
    const operator = await operatorCookie();
    const { school } = await schoolWithDpo();
    const awareAt = new Date(Date.now() - HOUR);
    const { id, reference } = await recordBreach(operator, [school.id], { awareAt: awareAt.toISOString() });
    const at = (hours: number) => new Date(awareAt.getTime() + hours * HOUR);
    const operators = async () => (await alertsAbout(reference)).length;

    await sendBreachAlerts(fixture.services, at(2));
    assert.equal(await operators(), 0, 'nothing is due two hours in');

    await sendBreachAlerts(fixture.services, at(25));
    const first = await alertsAbout(reference);
    assert.ok(first.length >= 1 && first.every((mail) => mail.includes('not yet sent the notice')));
    await sendBreachAlerts(fixture.services, at(26));
    assert.equal(await operators(), first.length, 'the schools stage is sent once');

    assert.equal((await call('POST', `/api/v1/platform/breaches/${id}/notices`, operator)).statusCode, 200);
    await sendBreachAlerts(fixture.services, at(61));
    const warned = await alertsAbout(reference);
    assert.equal(warned.length, first.length * 2);
    assert.ok(warned.at(-1)?.includes('no ICO decision is recorded yet'));
    await sendBreachAlerts(fixture.services, at(62));
    assert.equal(await operators(), warned.length, 'the warning is sent once');

    await sendBreachAlerts(fixture.services, at(73));
    const overdue = await alertsAbout(reference);
    assert.equal(overdue.length, first.length * 3);
    assert.ok(overdue.at(-1)?.includes('overdue by 1 hour'));
    await sendBreachAlerts(fixture.services, at(90));
    assert.equal(await operators(), overdue.length, 'the overdue alert is sent once');

    const events = await fixture.services.db.withPlatform('test: read audit', (trx) =>
      trx
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'breaches.alert_sent')
        .where('target', '=', `breach:${id}`)
        .execute(),
    );
    assert.deepEqual(events.map((event) => (event.details as { stage: string }).stage).sort(), [
      'ico_overdue',
      'ico_warning',
      'schools_overdue',
    ]);
  });

  test('a breach past 72 hours when first seen gets the overdue alert only; a recorded decision stops them', async () => {
    const operator = await operatorCookie();
    const { school } = await schoolWithDpo();
    const awareAt = new Date(Date.now() - HOUR);
    const late = await recordBreach(operator, [], { awareAt: awareAt.toISOString() });
    await sendBreachAlerts(fixture.services, new Date(awareAt.getTime() + 80 * HOUR));
    const mails = await alertsAbout(late.reference);
    assert.ok(mails.length >= 1 && mails.every((mail) => mail.includes('the 72 hours ended')));

    const decided = await recordBreach(operator, [school.id], { awareAt: awareAt.toISOString() });
    await call('POST', `/api/v1/platform/breaches/${decided.id}/notices`, operator);
    const recorded = await call('PUT', `/api/v1/platform/breaches/${decided.id}/notifications`, operator, {
      ico: 'not_notified',
      icoReason: 'Unlikely to result in a risk to people.',
      subjects: 'pending',
    });
    assert.equal(recorded.statusCode, 204, recorded.body);
    await sendBreachAlerts(fixture.services, new Date(awareAt.getTime() + 80 * HOUR));
    assert.deepEqual(await alertsAbout(decided.reference), []);
  });
});
