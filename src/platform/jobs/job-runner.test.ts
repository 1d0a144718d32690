import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { createTestServices } from '../../../test/support/services.ts';
import { LIVE_LEASE_MINUTES, runJob } from './job-runner.ts';

// A run killed with its process must not block its job for the longest run's length: the lease a run
// takes reaches only a few minutes ahead (renewed while the run is alive), whatever leaseMinutes says.

describe('job leases', () => {
  test('a long job’s lease reaches only minutes ahead, so a dead run lets go soon', async () => {
    const services = await createTestServices();
    try {
      const gate = Promise.withResolvers<void>();
      const started = Date.now();
      const run = runJob(services.db, pino({ level: 'silent' }), {
        name: 'test.long',
        leaseMinutes: 180,
        run: async () => {
          await gate.promise;
          return { done: 1 };
        },
      });
      let lease: Date | undefined;
      for (let tries = 0; lease === undefined; tries += 1) {
        assert.ok(tries < 200, 'the run never took its lease');
        await new Promise((resolve) => setTimeout(resolve, 50));
        lease = await services.db.withPlatform('test: the lease', async (trx) => {
          const row = await trx
            .selectFrom('job_runs')
            .select('lease_until')
            .where('name', '=', 'test.long')
            .where('status', '=', 'running')
            .executeTakeFirst();
          return row?.lease_until;
        });
      }
      assert.ok(
        lease.getTime() <= Date.now() + LIVE_LEASE_MINUTES * 60_000,
        'no further than the live lease',
      );
      assert.ok(lease.getTime() > started + 60_000, 'past the next renewal');
      gate.resolve();
      assert.deepEqual(await run, { ran: true, outcome: { done: 1 } });
    } finally {
      await services.close();
    }
  });
});
