/**
 * One write in flight at a time, started without waiting for it, so the next batch is read and checked
 * while the database writes this one. A failed write fails the next push (or the drain).
 */
export class WritePipeline {
  #inFlight: Promise<void> = Promise.resolve();
  #failure: { error: unknown } | undefined;

  async push(work: () => Promise<void>): Promise<void> {
    await this.drain();
    this.#inFlight = work().catch((error: unknown) => {
      this.#failure = { error };
    });
  }

  async drain(): Promise<void> {
    await this.#inFlight;
    if (this.#failure !== undefined) {
      throw this.#failure.error;
    }
  }

  /** Waits for the write in flight to end, however it ends. */
  async settle(): Promise<void> {
    await this.#inFlight;
  }
}
