import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport, type Transporter } from 'nodemailer';
import type { Logger } from 'pino';

/** One e-mail. Recipients are personal data: they are never logged. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailSettings {
  /** smtp://user:pass@host:port or smtps://...; when absent, mail is written to `outboxDir`. */
  smtpUrl: string | undefined;
  from: string;
  /** Where `.eml` files go when there is no SMTP server (embedded mode, development). */
  outboxDir: string;
}

/**
 * Sends account mail. `queue` returns at once so a request's answer and timing never depend on
 * whether mail was sent (a password-reset request for an unknown address must look the same);
 * `drain` waits for everything queued (tests, graceful stop).
 */
export class Mailer {
  readonly #transport: Transporter;
  readonly #settings: MailSettings;
  readonly #log: Logger;
  readonly #pending = new Set<Promise<void>>();

  constructor(settings: MailSettings, log: Logger) {
    this.#settings = settings;
    this.#log = log;
    this.#transport =
      settings.smtpUrl === undefined
        ? createTransport({ streamTransport: true, buffer: true, newline: 'unix' })
        : createTransport(settings.smtpUrl);
  }

  /** Whether mail leaves the machine (an SMTP server) or stays in the outbox directory. */
  get delivery(): 'smtp' | 'outbox' {
    return this.#settings.smtpUrl === undefined ? 'outbox' : 'smtp';
  }

  /** Sends now; rejects when the SMTP server refuses. */
  async send(message: MailMessage): Promise<void> {
    const info: { messageId: string; message?: unknown } = await this.#transport.sendMail({
      from: this.#settings.from,
      ...message,
    });
    if (Buffer.isBuffer(info.message)) {
      await this.#writeToOutbox(info.message);
    }
    this.#log.info({ messageId: info.messageId, delivery: this.delivery }, 'mail sent');
  }

  /** Sends in the background; a failure is logged (without the recipient), never thrown to the caller. */
  queue(message: MailMessage): void {
    const sending = this.send(message)
      .catch((error: unknown) => {
        this.#log.error({ err: smtpFailure(error) }, 'mail could not be sent');
      })
      .finally(() => this.#pending.delete(sending));
    this.#pending.add(sending);
  }

  async drain(): Promise<void> {
    while (this.#pending.size > 0) {
      await Promise.all(this.#pending);
    }
  }

  async close(): Promise<void> {
    await this.drain();
    this.#transport.close();
  }

  async #writeToOutbox(raw: Buffer): Promise<void> {
    await mkdir(this.#settings.outboxDir, { recursive: true, mode: 0o700 });
    const name = `${new Date().toISOString().replaceAll(':', '-')}-${randomUUID()}.eml`;
    // Messages carry one-time links: readable by the service's user only.
    await writeFile(path.join(this.#settings.outboxDir, name), raw, { mode: 0o600 });
  }
}

/**
 * What may be logged of a failed send: the error's kind and the SMTP code and command, never its text.
 * A server's reply (and so the message nodemailer builds from it) often quotes the recipient
 * ("550 <someone@example.org>: mailbox unavailable").
 */
function smtpFailure(error: unknown): {
  name: string;
  code?: string;
  responseCode?: number;
  command?: string;
} {
  if (!(error instanceof Error)) {
    return { name: typeof error };
  }
  const fields: { name: string; code?: string; responseCode?: number; command?: string } = {
    name: error.name,
  };
  if ('code' in error && typeof error.code === 'string') {
    fields.code = error.code;
  }
  if ('responseCode' in error && typeof error.responseCode === 'number') {
    fields.responseCode = error.responseCode;
  }
  if ('command' in error && typeof error.command === 'string') {
    fields.command = error.command;
  }
  return fields;
}
