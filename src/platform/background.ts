import type { Logger } from 'pino';

/**
 * Work a request starts but does not wait for, so that neither its answer nor its timing depends on
 * that work (a password-reset request for an unknown address must look exactly like one for a known
 * address). `drain` waits for all of it (tests, graceful stop). A failure is logged by task name and
 * error code only (messages can carry personal data, e.g. a database error quoting a value), never
 * thrown to the request that started it.
 */
export class BackgroundTasks {
  readonly #log: Logger;
  readonly #pending = new Set<Promise<void>>();

  constructor(log: Logger) {
    this.#log = log;
  }

  run(task: string, work: () => Promise<void>): void {
    // Started on a later turn of the event loop: nothing of the work runs before the caller answers.
    const running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(work)
      .catch((error: unknown) => {
        this.#log.error({ task, err: describe(error) }, 'background task failed');
      })
      .finally(() => this.#pending.delete(running));
    this.#pending.add(running);
  }

  async drain(): Promise<void> {
    while (this.#pending.size > 0) {
      await Promise.all(this.#pending);
    }
  }
}

function describe(error: unknown): { name: string; code?: string } {
  if (!(error instanceof Error)) {
    return { name: typeof error };
  }
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return code === undefined ? { name: error.name } : { name: error.name, code };
}
