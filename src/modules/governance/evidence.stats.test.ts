import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseRegion } from '../../platform/residency.ts';
import { requestStatistics, type RequestFacts } from './evidence.stats.ts';

const request = (facts: Partial<RequestFacts>): RequestFacts => ({
  kind: 'access',
  status: 'open',
  due_on: '2026-12-10',
  closed_at: null,
  ...facts,
});

describe('request timeliness', () => {
  const now = new Date('2026-12-04T12:00:00Z');

  test('closed on the due day in England is on time; the day after is late; open past due is overdue', () => {
    const stats = requestStatistics(
      [
        // 23:30 on the due day in London (BST ends in October: GMT in December).
        request({ status: 'completed', due_on: '2026-11-30', closed_at: new Date('2026-11-30T23:30:00Z') }),
        request({ status: 'refused', due_on: '2026-11-30', closed_at: new Date('2026-12-01T00:30:00Z') }),
        request({ kind: 'erasure', due_on: '2026-12-03' }),
        request({ kind: 'erasure' }),
      ],
      now,
    );
    assert.deepEqual(
      { ...stats, byKind: undefined },
      { total: 4, open: 2, overdue: 1, closedOnTime: 1, closedLate: 1, byKind: undefined },
    );
    assert.deepEqual(
      stats.byKind.map((entry) => [entry.kind, entry.total, entry.overdue]),
      [
        ['access', 2, 0],
        ['erasure', 2, 1],
      ],
    );
  });

  test('in summer a closing at 23:30 UTC is already the next day in London', () => {
    const stats = requestStatistics(
      [request({ status: 'completed', due_on: '2026-07-01', closed_at: new Date('2026-07-01T23:30:00Z') })],
      now,
    );
    assert.equal(stats.closedLate, 1);
  });
});

describe('declared regions', () => {
  const cases: Array<[string, string | undefined]> = [
    ['GB', 'GB'],
    ['uk', 'GB'],
    [' ie : Dublin ', 'IE'],
    ['CH', 'CH'],
    ['US', undefined],
    ['CN', undefined],
    ['eu-west-2', undefined],
  ];
  for (const [text, code] of cases) {
    test(`"${text}" is ${code ?? 'refused'}`, () => {
      const parsed = parseRegion(text);
      assert.equal('region' in parsed ? parsed.region.code : undefined, code);
    });
  }
});
