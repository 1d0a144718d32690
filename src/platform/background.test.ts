import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import pino from 'pino';
import { BackgroundTasks } from './background.ts';

function captureLog() {
  const lines: string[] = [];
  return { log: pino({ level: 'info' }, { write: (line: string) => lines.push(line) }), lines };
}

describe('background tasks', () => {
  test('the work starts only after the caller has carried on, and drain waits for it', async () => {
    const tasks = new BackgroundTasks(pino({ level: 'silent' }));
    const done: string[] = [];
    tasks.run('test.first', async () => {
      done.push('started');
      await new Promise((resolve) => setTimeout(resolve, 20));
      done.push('finished');
    });
    assert.deepEqual(done, [], 'nothing of the work ran before run() returned');
    await tasks.drain();
    assert.deepEqual(done, ['started', 'finished']);
  });

  test('a failure is logged by task name and error code, without its message, and never thrown', async () => {
    const { log, lines } = captureLog();
    const tasks = new BackgroundTasks(log);
    tasks.run('test.failing', async () => {
      throw Object.assign(new Error('duplicate key value (email)=(someone@example.invalid)'), {
        code: '23505',
      });
    });
    await tasks.drain();
    const entries = lines.map((line) => JSON.parse(line) as { msg: string; task?: string; err?: unknown });
    assert.deepEqual(
      entries.map(({ msg, task, err }) => ({ msg, task, err })),
      [{ msg: 'background task failed', task: 'test.failing', err: { name: 'Error', code: '23505' } }],
    );
    assert.ok(lines.every((line) => !line.includes('someone@example.invalid')));
  });
});
