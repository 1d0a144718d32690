import { once } from 'node:events';
import type { Client, Connection, Submittable } from 'pg';

// COPY through `pg` without pg-copy-streams: `client.query` accepts any "submittable" object, and the
// connection has (untyped) methods to send CopyData and CopyDone messages. Enough for a benchmark's
// limit: a COPY FROM STDIN of bytes prepared beforehand, and a COPY TO STDOUT that collects them.

/** Calls one of the connection's methods that @types/pg does not declare. */
function call(connection: Connection, method: string, ...args: unknown[]): void {
  const fn: unknown = Reflect.get(connection, method);
  if (typeof fn !== 'function') {
    throw new TypeError(`this version of pg has no Connection.${method}`);
  }
  Reflect.apply(fn, connection, args);
}

/** The parts of the pg query protocol a COPY uses; pg calls these on the active query. */
abstract class CopyQuery implements Submittable {
  readonly #text: string;
  readonly done: Promise<void>;
  #settle: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #error: Error | undefined;

  constructor(text: string) {
    this.#text = text;
    this.done = new Promise((resolve, reject) => {
      this.#settle = { resolve, reject };
    });
  }

  submit(connection: Connection): void {
    connection.query(this.#text);
  }

  /** pg detaches the query when the server reports an error: no ReadyForQuery reaches it after this. */
  handleError(error: Error): void {
    this.#settle?.reject(this.#error ?? error);
  }

  handleReadyForQuery(): void {
    if (this.#error === undefined) {
      this.#settle?.resolve();
    } else {
      this.#settle?.reject(this.#error);
    }
  }

  handleCommandComplete(): void {
    // The row count is checked by the caller with a query of its own.
  }

  handleRowDescription(): void {
    // COPY returns no rows.
  }

  handleDataRow(): void {
    // COPY returns no rows.
  }

  handleEmptyQuery(): void {
    // Never sent empty.
  }

  handlePortalSuspended(): void {
    // Not an extended-protocol query.
  }

  handleCopyInResponse(connection: Connection): void {
    call(connection, 'sendCopyFail', 'not a COPY FROM STDIN');
  }

  handleCopyData(_message: { chunk: Buffer }): void {
    // Only COPY TO STDOUT sends data.
  }

  protected fail(error: Error): void {
    this.#error ??= error;
  }
}

class CopyIn extends CopyQuery {
  readonly #chunks: readonly Buffer[];

  constructor(text: string, chunks: readonly Buffer[]) {
    super(text);
    this.#chunks = chunks;
  }

  override handleCopyInResponse(connection: Connection): void {
    this.#send(connection).catch((error: unknown) => {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      call(connection, 'sendCopyFail', 'the client failed');
    });
  }

  async #send(connection: Connection): Promise<void> {
    for (const chunk of this.#chunks) {
      call(connection, 'sendCopyFromChunk', chunk);
      if (connection.stream.writableNeedDrain) {
        await once(connection.stream, 'drain');
      }
    }
    call(connection, 'endCopyFrom');
  }
}

class CopyOut extends CopyQuery {
  readonly chunks: Buffer[] = [];

  override handleCopyData(message: { chunk: Buffer }): void {
    // The chunk is a view into the parser's buffer, which is reused for the next message.
    this.chunks.push(Buffer.from(message.chunk));
  }
}

/** Sends prepared COPY text (or binary) data: `statement` is a `COPY … FROM STDIN`. */
export async function copyIn(client: Client, statement: string, chunks: readonly Buffer[]): Promise<void> {
  await client.query(new CopyIn(statement, chunks)).done;
}

/**
 * Runs a `COPY … TO STDOUT` and returns its bytes in chunks of about `chunkBytes` (PostgreSQL sends
 * one message per row; the chunks are what a client would send back in one write each).
 */
export async function copyOut(client: Client, statement: string, chunkBytes = 1 << 20): Promise<Buffer[]> {
  const query = client.query(new CopyOut(statement));
  await query.done;
  const chunks: Buffer[] = [];
  let pending: Buffer[] = [];
  let size = 0;
  for (const chunk of query.chunks) {
    pending.push(chunk);
    size += chunk.length;
    if (size >= chunkBytes) {
      chunks.push(Buffer.concat(pending));
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) {
    chunks.push(Buffer.concat(pending));
  }
  return chunks;
}
