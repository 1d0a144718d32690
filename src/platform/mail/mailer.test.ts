import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { Mailer, type MailMessage } from './mailer.ts';

const MESSAGE: MailMessage = {
  to: 'someone@example.invalid',
  subject: 'Hello from a test',
  text: 'Plain words.\n',
  html: '<p>Plain words.</p>',
};

/**
 * A real SMTP server on loopback that keeps what it receives, or refuses every recipient, quoting the
 * address in its reply as many servers do.
 */
async function smtpPeer(options: { refuse?: boolean } = {}) {
  const received: Array<{ to: string[]; raw: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      callback(options.refuse === true ? new Error(`<${address.address}>: mailbox unavailable`) : undefined);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function captureLog() {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
  return { log, lines };
}

describe('mailer', () => {
  test('delivers through a real SMTP server, and logs no recipient', async () => {
    const peer = await smtpPeer();
    const { log, lines } = captureLog();
    const mailer = new Mailer(
      { smtpUrl: peer.url, from: 'Haven <no-reply@haven.test>', outboxDir: '/nonexistent' },
      log,
    );
    try {
      assert.equal(mailer.delivery, 'smtp');
      await mailer.send(MESSAGE);
      assert.equal(peer.received.length, 1);
      assert.deepEqual(peer.received[0]?.to, ['someone@example.invalid']);
      assert.match(peer.received[0]?.raw ?? '', /Subject: Hello from a test/);
      assert.ok(lines.some((line) => line.includes('mail sent')));
      assert.ok(lines.every((line) => !line.includes('someone@example.invalid')));
    } finally {
      await mailer.close();
      await peer.close();
    }
  });

  test('a refused message queued in the background is logged without the address, never thrown', async () => {
    const peer = await smtpPeer({ refuse: true });
    const { log, lines } = captureLog();
    const mailer = new Mailer(
      { smtpUrl: peer.url, from: 'Haven <no-reply@haven.test>', outboxDir: '/nonexistent' },
      log,
    );
    try {
      // The server's reply names the recipient: the error nodemailer builds carries it...
      await assert.rejects(mailer.send(MESSAGE), /someone@example\.invalid/);
      mailer.queue(MESSAGE);
      await mailer.drain();
      // ...and the log keeps only what kind of failure it was.
      const failure = lines
        .map((line) => JSON.parse(line) as { msg: string; err?: Record<string, unknown> })
        .find((entry) => entry.msg === 'mail could not be sent');
      assert.deepEqual(failure?.err, {
        name: 'Error',
        code: 'EENVELOPE',
        responseCode: 550,
        command: 'RCPT TO',
      });
      assert.ok(lines.every((line) => !line.includes('someone@example.invalid')));
    } finally {
      await mailer.close();
      await peer.close();
    }
  });

  test('without an SMTP server, each message is an .eml file readable by the owner only', async () => {
    const outboxDir = path.join(await mkdtemp(path.join(tmpdir(), 'haven-mail-')), 'outbox');
    const mailer = new Mailer(
      { smtpUrl: undefined, from: 'Haven <no-reply@haven.test>', outboxDir },
      pino({ level: 'silent' }),
    );
    assert.equal(mailer.delivery, 'outbox');
    mailer.queue(MESSAGE);
    mailer.queue({ ...MESSAGE, subject: 'Second' });
    await mailer.close();
    const names = await readdir(outboxDir);
    assert.equal(names.length, 2);
    assert.ok(names.every((name) => name.endsWith('.eml')));
    const first = path.join(outboxDir, names[0] ?? '');
    assert.equal((await stat(first)).mode & 0o777, 0o600);
    assert.match(await readFile(first, 'utf8'), /To: someone@example.invalid/);
  });
});
