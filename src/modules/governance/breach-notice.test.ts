import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { followUpNotice, initialNotice, noticeParagraphs, type BreachFacts } from './breach-notice.ts';
import { stagesDue } from './breaches.jobs.ts';

const FACTS: BreachFacts = {
  reference: 'BR-2026-001',
  nature: 'confidentiality',
  awareAt: new Date('2026-03-28T01:30:00Z'),
  occurredAt: new Date('2026-03-27T18:00:00Z'),
  description: 'An export of results was sent to the wrong school.',
  peopleCategories: ['pupils', 'parents_carers'],
  dataCategories: ['identity', 'attainment', 'special_educational_needs'],
  approxPeople: 120,
  approxRecords: 480,
  consequences: 'Results could be seen by staff of another school.',
  measuresTaken: 'The other school deleted the file and confirmed it.',
  measuresProposed: 'Exports now need a second person to check the recipient.',
  contact: 'Haven DPO, dpo@haven.example',
};

describe('breach notices', () => {
  test('the first notice holds every content Article 33(3) requires', () => {
    const notice = initialNotice(FACTS, 'Synthetic Academy');
    const text = noticeParagraphs(notice, 'https://haven.test/x').join('\n');
    for (const required of [
      'BR-2026-001',
      'Synthetic Academy',
      'confidentiality breach',
      FACTS.description,
      'About 120 people (pupils, parents and carers)',
      'about 480 records',
      'names and identifiers, attainment and results, special educational needs (special category)',
      FACTS.consequences,
      FACTS.measuresTaken,
      `Proposed: ${FACTS.measuresProposed}`,
      FACTS.contact,
      'Sat 28 Mar 2026, 01:30 GMT',
      'Tue 31 Mar 2026, 02:30 BST',
      'https://haven.test/x',
    ]) {
      assert.ok(text.includes(required), `the notice says ${required}`);
    }
    assert.deepEqual(
      notice.sections.map((section) => section.heading),
      [
        'What happened',
        'When',
        'People and records involved',
        'Likely consequences',
        'Measures taken and proposed',
        'Who to contact',
        'What your school should do',
      ],
    );
  });

  test('updates and closures name the breach and the contact', () => {
    const update = followUpNotice('update', 'BR-2026-001', 'The file was deleted.', 'dpo@haven.example');
    assert.equal(update.subject, 'Personal data breach BR-2026-001: update');
    const closure = followUpNotice('closure', 'BR-2026-001', 'Contained.', 'dpo@haven.example');
    assert.equal(closure.subject, 'Personal data breach BR-2026-001: closed');
    assert.deepEqual(closure.sections[1], { heading: 'Who to contact', text: 'dpo@haven.example' });
  });
});

describe('overdue alert stages', () => {
  const awareAt = new Date('2026-03-28T01:30:00Z');
  const at = (hours: number) => new Date(awareAt.getTime() + hours * 3_600_000);
  const breach = { awareAt, icoPending: true, schoolsUntold: 1 };

  test('none before the school target; schools overdue after 24 hours', () => {
    assert.deepEqual(stagesDue(breach, at(23.9)), []);
    assert.deepEqual(stagesDue(breach, at(24)), ['schools_overdue']);
    assert.deepEqual(stagesDue({ ...breach, schoolsUntold: 0 }, at(30)), []);
  });

  test('the ICO warning at 12 hours left, overdue at 72 hours, none once the decision is recorded', () => {
    assert.deepEqual(stagesDue({ ...breach, schoolsUntold: 0 }, at(59.9)), []);
    assert.deepEqual(stagesDue({ ...breach, schoolsUntold: 0 }, at(60)), ['ico_warning']);
    assert.deepEqual(stagesDue({ ...breach, schoolsUntold: 0 }, at(72)), ['ico_overdue']);
    assert.deepEqual(stagesDue({ awareAt, icoPending: false, schoolsUntold: 0 }, at(80)), []);
  });
});
